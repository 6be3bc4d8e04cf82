// The production command (`beseda-hub serve` with no --web-root) serves the web client built
// beside the hub, found from the hub's own files, not the working directory; without a build, /
// says so in plain words and the hub warns at start.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { hubBundle } from '../helpers/startHub.ts';
import { spawnServe, type ServeProcess } from './serveProcess.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const builtIndex = path.join(root, 'dist/web/index.html');

const running: ServeProcess[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
    p.child.kill('SIGTERM');
    await p.exited;
  }
});

/** `serve` as IT runs it: no --web-root, started from a folder that has nothing to do with Beseda. */
function serve(bundle: string): ServeProcess {
  const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-web-'));
  const p = spawnServe(
    process.execPath,
    [bundle, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', data, '--scrypt-n', '1024'],
    { cwd: os.tmpdir(), env: { ...process.env, BESEDA_WEB_ROOT: '' } },
  );
  running.push(p);
  return p;
}

describe('the web client at /', () => {
  it('is served by `serve` without --web-root (dist/web beside the hub)', async () => {
    expect(existsSync(builtIndex), 'the vitest globalSetup builds dist/web').toBe(true);
    const hub = serve(hubBundle);
    const port = await hub.listening;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).toBe(readFileSync(builtIndex, 'utf8'));
    // An embed link is the page with a fragment: the same request.
    expect((await fetch(`http://127.0.0.1:${port}/?from=1c`)).status).toBe(200);
    expect(hub.stderr()).toMatch(/Web client: open http:\/\/127\.0\.0\.1:\d+\/ in a browser/);
  });

  it('says plainly that it is not built when it is not, warns at start, and serves it once built', async () => {
    // An installed hub without its web client: dist/hub/ with the bundle and no dist/web/.
    const install = mkdtempSync(path.join(os.tmpdir(), 'beseda-install-'));
    mkdirSync(path.join(install, 'dist/hub'), { recursive: true });
    const bundle = path.join(install, 'dist/hub/beseda-hub.js');
    copyFileSync(hubBundle, bundle);
    symlinkSync(path.join(root, 'node_modules'), path.join(install, 'node_modules'), 'dir');

    const hub = serve(bundle);
    const port = await hub.listening;
    const warning = hub
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: number; msg: string; webRoot?: string })
      .find((entry) => /web client is not built/.test(entry.msg));
    expect(warning).toMatchObject({ level: 40, webRoot: path.join(install, 'dist/web') });
    expect(hub.stderr()).toMatch(/Web client not built/);

    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await page.text();
    expect(text).toContain('веб-клиент не собран');
    expect(text).toContain('the web client is not built');
    expect(text).toContain('npm run build');
    // The API keeps its JSON answers.
    const api = await fetch(`http://127.0.0.1:${port}/api/v1/nothing`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not_found');

    // Built afterwards (npm run build next to the running hub): served without a restart.
    mkdirSync(path.join(install, 'dist/web'));
    writeFileSync(path.join(install, 'dist/web/index.html'), '<!doctype html><title>Беседа</title>');
    const built = await fetch(`http://127.0.0.1:${port}/`);
    expect(built.status).toBe(200);
    expect(await built.text()).toBe('<!doctype html><title>Беседа</title>');
  });

  it('--web-root overrides the folder beside the hub', async () => {
    const web = mkdtempSync(path.join(os.tmpdir(), 'beseda-webroot-'));
    writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>override</title>');
    const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-web-'));
    const hub = spawnServe(
      process.execPath,
      [
        hubBundle,
        'serve',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--data',
        data,
        '--scrypt-n',
        '1024',
        '--web-root',
        web,
      ],
      { cwd: os.tmpdir() },
    );
    running.push(hub);
    const port = await hub.listening;
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('<!doctype html><title>override</title>');
  });
});
