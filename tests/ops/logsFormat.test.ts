import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../hub/db/migrations.ts';
import { createLogger } from '../../hub/log/createLogger.ts';
import { hubBundle, startHub, type TestHub } from '../helpers/startHub.ts';
import { waitFor } from '../hub/serveProcess.ts';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Collects what a logger writes, line by line, as its destination. */
function sink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l !== ''),
      );
      cb();
    },
  });
  return { stream, lines };
}

describe('createLogger', () => {
  it('json: ISO times, secrets redacted', () => {
    const { stream, lines } = sink();
    const log = createLogger('info', 'json', { destination: stream, terminal: true });
    log.info({ token: 'tok-123', user: { password: 'pw-456' } }, 'hello');
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry.time).toMatch(isoTime);
    expect(Math.abs(Date.parse(entry.time as string) - Date.now())).toBeLessThan(60_000);
    expect(entry).toMatchObject({ msg: 'hello', token: '[redacted]', user: { password: '[redacted]' } });
  });

  it('pretty: one readable line with the ISO time, redacted, colours only on a terminal; auto follows the terminal', () => {
    const plain = sink();
    createLogger('info', 'pretty', { destination: plain.stream, terminal: false }).warn(
      { token: 'tok-123', port: 8080 },
      'something to see',
    );
    expect(plain.lines).toHaveLength(1);
    expect(plain.lines[0]).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] WARN.*: something to see /);
    expect(plain.lines[0]).toContain('"port":8080');
    expect(plain.lines[0]).toContain('[redacted]');
    expect(plain.lines[0]).not.toContain('tok-123');
    expect(plain.lines[0]).not.toContain('\x1b[');

    const coloured = sink();
    createLogger('info', 'pretty', { destination: coloured.stream, terminal: true }).info('on a terminal');
    expect(coloured.lines[0]).toContain('\x1b[');

    const autoTerminal = sink();
    createLogger('info', 'auto', { destination: autoTerminal.stream, terminal: true }).info('auto');
    expect(autoTerminal.lines[0]).toMatch(/^\[/);
    const autoPipe = sink();
    createLogger('info', 'auto', { destination: autoPipe.stream, terminal: false }).info('auto');
    expect(JSON.parse(autoPipe.lines[0]!)).toMatchObject({ msg: 'auto' });
  });
});

describe('a hub started with the default format on a pipe (json)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await hub.stop();
  });

  const entries = () =>
    hub.output
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown> & { msg: string; time: string });

  it('writes JSON lines with ISO times and the start-up lines: version, Node, pid, folders, every address', async () => {
    expect(await waitFor(() => entries().some((e) => e.msg.startsWith('listening on')), 30_000)).toBe(true);
    const all = entries();
    for (const e of all) expect(e.time).toMatch(isoTime);
    const version = all.find((e) => e.msg.startsWith('Beseda hub '))!;
    expect(version).toMatchObject({ version: packageVersion, node: process.version, pid: hub.process.pid });
    const folders = all.find((e) => e.msg.startsWith('data folder'))!;
    expect(folders).toMatchObject({
      dataDir: path.resolve(hub.dataDir),
      database: path.join(path.resolve(hub.dataDir), 'beseda.db'),
      filesDir: path.join(path.resolve(hub.dataDir), 'files'),
    });
    const listening = all.find((e) => e.msg.startsWith('listening on'))!;
    expect(listening).toMatchObject({ http: [hub.url], ws: [hub.wsUrl], port: hub.port });
  });

  it('says the schema version and the backup schedule at start', () => {
    const all = entries();
    const schema = all.find((e) => e.msg.startsWith('database '));
    expect(schema, 'a start-up line about the database schema').toMatchObject({
      schemaVersion: migrations.at(-1)!.version,
      created: true,
    });
    const backups = all.find((e) => 'backupDir' in e);
    expect(backups, 'a start-up line about the backups').toMatchObject({ everyMs: 24 * 3_600_000, keep: 7 });
  });
});

describe('a hub started with --log-format pretty', () => {
  it('writes readable lines with ISO times and no colours on a pipe, and still serves', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-logs-'));
    const child = spawn(
      process.execPath,
      [hubBundle, 'serve', '--data', dataDir, '--host', '127.0.0.1', '--port', '0', '--scrypt-n', '1024'].concat([
        '--log-format',
        'pretty',
      ]),
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.resume();
    try {
      expect(await waitFor(() => /listening on http:\/\/127\.0\.0\.1:(\d+)/.test(out), 60_000), out).toBe(true);
      const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const lines = out.split('\n').filter((l) => l !== '');
      for (const line of lines) expect(line).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] (INFO|WARN)/);
      expect(out).toContain(`Beseda hub ${packageVersion} starting (Node ${process.version}, pid ${child.pid})`);
      expect(out).toContain(`data folder ${path.resolve(dataDir)}`);
      expect(out).not.toContain('\x1b[');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
