import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendMethods } from '../../common/client/Backend.ts';
import { desktopEntry, LinuxAutostart } from '../../main/autostart/LinuxAutostart.ts';
import { checkInvoke } from '../../main/ipc/checkInvoke.ts';
import { invokeSchemas } from '../../main/ipc/invokeSchemas.ts';
import { notificationText } from '../../main/notify/notificationText.ts';
import { appEntryUrl, isAppUrl, rendererCsp, resolveAppPath } from '../../main/security/appProtocol.ts';
import { safeExternalUrl } from '../../main/security/externalUrl.ts';

const page = { frameUrl: appEntryUrl, isMainFrame: true };

describe('IPC checks', () => {
  it('has an argument schema for every Backend method', () => {
    expect(Object.keys(invokeSchemas).sort()).toEqual([...backendMethods].sort());
  });

  it('accepts well-formed calls from the app page', () => {
    expect(checkInvoke(page, 'send', [5, 'привет'])).toEqual({ ok: true, method: 'send', args: [5, 'привет'] });
    expect(checkInvoke({ ...page, frameUrl: 'app://beseda/index.html#/c/5' }, 'getState', []).ok).toBe(true);
    expect(checkInvoke(page, 'setActiveConversation', [null]).ok).toBe(true);
    expect(checkInvoke(page, 'createRoom', [{ name: 'Склад', kind: 'open', members: [2, 3] }]).ok).toBe(true);
    expect(checkInvoke(page, 'updateRoom', [4, { topic: '' }]).ok).toBe(true);
  });

  it('refuses other senders: other origins, look-alikes, subframes', () => {
    for (const frameUrl of [
      'https://beseda/index.html',
      'file:///C:/Program%20Files/Beseda/resources/app.asar/renderer/index.html',
      'app://beseda.evil.example/index.html',
      'app://evil/index.html',
      'app://user@beseda/index.html',
      'about:blank',
      'javascript:alert(1)',
      '',
      null,
      undefined,
    ])
      expect(checkInvoke({ frameUrl, isMainFrame: true }, 'getState', []).ok).toBe(false);
    expect(checkInvoke({ frameUrl: appEntryUrl, isMainFrame: false }, 'getState', []).ok).toBe(false);
  });

  it('refuses unknown methods and malformed arguments without echoing values', () => {
    for (const method of ['__proto__', 'constructor', 'dispose', 'start', 'notifyNetworkChange', 'subscribe', 7, null])
      expect(checkInvoke(page, method, []).ok).toBe(false);
    const bad: [string, unknown[]][] = [
      ['send', [5]],
      ['send', [5, 'x', 'extra']],
      ['send', ['5', 'x']],
      ['send', [0, 'x']],
      ['send', [1.5, 'x']],
      ['send', [5, '']],
      ['send', [5, 'x'.repeat(65537)]],
      ['setStatus', ['offline']],
      ['createRoom', [{ name: 'a', kind: 'open', owner: 1 }]],
      ['createRoom', [{ name: '', kind: 'open' }]],
      ['invite', [3, []]],
      ['openExternal', [{ toString: () => 'https://x' }]],
      ['signIn', ['https://hub', 'login', 'p'.repeat(2000)]],
      ['retry', ['../../etc']],
    ];
    for (const [method, args] of bad) {
      const result = checkInvoke(page, method, args);
      expect(result.ok, `${method} ${JSON.stringify(args).slice(0, 40)}`).toBe(false);
    }
    const secret = checkInvoke(page, 'signIn', ['https://hub', 'login', 'p'.repeat(2000)]);
    expect(!secret.ok && secret.reason).not.toContain('ppp');
  });
});

describe('links opened outside the app', () => {
  it('allows http, https and mailto, re-serialised by the URL parser', () => {
    expect(safeExternalUrl('https://example.com/a b?q=1#x')).toBe('https://example.com/a%20b?q=1#x');
    expect(safeExternalUrl('HTTP://EXAMPLE.com')).toBe('http://example.com/');
    expect(safeExternalUrl('mailto:it@corp.example')).toBe('mailto:it@corp.example');
    expect(safeExternalUrl('tel:+74951234567')).toBe('tel:+74951234567');
    for (const phone of ['tel:', 'tel:12', 'tel:+7 495', 'tel:123;phone-context=x', 'tel:*21#', 'tel://evil.example'])
      expect(safeExternalUrl(phone)).toBeNull();
    expect(safeExternalUrl('https://пример.рф/')).toBe('https://xn--e1afmkfd.xn--p1ai/');
    // 1C's links go to the 1C client the OS has for them (the Cyrillic part percent-encoded).
    expect(safeExternalUrl('e1c://srv1c/trade/#e1cib/data/Документ.ЗаказКлиента?ref=80c3')).toBe(
      'e1c://srv1c/trade/#e1cib/data/%D0%94%D0%BE%D0%BA%D1%83%D0%BC%D0%B5%D0%BD%D1%82.%D0%97%D0%B0%D0%BA%D0%B0%D0%B7%D0%9A%D0%BB%D0%B8%D0%B5%D0%BD%D1%82%D0%B0?ref=80c3',
    );
  });

  it('refuses everything else', () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///C:/Windows/System32/calc.exe',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'vbscript:msgbox',
      'data:text/html,<script>1</script>',
      'beseda://conversation/1',
      'e1c:alert(1)',
      'e1c://user:pass@srv1c/trade',
      'https://bank.example@evil.example/',
      'https://user:pass@example.com/',
      'not a url',
      '',
      null,
      42,
      `https://example.com/${'a'.repeat(9000)}`,
    ])
      expect(safeExternalUrl(url), String(url).slice(0, 40)).toBeNull();
  });
});

describe('the app:// protocol', () => {
  const root = path.resolve('/srv/app/renderer');

  it('maps app://beseda paths inside the UI folder', () => {
    expect(resolveAppPath(root, 'app://beseda/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://beseda/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://beseda/assets/index-abc.js?v=1')).toBe(
      path.join(root, 'assets', 'index-abc.js'),
    );
  });

  it('refuses traversal, encoded or not, other hosts and odd characters', () => {
    // Literal dot segments are resolved by the URL parser before we see them: they stay inside.
    expect(resolveAppPath(root, 'app://beseda/../../main.js')).toBe(path.join(root, 'main.js'));
    expect(resolveAppPath(root, 'app://beseda/./index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://beseda/assets/%2E%2E/%2e%2e/package.json')).toBe(
      path.join(root, 'package.json'),
    );
    for (const url of [
      'app://beseda/assets/%2E%2E%2F%2E%2E%2Fpackage.json',
      'app://beseda/..%2fmain.js',
      'app://beseda/..%5cmain.js',
      'app://beseda/assets%5c..%5c..%5cmain.js',
      'app://beseda/%00index.html',
      'app://beseda/%E0%A4%A',
      'app://other/index.html',
      'https://beseda/index.html',
    ])
      expect(resolveAppPath(root, url), url).toBeNull();
  });

  it('recognises only its own origin', () => {
    expect(isAppUrl('app://beseda/index.html')).toBe(true);
    expect(isAppUrl('app://beseda:80/index.html')).toBe(false);
    expect(isAppUrl('app://beseda.example/')).toBe(false);
  });

  it('serves a strict Content-Security-Policy', () => {
    expect(rendererCsp).toContain("default-src 'none'");
    expect(rendererCsp).toContain("script-src 'self'");
    expect(rendererCsp).toContain("connect-src 'none'");
    // The hub's images come through the main process (beseda-file:), never from the network.
    expect(rendererCsp).toContain("img-src 'self' data: blob: beseda-file:;");
    expect(rendererCsp).not.toMatch(/\bhttps?:/);
    expect(rendererCsp).toContain("frame-ancestors 'none'");
    expect(rendererCsp).not.toMatch(/unsafe-(inline|eval)/);
  });
});

describe('notification text', () => {
  it('is one line, without control or bidi-override characters, at most 160 characters', () => {
    expect(notificationText('строка\nвторая\t\tтретья', 'win32')).toBe('строка вторая третья');
    expect(notificationText('abc\u202Egpj.exe', 'win32')).toBe('abcgpj.exe');
    const long = notificationText('я'.repeat(500), 'darwin');
    expect([...long]).toHaveLength(160);
    expect(long.endsWith('…')).toBe(true);
  });

  it('cannot carry markup to Linux notification daemons', () => {
    const text = notificationText('<a href="http://evil">клик</a> <img src="http://evil/x.png"> &amp;', 'linux');
    expect(text).not.toMatch(/[<>&]/);
    expect(notificationText('<b>x</b> & y', 'win32')).toBe('<b>x</b> & y');
  });
});

describe('Linux autostart entry', () => {
  it('writes and removes ~/.config/autostart/beseda.desktop with --hidden', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'beseda-xdg-'));
    const auto = new LinuxAutostart(home, '/opt/Беседа/beseda app', 'Беседа');
    expect(auto.isEnabled()).toBe(false);
    auto.setEnabled(true);
    expect(auto.isEnabled()).toBe(true);
    const text = readFileSync(auto.file, 'utf8');
    expect(text).toContain('Exec="/opt/Беседа/beseda app" --hidden');
    expect(text).toContain('Name=Беседа');
    auto.setEnabled(false);
    expect(auto.isEnabled()).toBe(false);
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    expect(desktopEntry('B', ['/a/b$c "d"', '--x'])).toContain('Exec="/a/b\\$c \\"d\\"" --x');
    expect(desktopEntry('B', ['/a/100%'])).toContain('Exec="/a/100%%"');
    expect(() => desktopEntry('B', ['/a\nb'])).toThrow();
  });
});
