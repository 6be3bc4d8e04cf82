import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { hubBundle, startHub, type TestHub } from '../helpers/startHub.ts';
import { buildWorld, settle, startLoad, type World } from './buildWorld.ts';
import { checkInvariants, problems, type ClientLog } from './checkInvariants.ts';
import { heavy, report, sleep } from './harnessEnv.ts';
import { OutboxClient } from './OutboxClient.ts';

const run = promisify(execFile);
const hubs: TestHub[] = [];
let world: World | undefined;
afterAll(async () => {
  await Promise.all(world?.clients.map((c) => c.stop()) ?? []);
  for (const h of hubs) if (h.process.exitCode === null && h.process.signalCode === null) await h.stop();
});

/** Every client's acknowledged messages as they stand now (what a backup taken next must hold). */
function snapshotAcked(w: World): ClientLog[] {
  return w.clients.map((c) => ({
    userId: c.userId,
    acked: new Map(c.acked),
    outbox: new Map(),
    received: new Map<number, Message>(),
    violations: [],
    startSeq: -1,
  }));
}

describe('fault harness: online backup', () => {
  it(
    'takes consistent backups under load (admin command and `beseda-hub backup`) that restore to a working hub',
    async () => {
      const hub = await startHub({
        args: ['--send-per-second', '100', '--send-burst', '200', '--frames-per-second', '1000'],
      });
      hubs.push(hub);
      world = await buildWorld(hub, { users: heavy ? 60 : 25, prefix: 'bak' });
      const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-backup-'));
      const load = startLoad(world, 50);
      await sleep(1500);

      // 1: the admin command, while clients keep sending.
      const before1 = snapshotAcked(world);
      let t = Date.now();
      const viaAdmin = (await hub.admin_('backup', { file: path.join(dir, 'admin.db') })) as { pages: number };
      const adminMs = Date.now() - t;
      await sleep(1000);
      // 2: the documented CLI, a separate process talking to the running hub.
      const before2 = snapshotAcked(world);
      t = Date.now();
      const cli = await run(process.execPath, [hubBundle, 'backup', path.join(dir, 'cli.db'), '--data', hub.dataDir]);
      const cliMs = Date.now() - t;
      expect(cli.stdout).toMatch(/Backup written/);
      await sleep(1000);
      load.stop();
      await settle(world);
      const ackedTotal = world.clients.reduce((s, c) => s + c.acked.size, 0);
      await Promise.all(world.clients.map((c) => c.stop()));
      await hub.stop();
      // The live database itself is intact.
      expect(problems(checkInvariants(path.join(hub.dataDir, 'beseda.db'), world.clients))).toEqual([]);

      const restored: Record<string, unknown>[] = [];
      for (const [name, before] of [
        ['admin.db', before1],
        ['cli.db', before2],
      ] as const) {
        // Restore as documented: `beseda-hub restore` into a fresh data folder.
        const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-restored-'));
        const restore = await run(process.execPath, [hubBundle, 'restore', path.join(dir, name), '--data', dataDir]);
        expect(restore.stdout).toMatch(/There was no database in .*\nInstalled the backup as /);
        const r = checkInvariants(path.join(dataDir, 'beseda.db'), before, { checkMissing: false });
        expect(problems(r)).toEqual([]);
        expect(r.acked).toBeGreaterThan(0);

        // The restored hub serves: old tokens work, history is there, new messages are accepted.
        const again = await startHub({ dataDir });
        hubs.push(again);
        const u = world.users[3]!;
        const c = new OutboxClient({ url: () => again.wsUrl, token: u.token, userId: u.id });
        await c.start();
        const sync = await c.request<{ messages: Message[] }>('sync', { since: 0, limit: 1000 });
        expect(sync.messages.length).toBeGreaterThan(0);
        const room = world.postable.get(u.id)![1]!;
        c.send(room, `H:${process.pid}:restored:${name} после восстановления`);
        expect(await c.drain(10_000)).toBe(true);
        await c.stop();
        await again.stop();
        expect(problems(checkInvariants(path.join(dataDir, 'beseda.db'), [c], { checkMissing: false }))).toEqual([]);
        restored.push({ backup: name, messagesInBackup: r.messagesChecked, ackedBeforeBackupChecked: r.acked });
      }
      report('online backup', {
        adminBackupMs: adminMs,
        pages: viaAdmin.pages,
        cliBackupMs: cliMs,
        ackedTotal,
        restored,
      });
    },
    heavy ? 600_000 : 300_000,
  );
});
