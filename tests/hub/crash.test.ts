import { afterAll, describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { cid } from './connect.ts';
import { onPostgresStore } from '../helpers/postgres.ts';

let hub: TestHub;
afterAll(async () => {
  if (hub.process.exitCode === null) await hub.stop();
});

describe('crash safety', () => {
  it('keeps every acknowledged message exactly once when SIGKILLed while 20 clients send', async () => {
    hub = await startHub({ args: ['--send-per-second', '500', '--send-burst', '500', '--frames-per-second', '500'] });
    const clients = [] as {
      token: string;
      socket: TestSocket;
      general: number;
      acked: Message[];
      attempted: string[];
    }[];
    for (let i = 0; i < 20; i++) {
      const u = await hub.addUser(`sender${i}`);
      const { token } = await hub.login(u.login, u.password);
      const socket = await TestSocket.open(hub.wsUrl, token);
      clients.push({
        token,
        socket,
        general: socket.hello.conversations.find((c) => c.kind === 'general')!.id,
        acked: [],
        attempted: [],
      });
    }
    let stop = false;
    // The kill comes once the clients have had 100 messages acknowledged (five each on average),
    // not after a fixed time: on a loaded machine a 700 ms window held only the first 20.
    let ackedSoFar = 0;
    let enoughAcked!: () => void;
    const enough = new Promise<void>((resolve) => (enoughAcked = resolve));
    const loops = clients.map(async (c, i) => {
      for (let n = 0; !stop; n++) {
        const clientId = cid(`c${i}`);
        c.attempted.push(clientId);
        try {
          const { message } = await c.socket.request<{ message: Message }>('send', {
            conversationId: c.general,
            clientId,
            text: `client ${i} message ${n}`,
          });
          c.acked.push(message);
          if (++ackedSoFar >= 100) enoughAcked();
        } catch {
          return; // the hub died mid-request: not acknowledged
        }
      }
    });
    const deadline = setTimeout(() => enoughAcked(), 60_000);
    await enough;
    clearTimeout(deadline);
    await hub.kill();
    stop = true;
    await Promise.all(loops);
    const acked = clients.flatMap((c) => c.acked);
    expect(acked.length).toBeGreaterThanOrEqual(100);

    await hub.restart();
    const reader = await TestSocket.open(hub.wsUrl, clients[0]!.token);
    const stored: Message[] = [];
    for (let since = 0, more = true; more;) {
      const page = await reader.request<{ messages: Message[]; more: boolean }>('sync', { since, limit: 1000 });
      stored.push(...page.messages);
      more = page.more;
      since = page.messages.at(-1)?.seq ?? since;
    }
    const bySeq = new Map(stored.map((m) => [m.seq, m]));
    for (const m of acked) expect(bySeq.get(m.seq)).toEqual(m);
    const keys = stored.filter((m) => m.kind === 'text').map((m) => `${m.senderId}/${m.clientId}`);
    expect(new Set(keys).size).toBe(keys.length);

    // Resending everything attempted (as an outbox would) adds nothing twice.
    for (const [i, c] of clients.entries()) {
      const s = await TestSocket.open(hub.wsUrl, c.token);
      for (const clientId of c.attempted.slice(-3)) {
        const { message } = await s.request<{ message: Message }>('send', {
          conversationId: c.general,
          clientId,
          text: 'resent after crash',
        });
        const original = c.acked.find((m) => m.clientId === clientId);
        if (original) expect(message).toEqual(original);
        expect(message.senderId).toBe(s.hello.me.id);
        void i;
      }
      s.close();
    }
    const after: Message[] = [];
    for (let since = 0, more = true; more;) {
      const page = await reader.request<{ messages: Message[]; more: boolean }>('sync', { since, limit: 1000 });
      after.push(...page.messages);
      more = page.more;
      since = page.messages.at(-1)?.seq ?? since;
    }
    const afterKeys = after.filter((m) => m.kind === 'text').map((m) => `${m.senderId}/${m.clientId}`);
    expect(new Set(afterKeys).size).toBe(afterKeys.length);

    // Catch-up by sequence: a client that last saw seq S receives exactly what came after.
    const lastSeen = acked.reduce((max, m) => Math.max(max, m.seq), 0) - 5;
    const catchUp = await reader.request<{ messages: Message[] }>('sync', { since: lastSeen, limit: 1000 });
    expect(catchUp.messages.map((m) => m.seq)).toEqual(after.filter((m) => m.seq > lastSeen).map((m) => m.seq));
    reader.close();
  }, 180_000);

  // SQLite's user_version (PostgreSQL's schema_version check: pgMigrations' PgSchemaTooNewError).
  it.skipIf(onPostgresStore)('refuses to open a database from a newer version of Beseda', async () => {
    const { default: Database } = await import('better-sqlite3');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beseda-newer-'));
    const db = new Database(path.join(dir, 'beseda.db'));
    db.pragma('user_version = 999');
    db.close();
    await expect(startHub({ dataDir: dir })).rejects.toThrow(/newer/i);
  });
});
