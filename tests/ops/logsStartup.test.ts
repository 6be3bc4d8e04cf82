import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../hub/db/migrations.ts';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import { hubBundle, startHub } from '../helpers/startHub.ts';
import { isAlive, waitFor } from '../hub/serveProcess.ts';

describe('start-up lines of a hub that migrates its database', () => {
  it('names the versions, every migration applied and the copy taken before', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-logs-migrate-'));
    const last = migrations.at(-1)!;
    // A database as the hub before the newest schema step left it.
    openDatabase(path.join(dataDir, 'beseda.db'), {
      now: Date.now(),
      migrations: migrations.filter((m) => m.version < last.version),
    }).close();
    const hub = await startHub({ dataDir });
    try {
      const line = () =>
        hub.output
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown> & { msg: string })
          .find((e) => e.msg.startsWith('database migrated'));
      expect(await waitFor(() => line() !== undefined, 30_000), hub.output.join('\n')).toBe(true);
      const migrated = line()!;
      expect(migrated).toMatchObject({
        fromVersion: last.version - 1,
        schemaVersion: last.version,
        created: false,
        migrations: [{ version: last.version, name: expect.any(String) }],
      });
      expect(migrated.msg).toContain(`from schema version ${last.version - 1} to ${last.version}: ${last.version} `);
      expect(typeof migrated.backupFile).toBe('string');
      expect(existsSync(migrated.backupFile as string)).toBe(true);
      expect(migrated.msg).toContain(migrated.backupFile as string);
    } finally {
      await hub.stop();
    }
  });
});

describe('--log-format auto on a terminal', () => {
  it('is pretty, with colours', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-logs-tty-'));
    const serve = [process.execPath, hubBundle, 'serve', '--data', dataDir, '--host', '127.0.0.1', '--port', '0']
      .concat(['--scrypt-n', '1024'])
      .map((a) => `'${a}'`)
      .join(' ');
    // `script` runs the hub on a pseudo-terminal; `timeout` ends it should this test not.
    const child = spawn('script', ['-qec', `timeout 120 ${serve}`, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.resume();
    try {
      // The log's line, not the terminal note on stderr ("Beseda hub is listening on …").
      const logged = (l: string) => l.includes('(WebSocket: /ws)');
      expect(await waitFor(() => out.split(/\r?\n/).some(logged), 60_000), out).toBe(true);
      const line = out.split(/\r?\n/).find(logged)!;
      expect(line).toMatch(/\x1b\[\d+m/);
      expect(line).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] /);
      expect(out).not.toMatch(/^\{"level"/m);
    } finally {
      // The hub, `timeout` and `script` are one process group this test started.
      if (child.pid && isAlive(child.pid)) process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    }
  });
});
