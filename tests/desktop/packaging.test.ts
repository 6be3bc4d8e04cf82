// What IT installs: electron-builder.yml is valid for electron-builder's own schema, the desktop
// bundle holds only our code, and an offline `electron-builder --linux dir` (with a stand-in
// Electron) packs exactly that bundle into app.asar, puts branch.json into resources/ and flips
// the security fuses.
import { listPackage } from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import Ajv from 'ajv';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const load = (name: string) => import(new URL(`../../scripts/${name}`, import.meta.url).href);
/** The parts of electron-builder.yml these tests read. */
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { app: string };
  electronFuses: Record<string, boolean>;
  files: string[];
  win: { target: { target: string }[] };
  nsis: Record<string, unknown>;
  msi: Record<string, unknown> & { upgradeCode: string };
  linux: { target: string[] };
  mac: { target: string[] };
  protocols: { schemes: string[] }[];
}
// electron-builder's own YAML reader (js-yaml, installed with it; it ships no types).
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** Every file under a folder, as `/a/b` paths (the form @electron/asar lists). */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const rel = `${prefix}/${name}`;
    return statSync(full).isDirectory() ? [rel, ...filesUnder(full, rel)] : [rel];
  });
}

describe('electron-builder.yml', () => {
  it('validates against electron-builder’s JSON schema', () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    // And a broken one does not pass (the check can fail).
    expect(validate({ ...config, nsis: { perMachine: 'sometimes' } })).toBe(false);
  });

  it('packs only the bundle, with the fuses of the security checklist', () => {
    expect(config.directories.app).toBe('dist/desktop');
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
    expect(config.files).toContain('!**/node_modules/**');
  });

  it('builds NSIS (per-user or per-machine) and a per-machine MSI, AppImage, deb and dmg', () => {
    expect(config.productName).toBe('Беседа');
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis', 'msi']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(config.msi).toMatchObject({ perMachine: true });
    expect(config.msi.upgradeCode).toMatch(/^[0-9a-f-]{36}$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.protocols[0]!.schemes).toEqual(['beseda']);
    // Windows ties notifications to the app id: the app must set the same one.
    expect(readFileSync(path.join(root, 'main/shell/main.ts'), 'utf8')).toContain(`const appId = '${config.appId}'`);
  });
});

describe('the desktop bundle and an offline package', () => {
  let work: string;
  let appDir: string;
  let unpacked: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'beseda-dist-'));
    // A stand-in for Electron's binary: just the fuse wire electron-builder flips, as Electron
    // ships it (RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on, …).
    const electronDist = path.join(work, 'electron-dist');
    mkdirSync(electronDist);
    const wire = Buffer.concat([
      Buffer.from('#!/bin/sh\nexit 0\n'),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, 8]),
      Buffer.from('10110001'),
    ]);
    writeFileSync(path.join(electronDist, 'electron'), wire, { mode: 0o755 });
    writeFileSync(path.join(electronDist, 'version'), '45.4.1');

    // Nothing may reach the network: any download attempt hits a closed local port and fails.
    const saved = { ...process.env };
    Object.assign(process.env, {
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
      http_proxy: 'http://127.0.0.1:9',
    });
    try {
      const { dist } = await load('dist.js');
      await dist({
        branch: 'kazan',
        hubUrl: 'wss://hub.kazan.local:8443/',
        targets: { linux: ['dir'] },
        electronDist,
        workDir: work,
        outputDir: path.join(work, 'out'),
      });
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    appDir = path.join(work, 'desktop');
    unpacked = path.join(work, 'out', 'linux-unpacked');
  }, 180_000);

  it('holds main.js, preload.cjs, renderer/ and package.json only', () => {
    const files = filesUnder(appDir);
    expect(files.filter((f) => !f.startsWith('/renderer'))).toEqual(['/main.js', '/package.json', '/preload.cjs']);
    expect(files).toContain('/renderer/index.html');
    const pkg = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'beseda', main: 'main.js', type: 'module' });
    expect(pkg.version).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
    expect(pkg.dependencies).toBeUndefined();
  });

  it('bundles every dependency: main.js loads only Node built-ins and electron; preload only electron', () => {
    const main = readFileSync(path.join(appDir, 'main.js'), 'utf8');
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const imported = [...main.matchAll(/^import\s[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1]!);
    // (Code ajv generates at run time quotes `require("ajv/…")` inside strings: not a load.)
    const required = [...main.matchAll(/(?<![.\w'"`])require\(["']([^"']+)["']\)/g)].map((m) => m[1]!);
    const optional = new Set(['bufferutil', 'utf-8-validate']); // ws's optional speed-ups, in try/catch
    for (const name of [...imported, ...required])
      expect(builtins.has(name) || name === 'electron' || optional.has(name), name).toBe(true);
    expect(main).not.toContain('better-sqlite3');
    expect(main).not.toMatch(/hub\/(ops|server|store)\//);
    const preload = readFileSync(path.join(appDir, 'preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/^import\s/m);
  });

  it('packs exactly the bundle into app.asar (no node_modules, nothing unpacked)', () => {
    const resources = path.join(unpacked, 'resources');
    const packed = listPackage(path.join(resources, 'app.asar'), { isPack: false }).sort();
    expect(packed).toEqual(filesUnder(appDir).sort());
    // app-update.yml: electron-builder's note of the update feed (issue 21), written with the feed files.
    expect(readdirSync(resources).sort()).toEqual(['app-update.yml', 'app.asar', 'branch.json']);
  });

  it('puts the branch defaults into resources/branch.json', () => {
    const branch = JSON.parse(readFileSync(path.join(unpacked, 'resources', 'branch.json'), 'utf8'));
    expect(branch).toEqual({ branch: 'kazan', hubUrl: 'wss://hub.kazan.local:8443' });
  });

  it('flips the fuses in the packaged executable', async () => {
    const wire = await getCurrentFuseWire(path.join(unpacked, 'beseda'));
    const on = 49;
    const off = 48;
    expect([wire[0], wire[1], wire[2], wire[3], wire[4], wire[5], wire[7]]).toEqual([off, on, off, off, on, on, off]);
  });

  it('names installers after the branch and refuses bad branch or hub values', async () => {
    const { builderOverrides, checkBranch, checkHub, parseDistArgs } = await load('dist.js');
    const overrides = builderOverrides({
      branch: 'kazan',
      appDir: 'a',
      resources: 'r',
      outputDir: 'o',
      branchFile: 'b',
    });
    expect(overrides.artifactName).toBe('Beseda-${version}-kazan-${os}-${arch}.${ext}');
    expect(overrides.extraResources).toEqual([{ from: 'b', to: 'branch.json' }]);
    expect(() => checkBranch('../x')).toThrow();
    expect(() => checkBranch('Казань')).toThrow();
    expect(() => checkHub('ftp://hub')).toThrow();
    expect(() => checkHub('wss://u:p@hub')).toThrow();
    expect(checkHub('https://hub.example/')).toBe('https://hub.example');
    expect(parseDistArgs(['--branch', 'kazan', '--hub=wss://h', '--win', 'nsis', 'msi', '--linux'])).toMatchObject({
      branch: 'kazan',
      hubUrl: 'wss://h',
      targets: { win: ['nsis', 'msi'], linux: [] },
    });
  });
});
