// `npm run pack:hub` (issue 15, point 2): the archive unpacked into a clean folder runs with a PATH
// that holds no node, npm or compiler — health, the web client, a user made with the archive's own
// CLI signs in, an image gets its preview (both native modules load), --version. One pack for the
// whole file: packing copies ~130 MB.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../main/png/encodePng.ts';
import { filePath, uploadPath } from '../../common/protocol/fileUrls.ts';
import { spawnServe, type ServeProcess } from '../hub/serveProcess.ts';
import { bareEnv, barePath, pack, packageVersion, root, unpack } from './packHelpers.ts';

const run = promisify(execFile);

let archive = '';
let outDir = '';
let printed = '';
let top = '';
let bin = '';
const hubs: ServeProcess[] = [];
const homes: string[] = [];

/** A throwaway folder for HOME, the data and the configuration of one start. */
function home(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  homes.push(dir);
  return dir;
}

beforeAll(async () => {
  ({ archive, printed, outDir } = await pack());
  top = await unpack(archive);
  bin = barePath();
}, 300_000);

afterAll(async () => {
  for (const hub of hubs) {
    if (hub.child.exitCode === null && hub.child.signalCode === null) hub.child.kill('SIGKILL');
    await hub.exited;
  }
  // ~300 MB between the archive and its unpacked copy: never left behind.
  for (const dir of [outDir, top && path.dirname(top), bin, ...homes])
    if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the archive's launcher with the bare PATH; `input` goes to its standard input. */
function launcher(
  args: string[],
  home: string,
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(top, 'bin/beseda-hub'),
      args,
      { env: bareEnv(bin, home), cwd: home },
      (err, stdout, stderr) =>
        resolve({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
    child.stdin!.end(input ?? '');
  });
}

/** Width and height of a lossy or extended WebP (the hub's previews). */
function webpSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.toString('latin1', 0, 4)).toBe('RIFF');
  expect(bytes.toString('latin1', 8, 12)).toBe('WEBP');
  const chunk = bytes.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  if (chunk === 'VP8X') return { width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
  throw new Error(`unexpected WebP chunk ${chunk}`);
}

describe('the packed hub archive', () => {
  it('is named after the version and platform, and the script prints its size', () => {
    expect(path.basename(archive)).toBe(`beseda-hub-${packageVersion}-linux-x64.tar.gz`);
    const mb = /: ([\d.]+) MB \(([\d.]+) MB unpacked\)/.exec(printed);
    expect(mb, printed).not.toBeNull();
    expect(Number(mb![1])).toBeCloseTo(statSync(archive).size / 1024 / 1024, 0);
  });

  it('holds the hub, the web client, the runtime, launchers, deploy files and only production packages', () => {
    expect(readFileSync(path.join(top, 'VERSION'), 'utf8').trim()).toBe(packageVersion);
    expect(readFileSync(path.join(top, 'runtime/node')).toString('latin1', 0, 4)).toBe('\x7fELF');
    expect(statSync(path.join(top, 'bin/beseda-hub')).mode & 0o111).toBe(0o111);
    expect(existsSync(path.join(top, 'hub/beseda-hub.js'))).toBe(true);
    // The runbook and the changelog its upgrade steps ask IT to read.
    expect(readFileSync(path.join(top, 'CHANGELOG.md'), 'utf8')).toMatch(/^# Changelog/);
    expect(readFileSync(path.join(top, 'docs/operations.md'), 'utf8')).toContain('beseda-hub');
    // The web client with its precompressed copies (the hub serves them by Accept-Encoding).
    for (const file of ['index.html', 'index.html.br', 'index.html.gz'])
      expect(existsSync(path.join(top, 'web', file)), file).toBe(true);
    expect(existsSync(path.join(top, 'deploy/systemd/beseda-hub.service'))).toBe(true);
    expect(existsSync(path.join(top, 'deploy/windows/beseda-hub.xml'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(top, 'package.json'), 'utf8'))).toMatchObject({ type: 'module' });
    expect(readFileSync(path.join(top, 'INSTALL.txt'), 'utf8')).toMatch(/glibc 2\.\d+ or newer/);
    // What the unit's Documentation= points at is in the archive.
    const unit = readFileSync(path.join(top, 'deploy/systemd/beseda-hub.service'), 'utf8');
    for (const doc of /^Documentation=(.*)$/m.exec(unit)![1]!.split(' '))
      expect(existsSync(path.join(top, doc.replace('file:/opt/beseda-hub/', ''))), doc).toBe(true);
    const modules = path.join(top, 'node_modules');
    for (const runtime of [
      'better-sqlite3',
      'sharp',
      '@img/sharp-linux-x64',
      '@img/sharp-libvips-linux-x64',
      'ws',
      'pino',
    ])
      expect(existsSync(path.join(modules, runtime, 'package.json')), runtime).toBe(true);
    for (const dev of ['vitest', 'typescript', 'esbuild', 'vite', 'electron', 'node-gyp', 'playwright-core', '.bin'])
      expect(existsSync(path.join(modules, dev)), dev).toBe(false);
    // The compiled module only: no C sources or compiler output.
    expect(readdirSync(path.join(modules, 'better-sqlite3/build/Release'))).toEqual(['better_sqlite3.node']);
    expect(existsSync(path.join(modules, 'better-sqlite3/deps'))).toBe(false);
  });

  it('runs from a clean folder with no node, npm or compiler on PATH', async () => {
    for (const tool of ['node', 'npm', 'npx', 'cc', 'gcc', 'g++', 'make', 'python3'])
      expect(existsSync(path.join(bin, tool)), tool).toBe(false);
    const dir = home('beseda-home-');
    const data = path.join(dir, 'data');

    const version = await launcher(['--version'], dir);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toContain(packageVersion);

    const hub = spawnServe(
      path.join(top, 'bin/beseda-hub'),
      ['serve', '--data', data, '--host', '127.0.0.1', '--port', '0', '--log-format', 'json'],
      { env: bareEnv(bin, dir), cwd: dir },
    );
    hubs.push(hub);
    const url = `http://127.0.0.1:${await hub.listening}`;

    const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; version: string };
    expect(health).toMatchObject({ status: 'ok', version: packageVersion });

    // The web client from the archive's web/, found without --web-root.
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeTruthy();
    const asset = await fetch(`${url}/${script}`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe(readFileSync(path.join(top, 'web', script!), 'utf8'));

    // A user made with the archive's own CLI (through the running hub's admin socket) signs in.
    const added = await launcher(
      ['user', 'add', 'alice', '--name', 'Alice', '--data', data],
      dir,
      'a-long-password-1\n',
    );
    expect(added.code, added.stderr).toBe(0);
    const login = await fetch(`${url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'alice', password: 'a-long-password-1' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };

    // An image gets a preview: sharp and its libvips load from the archive.
    const width = 1600;
    const height = 900;
    const pixels = new Uint8Array(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
    const upload = await fetch(url + uploadPath('photo.png'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      body: new Uint8Array(encodePng({ width, height, data: pixels })),
    });
    expect(upload.status).toBe(201);
    const { file } = (await upload.json()) as { file: { id: string; kind: string; width: number } };
    expect(file).toMatchObject({ kind: 'image', width });
    const preview = await fetch(url + filePath(file.id, 'preview'), { headers: { authorization: `Bearer ${token}` } });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/webp');
    const size = webpSize(Buffer.from(await preview.arrayBuffer()));
    expect(size.width).toBeLessThanOrEqual(1280);
    expect(size.width).toBeGreaterThan(0);

    hub.child.kill('SIGTERM');
    expect((await hub.exited).code).toBe(0);
  });

  it("starts the way the systemd unit's ExecStart does, with the example configuration", async () => {
    const unit = readFileSync(path.join(root, 'deploy/systemd/beseda-hub.service'), 'utf8');
    const execStart = /^ExecStart=(.+)$/m.exec(unit)![1]!.split(/\s+/);
    const dir = home('beseda-unit-');
    const config = JSON.parse(readFileSync(path.join(root, 'deploy/systemd/hub.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const configFile = path.join(dir, 'hub.json');
    writeFileSync(
      configFile,
      JSON.stringify({ ...config, dataDir: path.join(dir, 'data'), host: '127.0.0.1', port: 0 }),
    );
    // Only the install locations change: /opt/beseda-hub is the unpacked archive, /etc/beseda/hub.json a copy.
    const argv = execStart.map((arg) =>
      arg.startsWith('/opt/beseda-hub/')
        ? path.join(top, arg.slice('/opt/beseda-hub/'.length))
        : arg === '/etc/beseda/hub.json'
          ? configFile
          : arg,
    );
    expect(argv[0]).toBe(path.join(top, 'runtime/node'));
    const hub = spawnServe(argv[0]!, argv.slice(1), {
      env: { ...bareEnv(bin, dir), NODE_ENV: 'production' },
      cwd: dir,
    });
    hubs.push(hub);
    const port = await hub.listening;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    hub.child.kill('SIGTERM');
    expect((await hub.exited).code).toBe(0);
  });

  it('refuses a Windows archive without the files that cannot come from this machine, naming them', async () => {
    const failed = await run(process.execPath, ['scripts/pack-hub.js', '--platform', 'win32-x64', '--no-build'], {
      cwd: root,
    }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(/--node node\.exe/);
    expect(failed?.stderr).toMatch(/--native better_sqlite3\.node/);
  });
});
