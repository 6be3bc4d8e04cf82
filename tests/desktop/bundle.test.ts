// The real bundle (dist/desktop/main.js, exactly what the installer packs) started under Node with
// a stand-in for the `electron` module: it boots, serves the UI over app:// with its CSP, answers
// IPC only from its own page, signs in to a real hub with its bundled `ws` client, keeps the
// session encrypted in a real electron-store file, and quits.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upload } from '../files/fileHelpers.ts';
import { startHub } from '../helpers/startHub.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { until } from './harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const load = (name: string) => import(new URL(`../../scripts/${name}`, import.meta.url).href);

interface Trace {
  event: string;
  [key: string]: unknown;
}

let hub: TestHub;
let user: { password: string };
let app: ChildProcess;
let appData: string;
const traces: Trace[] = [];
let nextId = 1;

/** Sends a command to the stand-in and waits for its reply. */
async function command(cmd: string, fields: Record<string, unknown> = {}): Promise<Trace> {
  const id = nextId++;
  app.stdin!.write(`${JSON.stringify({ cmd, id, ...fields })}\n`);
  return until(() => traces.find((t) => t.event === 'reply' && t.id === id), `reply to ${cmd}`, 15_000);
}

const invoke = (method: string, args: unknown[] = [], url = 'app://beseda/index.html') =>
  command('invoke', { method, args, url }).then((t) => t.reply as { ok: boolean; value?: unknown; code?: string });

const last = (event: string) => traces.filter((t) => t.event === event).at(-1);

beforeAll(async () => {
  hub = await startHub();
  user = await hub.addUser('hana', 'Хана');
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bundle-'));
  await (await load('build-desktop.js')).buildDesktop({ outDir });
  appData = mkdtempSync(path.join(os.tmpdir(), 'beseda-appdata-'));
  app = spawn(
    process.execPath,
    ['--import', path.join(here, 'electron-stand-in/register.mjs'), path.join(outDir, 'main.js'), '--hub', hub.url],
    { env: { ...process.env, STANDIN_APPDATA: appData }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  createInterface({ input: app.stdout! }).on('line', (line) => {
    if (line.startsWith('TRACE ')) traces.push(JSON.parse(line.slice(6)) as Trace);
  });
  app.stderr!.resume();
  await until(() => traces.some((t) => t.event === 'windowShow'), 'window shown', 20_000);
}, 60_000);

afterAll(async () => {
  if (app && app.exitCode === null) app.kill();
  await hub?.stop();
});

describe('the real bundle under an Electron stand-in', () => {
  it('boots hardened: sandbox, app:// scheme, secure window options, a tray icon', () => {
    const events = traces.map((t) => t.event);
    expect(events.indexOf('enableSandbox')).toBeLessThan(events.indexOf('protocolHandle'));
    expect(last('setPath')).toMatchObject({ name: 'userData', value: path.join(appData, 'Beseda') });
    // app:// and beseda-file:// in the one list Electron takes: standard and secure (no mixed content).
    expect(last('privilegedSchemes')!.schemes).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
      expect.objectContaining({
        scheme: 'beseda-file',
        privileges: expect.objectContaining({ standard: true, secure: true, corsEnabled: false }),
      }),
    ]);
    expect(traces.filter((t) => t.event === 'protocolHandle').map((t) => t.scheme)).toEqual(['app', 'beseda-file']);
    expect(last('trayCreated')).toMatchObject({ png: 'PNG' });
    expect(last('windowCreated')!.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(last('windowCreated')!.backgroundColor).toBe('#ffffff');
    expect(last('loadURL')).toMatchObject({ url: 'app://beseda/index.html' });
    expect(traces.some((t) => t.event === 'ipcRemoveAll' && t.channel === 'electron-store-get-data')).toBe(true);
    expect(last('trayTooltip')).toMatchObject({ text: 'Беседа — вход не выполнен' });
  });

  it('serves the UI over app:// with the CSP and refuses traversal and writes', async () => {
    const index = await command('protocol', { url: 'app://beseda/' });
    expect(index).toMatchObject({ status: 200 });
    expect(index.body).toContain('<!doctype html>');
    expect(index.csp).toContain("default-src 'none'");
    expect(await command('protocol', { url: 'app://beseda/..%2Fmain.js' })).toMatchObject({ status: 404 });
    expect(await command('protocol', { url: 'app://beseda/index.html', method: 'POST' })).toMatchObject({
      status: 405,
    });
  });

  it('answers IPC from its page only, and checks arguments', async () => {
    expect(await invoke('getState')).toMatchObject({ ok: true, value: { connection: 'signed-out' } });
    expect(await invoke('getState', [], 'https://evil.example/')).toEqual({
      ok: false,
      code: 'forbidden',
      message: 'refused',
    });
    expect(await invoke('send', ['1', 'x'])).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await invoke('deployment')).toEqual({
      ok: true,
      value: { hubUrl: hub.url, branch: null, hubUrlLocked: false },
    });
  });

  it('signs in to the hub from the main process and keeps the token encrypted on disk', async () => {
    expect(await invoke('signIn', [hub.url, 'hana', user.password])).toEqual({ ok: true, value: { ok: true } });
    await until(() => (last('trayTooltip')?.text as string).endsWith('· подключено'), 'connected tooltip');
    const state = (await invoke('getState')).value as { connection: string; me: { login: string } };
    expect(state.connection).toBe('connected');
    expect(state.me.login).toBe('hana');
    const file = readFileSync(path.join(appData, 'Beseda', 'settings.json'), 'utf8');
    const stored = JSON.parse(file) as Record<string, { enc: string; data: string }>;
    expect(stored['client.beseda.session']!.enc).toBe('safe');
    const { token } = await hub.login('hana', user.password);
    expect(file).not.toContain(token.slice(0, 16));
    expect(file).not.toMatch(/"token"/);
    const log = readFileSync(path.join(appData, 'Beseda', 'logs', 'main.log'), 'utf8');
    expect(log).toContain('"msg":"signed in"');
    expect(log).not.toContain(user.password);
  });

  it('serves the hub’s files to its page over beseda-file:// with the token, and saves them through its own download', async () => {
    const { token } = await hub.login('hana', user.password);
    const pdf = Buffer.from('%PDF-1.4\n% счёт\n%%EOF\n');
    const invoice = (await upload(hub, token, 'Счёт №17.pdf', pdf, 'application/pdf')).file!;
    const url = `beseda-file://file/${invoice.id}/download`;
    const served = await command('protocol', { url, initiatorOrigin: 'app://beseda' });
    expect(served).toMatchObject({ status: 200, contentType: 'application/pdf', nosniff: 'nosniff' });
    expect(served.csp).toContain('sandbox');
    expect(Buffer.from(served.base64 as string, 'base64').equals(pdf)).toBe(true);
    // Not our page, or a malformed address: 404, the hub never asked.
    expect(await command('protocol', { url, initiatorOrigin: 'https://evil.example' })).toMatchObject({ status: 404 });
    expect(await command('protocol', { url: `${url}?key=x`, initiatorOrigin: 'app://beseda' })).toMatchObject({
      status: 404,
    });

    expect(await invoke('saveFile', [invoice.id, 'Счёт №17.pdf'])).toEqual({ ok: true });
    await until(() => last('download'), 'the download reported');
    expect(last('downloadURL')).toMatchObject({
      url: `${hub.url}/api/v1/files/${invoice.id}`,
      headers: { authorization: expect.stringMatching(/^Bearer /) },
    });
    // The stand-in's Downloads folder is its app data folder.
    expect(last('saveDialogOptions')!.options).toEqual({ defaultPath: path.join(appData, 'Счёт №17.pdf') });
    expect(last('download')).toMatchObject({ cancelled: false });
    expect(await invoke('saveFile', ['https://evil.example/x.exe', 'x.exe'])).toMatchObject({ ok: false });
    // A download the page starts by itself is not the app's: cancelled.
    await command('pageDownload', { url: `${hub.url}/api/v1/files/${invoice.id}?key=k` });
    expect(last('download')).toMatchObject({ cancelled: true });
  });

  it('hands its page the clipboard’s image as PNG bytes (a paste whose event carried no file)', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await command('clipboardPut', { type: 'image/png', base64: png.toString('base64') });
    const reply = await invoke('clipboardImage');
    expect(reply.ok).toBe(true);
    // A Uint8Array crosses the stand-in's JSON trace as an object of its bytes.
    expect(Buffer.from(Object.values(reply.value as Record<string, number>)).equals(png)).toBe(true);
    await command('clipboardPut', { type: 'text/plain', base64: Buffer.from('просто текст').toString('base64') });
    expect(await invoke('clipboardImage')).toEqual({ ok: true, value: null });
    // No arguments are taken, and only from the app's own page.
    expect(await invoke('clipboardImage', ['x'])).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await invoke('clipboardImage', [], 'https://evil.example/')).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('denies navigation, new windows and permissions; opens checked links outside', async () => {
    expect(await command('navigate', { url: 'https://example.com/x' })).toMatchObject({
      prevented: true,
      open: 'deny',
    });
    await until(() => last('openExternal'), 'external open');
    expect(last('openExternal')).toMatchObject({ url: 'https://example.com/x' });
    const before = traces.filter((t) => t.event === 'openExternal').length;
    expect(await command('navigate', { url: 'file:///etc/passwd' })).toMatchObject({ prevented: true, open: 'deny' });
    await new Promise((r) => setTimeout(r, 100));
    expect(traces.filter((t) => t.event === 'openExternal').length).toBe(before);
    expect(await command('permission')).toMatchObject({ granted: false });
  });

  it('hides to the tray on close, comes back on a second launch, and really quits from the menu', async () => {
    expect(await command('windowClose')).toMatchObject({ prevented: true, visible: false });
    await until(() => last('notification'), 'close hint');
    expect(last('notification')).toMatchObject({ title: 'Беседа работает в трее' });
    const shows = traces.filter((t) => t.event === 'windowShow').length;
    await command('secondInstance', { argv: ['beseda', '--hub', 'https://elsewhere.example'] });
    await until(() => traces.filter((t) => t.event === 'windowShow').length > shows, 'shown again');
    const exited = new Promise<number | null>((resolve) => app.once('exit', (code) => resolve(code)));
    app.stdin!.write(`${JSON.stringify({ cmd: 'quit' })}\n`);
    expect(await exited).toBe(0);
  });
});
