// The offline installer build (issue 21, point 2): `npm run dist -- --offline DIR` on a machine
// without internet. The whole `--dir` build runs as IT runs it (the CLI, a child process) with a
// stand-in Electron and every download pointed at a closed local port; the kit folder is checked
// before anything is built, naming each missing or damaged file with its URL; the kit's list is
// electron-builder's own (the names and checksums in its installed sources).
import { extractFile, listPackage } from '@electron/asar';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const closed = 'http://127.0.0.1:9';
// A plain-JS script: imported by URL (as packaging.test.ts does), typed by hand where used.
const load = () => import(new URL('../../scripts/offlineKit.js', import.meta.url).href);

interface Run {
  code: number | null;
  out: string;
  err: string;
  work: string;
}

/** `node scripts/dist.js ARGS --out WORK` with no way out to the network and empty caches. */
function dist(args: string[]): Promise<Run> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'beseda-offline-build-'));
  const child = spawn(process.execPath, ['scripts/dist.js', ...args, '--out', path.join(work, 'out')], {
    cwd: root,
    env: {
      ...process.env,
      HTTPS_PROXY: closed,
      HTTP_PROXY: closed,
      https_proxy: closed,
      http_proxy: closed,
      NO_PROXY: '',
      no_proxy: '',
      ELECTRON_GET_USE_PROXY: '1',
      // Any download of Electron or of a tool goes to a closed port and fails at once.
      ELECTRON_MIRROR: `${closed}/`,
      ELECTRON_BUILDER_BINARIES_MIRROR: `${closed}/`,
      ELECTRON_BUILDER_BINARIES_ALLOW_HTTP: 'true',
      XDG_CACHE_HOME: path.join(work, 'cache'),
      ELECTRON_BUILDER_CACHE: path.join(work, 'cache/electron-builder'),
      electron_config_cache: path.join(work, 'cache/electron'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err, work })));
}

/** A stand-in for Electron's unpacked folder: the binary (just the fuse wire) and `version`. */
function standInElectron(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const wire = Buffer.concat([
    Buffer.from('#!/bin/sh\nexit 0\n'),
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, 8]),
    Buffer.from('10110001'),
  ]);
  writeFileSync(path.join(dir, 'electron'), wire, { mode: 0o755 });
  writeFileSync(path.join(dir, 'version'), '45.4.1');
  return dir;
}

/** Every file under a folder, relative. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? filesUnder(full, rel) : [rel];
  });
}

describe('npm run dist -- --offline DIR', () => {
  it('builds the unpacked app offline with a stand-in Electron: app.asar holds the app and no native modules', async () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'beseda-offline-kit-'));
    const kit = path.join(scratch, 'kit');
    mkdirSync(kit);
    const electron = standInElectron(path.join(scratch, 'electron'));
    const r = await dist([
      '--branch',
      'kazan',
      '--hub',
      'wss://chat.kazan.corp.local:8443/',
      '--linux',
      'dir',
      '--offline',
      kit,
      '--electron-dist',
      electron,
    ]);
    expect(r.code, r.out + r.err).toBe(0);
    // No download was attempted (each would have failed against the closed port).
    expect(r.out + r.err).not.toMatch(/ECONNREFUSED|could not download|не удалось скачать/);

    const unpacked = path.join(r.work, 'out', 'installers', 'kazan', 'linux-unpacked');
    const resources = path.join(unpacked, 'resources');
    const asar = path.join(resources, 'app.asar');
    const packed = listPackage(asar, { isPack: false });
    for (const file of ['/main.js', '/preload.cjs', '/package.json', '/renderer/index.html'])
      expect(packed, file).toContain(file);
    expect(packed.filter((f) => f.endsWith('.node') || f.includes('node_modules'))).toEqual([]);
    expect(filesUnder(unpacked).filter((f) => f.endsWith('.node'))).toEqual([]);
    // The bundle is the app's, not the hub's.
    const main = extractFile(asar, 'main.js').toString('utf8');
    expect(main).toContain('ru.beseda.desktop');
    expect(main).not.toContain('better-sqlite3');
    expect(JSON.parse(extractFile(asar, 'package.json').toString('utf8'))).toMatchObject({ main: 'main.js' });
    // The hub's update feed as a generic provider: what makes electron-builder write latest.yml
    // beside the installers (issue 21, updates); the app sets its feed itself at run time.
    expect(readFileSync(path.join(resources, 'app-update.yml'), 'utf8')).toContain(
      'url: https://chat.kazan.corp.local:8443/updates/stable/linux',
    );
    // The branch's hub, baked in next to the app.
    expect(JSON.parse(readFileSync(path.join(resources, 'branch.json'), 'utf8'))).toEqual({
      branch: 'kazan',
      hubUrl: 'wss://chat.kazan.corp.local:8443',
    });
  }, 300_000);

  it('names every missing file with its URL before building anything', async () => {
    const kit = mkdtempSync(path.join(os.tmpdir(), 'beseda-offline-empty-'));
    const r = await dist([
      '--branch',
      'kazan',
      '--hub',
      'wss://hub.kazan.local',
      '--linux',
      'AppImage',
      'deb',
      '--offline',
      kit,
    ]);
    expect(r.code).toBe(1);
    const host = process.arch === 'arm64' ? 'arm64' : 'x64';
    expect(r.err).toContain('the offline folder lacks files');
    expect(r.err).toContain(
      `https://github.com/electron/electron/releases/download/v45.4.1/electron-v45.4.1-linux-${host}.zip`,
    );
    const tools = 'https://github.com/electron-userland/electron-builder-binaries/releases/download/';
    expect(r.err).toContain(`${tools}appimage-12.0.1/appimage-12.0.1.7z`);
    expect(r.err).toContain(`${tools}7zip@1.0.0/7zip-linux-${host}.tar.gz`);
    expect(r.err).toMatch(/fpm@2\.1\.4\/fpm-1\.17\.0-ruby-3\.4\.3-linux-\w+\.7z/);
    expect(r.err).not.toContain('usage:');
    // Checked first: nothing was bundled, nothing packaged.
    expect(existsSync(path.join(r.work, 'out', 'desktop'))).toBe(false);
    expect(existsSync(path.join(r.work, 'out', 'installers'))).toBe(false);
  }, 120_000);

  it('refuses a damaged file (wrong checksum) by name, before building', async () => {
    const kit = mkdtempSync(path.join(os.tmpdir(), 'beseda-offline-bad-'));
    const host = process.arch === 'arm64' ? 'arm64' : 'x64';
    writeFileSync(path.join(kit, `electron-v45.4.1-linux-${host}.zip`), 'not electron');
    const r = await dist(['--branch', 'kazan', '--hub', 'wss://hub.kazan.local', '--linux', 'dir', '--offline', kit]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('damaged (download again)');
    expect(r.err).toContain(`electron-v45.4.1-linux-${host}.zip (Electron): sha256 ≠ `);
    expect(existsSync(path.join(r.work, 'out', 'desktop'))).toBe(false);
  }, 120_000);
});

describe('the kit’s tools in electron-builder’s cache', () => {
  /** Asks electron-builder's own downloader for a tool, as NSIS/WiX/fpm/AppImage (getBinFromUrl) and 7-Zip/icons/dmgbuild (downloadBuilderToolset) do. */
  function fetchTool(cache: string, sha256: string): Promise<{ code: number | null; out: string; err: string }> {
    const script = `
      const { getBinFromUrl } = require('app-builder-lib/out/binDownload');
      const { downloadBuilderToolset } = require('app-builder-lib/out/util/electronGet');
      (async () => {
        const file = 'fake-tool.tar.gz';
        const a = await getBinFromUrl('fake@1.0.0', file, process.env.SHA);
        const b = await downloadBuilderToolset({ releaseName: 'fake@1.0.0', filenameWithExt: file, checksums: { [file]: process.env.SHA } });
        console.log(JSON.stringify([a, b]));
      })().catch((e) => { console.error(String(e && e.message)); process.exit(1); });`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: root,
      env: {
        ...process.env,
        SHA: sha256,
        ELECTRON_BUILDER_CACHE: cache,
        ELECTRON_BUILDER_BINARIES_MIRROR: `${closed}/`,
        ELECTRON_BUILDER_BINARIES_ALLOW_HTTP: 'true',
        HTTPS_PROXY: closed,
        HTTP_PROXY: closed,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
  }

  it('are taken from where prepareOfflineKit lays them, with the network closed (and not without them)', async () => {
    const { prepareOfflineKit } = await load();
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'beseda-offline-tool-'));
    const kit = path.join(scratch, 'kit');
    const src = path.join(scratch, 'src');
    mkdirSync(kit);
    mkdirSync(path.join(src, 'tool'), { recursive: true });
    writeFileSync(path.join(src, 'tool', 'hello.txt'), 'a tool');
    // A .tar.gz of our own, one folder at the top as the real ones: electron-builder unpacks it
    // without 7-Zip.
    execFileSync('tar', ['-czf', path.join(kit, 'fake-tool.tar.gz'), '-C', src, 'tool']);
    const sha256 = createHash('sha256')
      .update(readFileSync(path.join(kit, 'fake-tool.tar.gz')))
      .digest('hex');

    // Without the layout the downloader goes to the network, which is closed: the check can fail.
    const bare = await fetchTool(path.join(scratch, 'empty-cache'), sha256);
    expect(bare.code, bare.out).toBe(1);
    expect(bare.err).toMatch(/ECONNREFUSED|127\.0\.0\.1:9/);

    const cache = path.join(scratch, 'cache');
    const entry = {
      file: 'fake-tool.tar.gz',
      release: 'fake@1.0.0',
      sha256,
      url: 'https://example.invalid/',
      why: 'test',
    };
    await prepareOfflineKit(kit, [entry], cache);
    const r = await fetchTool(cache, sha256);
    expect(r.code, r.err).toBe(0);
    const dirs = JSON.parse(r.out.trim().split('\n').at(-1)!) as string[];
    for (const d of dirs) expect(readFileSync(path.join(d, 'hello.txt'), 'utf8')).toBe('a tool');
  }, 120_000);
});

describe('the offline kit list', () => {
  it('is electron-builder’s own: each tool’s release, file and checksum are in its installed sources', async () => {
    const { kitFiles } = await load();
    const hosts: [string, string][] = [
      ['win32', 'x64'],
      ['linux', 'x64'],
      ['linux', 'arm64'],
      ['darwin', 'arm64'],
      ['darwin', 'x64'],
    ];
    let checked = 0;
    for (const [hostPlatform, hostArch] of hosts) {
      const files = kitFiles({
        electronVersion: '45.4.1',
        hostPlatform,
        hostArch,
        signing: true,
        builds: [
          { platform: 'win', targets: ['nsis', 'msi'], archs: ['x64'] },
          { platform: 'linux', targets: ['AppImage', 'deb'], archs: ['x64'] },
          { platform: 'mac', targets: ['dmg'], archs: ['arm64'] },
        ],
      });
      for (const f of files) {
        expect(f.url).toMatch(/^https:\/\/github\.com\//);
        expect(f.sha256, f.file).toMatch(/^[0-9a-f]{64}$/);
        if (!f.release) {
          // Electron's zip: checked against the checksums the electron package ships.
          const sums = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/checksums.json'), 'utf8'));
          expect(sums[f.file]).toBe(f.sha256);
          continue;
        }
        const source = readFileSync(path.join(root, 'node_modules', f.source!), 'utf8');
        expect(source, `${f.file} in ${f.source}`).toContain(f.file);
        expect(source, `${f.release} in ${f.source}`).toContain(f.release);
        expect(source, `${f.sha256} in ${f.source}`).toContain(f.sha256!);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // …for the tool versions electron-builder.yml pins (its default set), whatever a later
    // electron-builder makes the default.
    const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
    const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as {
      toolsets: Record<string, string>;
    };
    expect(config.toolsets).toEqual({ nsis: '0.0.0', appimage: '0.0.0', winCodeSign: '0.0.0' });
  });

  it('states the build machine’s Node where package.json and the docs agree', async () => {
    const { buildNodeMinimum } = await load();
    const minimum = buildNodeMinimum();
    expect(minimum).toBe('22.12.0');
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    const doc = readFileSync(path.join(root, 'docs/deploy-desktop.md'), 'utf8');
    // engines is the hub's floor (it runs on Node 20); the build machine's comes from electron-builder.
    expect(doc).toContain(`\`engines.node\` (\`${pkg.engines.node}\`)`);
    expect(doc).toContain(`Node ${minimum.replace(/\.0$/, '')}`);
  });
});
