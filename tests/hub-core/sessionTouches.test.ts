// A reconnect storm after a restart authenticates thousands of sessions within seconds; each one's
// "last used" time used to be its own commit (one fsync on the event loop per socket). These check
// that they are gathered into one write, that a use waiting to be written still counts, and that a
// shutdown writes everyone's last-seen time in one go — through the real hub core and its store.
import { describe, expect, it } from 'vitest';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import { fakeClock, openTestHub, storedRows } from './harness.ts';

const minute = 60_000;

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('session uses and last-seen times are written in batches', () => {
  it('gathers the uses of many sessions into one write, and writes each session once', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock });
    const tokens: string[] = [];
    for (let i = 0; i < 60; i++) {
      const login = `u${i}`;
      await t.hub.createUser({ login, name: login, password: 'long enough password' });
      tokens.push((await t.hub.login(login, 'long enough password', '10.0.0.1')).token);
    }
    const accounts = (t.hub as SqliteHub).store.accounts;
    const writes: number[] = [];
    const touchSessions = accounts.touchSessions.bind(accounts);
    accounts.touchSessions = async (touches) => {
      writes.push(touches.length);
      await touchSessions(touches);
    };
    clock.advance(5 * minute); // every session is due a "last used" write
    const usedAt = clock();
    for (const token of tokens) expect(await t.hub.authenticate(token)).not.toBeNull();
    for (const token of tokens) expect(await t.hub.authenticate(token)).not.toBeNull(); // a second socket each
    expect(writes).toEqual([]); // gathered, not written per socket
    await until(() => writes.length > 0, 'the batch to be written');
    expect(writes).toEqual([60]);
    const rows = await storedRows<{ at: number }>(t.hub, 'SELECT DISTINCT last_used_at AS at FROM sessions');
    expect(rows).toEqual([{ at: usedAt }]);
    // Used again within the minute: nothing more to write.
    for (const token of tokens.slice(0, 10)) await t.hub.authenticate(token);
    await new Promise((r) => setTimeout(r, 1500));
    expect(writes).toEqual([60]);
  });

  it('writes the uses still gathered when the hub closes', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock });
    await t.hub.createUser({ login: 'anna', name: 'Анна', password: 'long enough password' });
    const { token } = await t.hub.login('anna', 'long enough password', '10.0.0.1');
    clock.advance(5 * minute);
    await t.hub.authenticate(token);
    const again = await t.reopen({ clock });
    const [row] = await storedRows<{ at: number }>(again.hub, 'SELECT last_used_at AS at FROM sessions');
    expect(row!.at).toBe(clock());
  });

  it('records everyone still connected as last seen in one write at shutdown', async () => {
    const t = await openTestHub();
    const actors = [];
    for (let i = 0; i < 30; i++) actors.push(await t.user(`p${i}`));
    for (const [i, actor] of actors.entries()) await t.hub.connect(actor, `conn-${i}`);
    const accounts = (t.hub as SqliteHub).store.accounts;
    const single: number[] = [];
    const many: number[] = [];
    const recordStop = accounts.recordStop.bind(accounts);
    accounts.setLastSeen = async (userId) => void single.push(userId);
    accounts.setLastSeenMany = async (entries) => void single.push(...entries.map((e) => e.userId));
    // A lone hub writes last seen and who was online in one store call.
    accounts.recordStop = async (entries, online) => {
      many.push(entries.length);
      await recordStop(entries, online);
    };
    await t.hub.close();
    expect(single).toEqual([]);
    expect(many).toEqual([30]);
    const again = await t.reopen();
    const [seen] = await storedRows<{ n: number }>(
      again.hub,
      'SELECT COUNT(*) AS n FROM users WHERE last_seen IS NOT NULL',
    );
    expect(seen!.n).toBe(30);
  });
});
