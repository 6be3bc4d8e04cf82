// Stopping the hub however it was started: through npm (`npm run hub -- serve`, `npm start`),
// through the `npm start` launcher itself, and with a log reader that has gone away. Each must
// end with the hub's process gone, its port closed and its data lock released (a graceful stop).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { hubBundle } from '../helpers/startHub.ts';
import { isAlive, portClosed, spawnServe, waitFor, type ServeProcess } from './serveProcess.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Generous: the machine is shared and loaded; a hang is what is being caught, not slowness. */
const bound = 30_000;

/** The settings `npm start` reads from the environment, for a quiet hub on an ephemeral port. */
const startEnv = (data: string) => ({
  ...process.env,
  BESEDA_NO_BUILD: '1',
  BESEDA_NO_DESKTOP: '1',
  BESEDA_PORT: '0',
  BESEDA_HOST: '127.0.0.1',
  BESEDA_DATA: data,
  BESEDA_SCRYPT_N: '1024',
});

/** Waits until the hub listens and returns its port and pid (from the data lock it holds). */
async function started(p: ServeProcess, data: string): Promise<{ port: number; pid: number }> {
  const port = await p.listening;
  const pid = Number(readFileSync(path.join(data, 'hub.lock'), 'utf8'));
  expect(isAlive(pid)).toBe(true);
  return { port, pid };
}

/** The hub stopped gracefully: process gone, port closed, data lock removed by the hub itself. */
async function expectStopped(hub: { port: number; pid: number }, data: string): Promise<void> {
  expect(await waitFor(() => !isAlive(hub.pid), bound), `hub ${hub.pid} still running`).toBe(true);
  expect(await portClosed(hub.port)).toBe(true);
  expect(existsSync(path.join(data, 'hub.lock'))).toBe(false);
}

describe('stopping the hub', () => {
  it('SIGTERM to `npm run hub -- serve` stops the hub, not only npm', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-stop-'));
    const npm = spawnServe(
      'npm',
      ['run', '-s', 'hub', '--', 'serve', '--host', '127.0.0.1', '--port', '0', '--data', data, '--scrypt-n', '1024'],
      { cwd: root },
    );
    const hub = await started(npm, data);
    npm.child.kill('SIGTERM');
    await expectStopped(hub, data);
  }, 90_000);

  it('SIGTERM to `npm start` stops the hub it started', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-stop-'));
    const npm = spawnServe('npm', ['start'], { cwd: root, env: startEnv(data) });
    const hub = await started(npm, data);
    npm.child.kill('SIGTERM');
    await expectStopped(hub, data);
  }, 90_000);

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
    it(`the npm start launcher passes ${signal} on and exits only after the hub has exited`, async () => {
      const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-stop-'));
      const launcher = spawnServe(process.execPath, ['scripts/start.js'], { cwd: root, env: startEnv(data) });
      const hub = await started(launcher, data);
      launcher.child.kill(signal);
      const { code } = await launcher.exited;
      // When the launcher is gone the hub is already gone, having released its lock.
      expect(isAlive(hub.pid)).toBe(false);
      expect(existsSync(path.join(data, 'hub.lock'))).toBe(false);
      expect(code).toBe(0);
      expect(await portClosed(hub.port)).toBe(true);
    }, 90_000);

  it('a hub whose log reader has gone keeps serving, says so once on stderr, and exits 0 on SIGTERM', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-stop-'));
    // Like `beseda-hub serve … | head -c 300`: read the first lines, then close the pipe.
    const hub = spawnServe(
      process.execPath,
      [hubBundle, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', data, '--scrypt-n', '1024'],
      {},
      (_chunk, child) => {
        if (/"msg":"listening"/.test(hub.stdout())) child.stdout!.destroy();
      },
    );
    const port = await hub.listening;
    // Log lines written now hit the closed pipe (EPIPE): refused WebSocket upgrades are logged.
    for (let i = 0; i < 20; i++)
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}/not-the-socket`);
        ws.on('error', () => resolve());
        ws.on('close', () => resolve());
      });
    expect(await waitFor(() => /log output \(stdout\) failed/.test(hub.stderr()), bound)).toBe(true);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    hub.child.kill('SIGTERM');
    const exit = await Promise.race([hub.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
    if (exit === 'hung') hub.child.kill('SIGKILL');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(hub.stderr().match(/log output \(stdout\)/g)).toHaveLength(1);
    expect(existsSync(path.join(data, 'hub.lock'))).toBe(false);
  }, 90_000);

  it('a hub whose stdout closes just before SIGTERM still exits 0', async () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-stop-'));
    const hub = spawnServe(
      process.execPath,
      [hubBundle, 'serve', '--host', '127.0.0.1', '--port', '0', '--data', data, '--scrypt-n', '1024'],
      {},
      (_chunk, child) => {
        if (/"msg":"listening"/.test(hub.stdout())) child.stdout!.destroy();
      },
    );
    await hub.listening;
    // The first failed write is the shutdown's own "shutting down" line: the case that used to hang.
    hub.child.kill('SIGTERM');
    const exit = await Promise.race([hub.exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
    if (exit === 'hung') hub.child.kill('SIGKILL');
    expect(exit).toEqual({ code: 0, signal: null });
  }, 90_000);
});
