// The one function every place where user text becomes visible goes through (the renderer and the
// desktop notifications), and the shared mail-link rule with the desktop's last check before
// shell.openExternal.
import { describe, expect, it } from 'vitest';
import { isPlainMailto } from '../../common/text/isPlainMailto.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import type { Conversation, Message, User } from '../../common/protocol/model.ts';
import { systemClock } from '../../main/Clock.ts';
import { desktopStrings } from '../../main/i18n/DesktopStrings.ts';
import { NotificationCenter } from '../../main/notify/NotificationCenter.ts';
import { notificationText } from '../../main/notify/notificationText.ts';
import { safeExternalUrl } from '../../main/security/externalUrl.ts';

const controls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const everyControl = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c';

describe('neutraliseBidi', () => {
  it('shows overrides, embeddings and isolates as visible markers, in their written order', () => {
    expect(neutraliseBidi('\u202Egnp.exe')).toBe('⟨RLO⟩gnp.exe');
    expect(neutraliseBidi('Иван\u202DПетров\u202C')).toBe('Иван⟨LRO⟩Петров⟨PDF⟩');
    expect(neutraliseBidi('a\u2067b\u2069')).toBe('a⟨RLI⟩b⟨PDI⟩');
    expect(neutraliseBidi(everyControl)).toBe('⟨LRE⟩⟨RLE⟩⟨PDF⟩⟨LRO⟩⟨RLO⟩⟨LRI⟩⟨RLI⟩⟨FSI⟩⟨PDI⟩');
  });

  it('removes the invisible marks (LRM, RLM, ALM) in both modes', () => {
    // An RLM first would make a dir="auto" paragraph right-to-left and reverse its words.
    expect(neutraliseBidi('\u200Fpng exe')).toBe('png exe');
    expect(neutraliseBidi('a\u200Eb\u061Cc')).toBe('abc');
  });

  it('strips every control in strip mode', () => {
    expect(neutraliseBidi(`x${everyControl}y`, 'strip')).toBe('xy');
    expect(neutraliseBidi('\u202Egnp.exe', 'strip')).toBe('gnp.exe');
  });

  it('leaves ordinary text alone, Arabic and Hebrew letters included, and is idempotent', () => {
    for (const text of ['Привет, коллеги!', 'שלום', 'مرحبا', '1С: Бухгалтерия', ''])
      expect(neutraliseBidi(text)).toBe(text);
    const once = neutraliseBidi(`a${everyControl}b`);
    expect(neutraliseBidi(once)).toBe(once);
    expect(once).not.toMatch(controls);
  });
});

describe('desktop notifications', () => {
  it('strips direction controls from notification text, ALM included', () => {
    expect(notificationText('\u202Egnp.exe', 'win32')).toBe('gnp.exe');
    expect(notificationText('a\u061Cb\u2066c\u2069', 'darwin')).toBe('abc');
  });

  it('has no direction control in a title or body, names and room names included', () => {
    const sender = { id: 2, login: 'mallory', name: 'Мэл\u202Eирам' } as User;
    const room = { id: 7, kind: 'open', name: 'Бухгалтерия \u2067PDF\u2069' } as Conversation;
    const center = new NotificationCenter({
      notifier: { isSupported: () => true, show: () => undefined },
      clock: systemClock,
      strings: desktopStrings('ru'),
      platform: 'win32',
      state: () => ({ users: { 2: sender }, conversations: { 7: room } }),
      preview: () => true,
      silenced: () => false,
      stillWanted: () => true,
      open: () => undefined,
    });
    const message = (seq: number, text: string): Message => ({
      seq,
      conversationId: 7,
      senderId: 2,
      clientId: `c${seq}`,
      kind: 'text',
      text,
      ts: 0,
      mentions: [],
      mentionsAll: false,
    });
    const one = center.describe([{ message: message(1, 'счёт \u202Egnp.exe'), reason: 'room' }]);
    const burst = center.describe([
      { message: message(1, 'a'), reason: 'room' },
      { message: message(2, '\u202Egnp.exe'), reason: 'room' },
    ]);
    for (const spec of [one, burst]) {
      expect(spec.title).not.toMatch(controls);
      expect(spec.body).not.toMatch(controls);
    }
    expect(one.title).toContain('Мэлирам');
    expect(one.body).toBe('счёт gnp.exe');
  });
});

describe('mail links', () => {
  it('are a bare address or nothing, in the desktop main process too', () => {
    for (const url of [
      'mailto:it@corp.ru?attach=/etc/passwd',
      'mailto:it@corp.ru?body=hi',
      'mailto:it@corp.ru?subject=x%0D%0ABcc:all@corp.ru',
      'mailto:it@corp.ru%0Acc:x@y.ru',
      'mailto:it@corp.ru,boss@corp.ru',
      'mailto:it@corp.ru#x',
      'mailto:?to=it@corp.ru',
      'mailto:it@corp.ru\r\nBcc: x@y.ru',
    ]) {
      expect(isPlainMailto(url), url).toBe(false);
      expect(safeExternalUrl(url), url).toBeNull();
    }
    expect(isPlainMailto('mailto:иван.петров@почта.рф')).toBe(true);
    expect(safeExternalUrl('mailto:it@corp.example')).toBe('mailto:it@corp.example');
  });
});
