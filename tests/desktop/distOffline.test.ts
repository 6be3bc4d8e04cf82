// `npm run dist` on a build machine without internet: packaging cannot download Electron, and the
// command must fail (non-zero, whatever electron-builder's exit hooks do) saying so in plain
// Russian and English with the offline way (--electron-dist). No network is reached: downloads go
// to a closed local port through the proxy settings, into empty caches.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs `node scripts/dist.js …` offline; resolves with its exit code and output. */
function dist(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'beseda-dist-offline-'));
  const closed = 'http://127.0.0.1:9';
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
      // Empty caches: a machine that downloaded Electron before must not make this pass by luck.
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
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

describe('npm run dist without internet', () => {
  it('exits non-zero and says in plain words that Electron could not be downloaded and how to build offline', async () => {
    // The default targets (AppImage and deb here): electron-builder's temp-folder exit hook made
    // this case exit 0.
    const r = await dist(['--branch', 'kazan', '--hub', 'wss://hub.kazan.local:8443']);
    expect(r.code, r.out + r.err).not.toBe(0);
    expect(r.err).toContain('dist: не удалось скачать Electron');
    expect(r.err).toContain('dist: could not download Electron');
    expect(r.err).toMatch(/electron-v[\d.]+-\w+-\w+\.zip/);
    expect(r.err).toContain('--electron-dist');
    expect(r.err).toContain('docs/deploy-desktop.md');
    // A packaging failure is not a usage mistake.
    expect(r.err).not.toContain('usage:');
  }, 300_000);

  it('refuses a bad argument with the usage, non-zero', async () => {
    const r = await dist(['--branch', '../x', '--hub', 'wss://hub']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('--branch must be');
    expect(r.err).toContain('usage: npm run dist');
  });
});
