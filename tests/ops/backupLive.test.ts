// Scheduled backups of a real hub process (`serve --backup-dir DIR --backup-every 2s --backup-keep 2`)
// while a person keeps sending: every backup verified and consistent (each message acknowledged
// before it began is in it), retention holding two scheduled ones, the CLI's backup now / list /
// status through the running hub, and `restore` of a scheduled backup giving a hub that serves.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupCommands } from '../../hub/cli/backupCommands.ts';
import { adminCaller } from '../../hub/cli/adminCall.ts';
import type { CliContext } from '../../hub/cli/CliCommand.ts';
import { loadConfig } from '../../hub/config/loadConfig.ts';
import { inspectBackup } from '../../hub/db/inspectBackup.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid, person } from '../hub/connect.ts';
import { tempDir } from '../hub-core/harness.ts';

const hubs: TestHub[] = [];
afterAll(async () => {
  for (const h of hubs) if (h.process.exitCode === null && h.process.signalCode === null) await h.stop();
});

/** Runs one of the backup commands in this process as `beseda-hub … --data DIR` would; returns its exit code and output. */
async function cli(words: string, dataDir: string, positionals: string[] = [], values: CliContext['values'] = {}) {
  const command = backupCommands.find((c) => c.words.join(' ') === words)!;
  const config = loadConfig({ data: dataDir }, {});
  const ctx: CliContext = { positionals, values, config: () => config, admin: adminCaller(config) };
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    const code = await command.run(ctx);
    return { code, out: out.join('') };
  } finally {
    process.stdout.write = write;
  }
}

/** The general room's message texts in a backup. */
function textsIn(file: string): Set<string> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return new Set(db.prepare("SELECT text FROM messages WHERE kind <> 'system'").pluck().all() as string[]);
  } finally {
    db.close();
  }
}

async function until<T>(what: () => T | null | undefined | false, label: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const written = (hub: TestHub, kind: string) =>
  hub.output.filter((l) => l.includes('"backup written and verified"') && l.includes(`"kind":"${kind}"`)).length;

describe('scheduled backups of a serving hub', { timeout: 240_000 }, () => {
  it('are taken while messages are sent, verified and consistent, pruned to --backup-keep, listed by the CLI, and restore to a working hub', async () => {
    const backupDir = path.join(tempDir(), 'elsewhere', 'backups');
    const hub = await startHub({
      args: [
        ...['--backup-dir', backupDir, '--backup-every', '2s', '--backup-keep', '2'],
        ...['--send-per-second', '1000', '--send-burst', '1000', '--frames-per-second', '2000'],
      ],
    });
    hubs.push(hub);
    const anna = await person(hub, 'anna', 'Анна Петрова');

    // One person sending without pause; each acknowledged text is noted with the time of its ack.
    const acked: { text: string; at: number }[] = [];
    let sending = true;
    const load = (async () => {
      for (let i = 0; sending; i++) {
        const text = `сообщение ${i}`;
        try {
          await anna.socket.request('send', { conversationId: anna.generalId, clientId: cid(), text });
        } catch (err) {
          // A quiet machine sends faster than even the raised limit: wait as a client would, then go on.
          const retry = (err as { code?: string; retryAfterMs?: number }).code === 'rate_limited';
          if (!retry) throw err;
          await new Promise((r) => setTimeout(r, Math.max(1, (err as { retryAfterMs?: number }).retryAfterMs ?? 1)));
          continue;
        }
        acked.push({ text, at: Date.now() });
      }
    })();

    await until(() => written(hub, 'scheduled') >= 3, 'three scheduled backups');
    // `beseda-hub backup now` through the running hub: its own folder, not the CLI's default.
    const before = acked.length;
    const now = await cli('backup now', hub.dataDir);
    expect(now.code).toBe(0);
    expect(now.out).toMatch(new RegExp(`Backup written and verified: ${backupDir}/beseda-.*-manual\\.db`));
    const manualFile = /verified: (\S+-manual\.db)/.exec(now.out)![1]!;
    await until(() => written(hub, 'scheduled') >= 4, 'a fourth scheduled backup');
    sending = false;
    await load;

    // Consistent: everything acknowledged before `backup now` was asked for is in it.
    const inManual = textsIn(manualFile);
    for (const m of acked.slice(0, before)) expect(inManual.has(m.text), m.text).toBe(true);
    expect(inspectBackup(manualFile).messages).toBeGreaterThanOrEqual(before);

    // Retention: two scheduled ones (the manual one stays); every backup in the folder sound.
    const scheduled = () => fs.readdirSync(backupDir).filter((n) => n.endsWith('-scheduled.db'));
    await until(() => scheduled().length === 2, 'two scheduled backups kept');
    for (const name of fs.readdirSync(backupDir).filter((n) => n.endsWith('.db')))
      expect(inspectBackup(path.join(backupDir, name)).users).toBeGreaterThanOrEqual(2);
    expect(fs.existsSync(manualFile)).toBe(true);
    expect(fs.readdirSync(backupDir).filter((n) => n.endsWith('.files'))).toHaveLength(
      fs.readdirSync(backupDir).filter((n) => n.endsWith('.db')).length,
    );

    const list = await cli('backup list', hub.dataDir);
    expect(list.code).toBe(0);
    expect(list.out).toContain(`Backups in ${backupDir}:`);
    expect(list.out).toMatch(/ scheduled .* MiB /);
    expect(list.out).toMatch(/ manual .*-manual\.db/);
    const status = await cli('backup status', hub.dataDir);
    expect(status.code).toBe(0);
    expect(status.out).toContain(`Folder: ${backupDir}`);
    expect(status.out).toMatch(/Schedule: every 2s, keeping the newest 2 scheduled backups/);
    expect(status.out).toMatch(/Last good backup: \d{4}-.*Z \(.* ago\), (scheduled|manual)/);
    expect(status.out).toMatch(/Next scheduled backup: \d{4}-/);

    // Restore the newest scheduled backup into a new data folder: the hub there serves it.
    await hub.stop();
    // The stop waited for a backup being written; nothing unfinished (no .partial, -wal or -shm) is left.
    expect(fs.readdirSync(backupDir).filter((n) => !/-(scheduled|manual)\.db(\.files)?$/.test(n))).toEqual([]);
    // With the hub stopped, the CLI finds that folder when told (`--backup-dir`), not in DATA/backups.
    const stopped = await cli('backup list', hub.dataDir, [], { 'backup-dir': backupDir });
    expect(stopped.out).toContain(`Backups in ${backupDir}:`);
    expect(stopped.out).toMatch(/\n3 backups\n/);
    expect((await cli('backup list', hub.dataDir)).out).toMatch(/\n0 backups\n/);
    const newest = path.join(backupDir, scheduled().sort().at(-1)!);
    const expected = textsIn(newest);
    const restoredDir = tempDir();
    const restore = await cli('restore', restoredDir, [newest]);
    expect(restore.code).toBe(0);
    expect(restore.out).toMatch(/Installed the backup as /);
    const again = await startHub({ dataDir: restoredDir });
    hubs.push(again);
    const { token } = await again.login('anna', anna.password);
    const socket = await TestSocket.open(again.wsUrl, token);
    const sync = await socket.request<{ messages: { text: string; kind: string }[] }>('sync', {
      since: 0,
      limit: 1000,
    });
    const served = sync.messages.filter((m) => m.kind !== 'system');
    expect(served.length).toBeGreaterThan(100);
    for (const m of served) expect(expected.has(m.text), m.text).toBe(true);
    await socket.request('send', { conversationId: anna.generalId, clientId: cid(), text: 'после восстановления' });
    socket.close();
  });
});
