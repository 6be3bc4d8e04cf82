import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../common/protocol/errors.ts';
import { sessionExpiresAt } from '../../hub/identity/sessionLifetime.ts';
import { fakeClock, openTestHub, storedRows } from '../hub-core/harness.ts';

const minute = 60_000;
const day = 24 * 60 * minute;
const lifetime = { idleMs: 30 * day, maxMs: 180 * day };

/** A hub on a fake clock with the default lifetimes, and a signed-in person with their token. */
async function signedIn(login = 'ivanov') {
  const clock = fakeClock();
  const t = await openTestHub({ clock, sessionLifetime: lifetime });
  await t.hub.createUser({ login, name: 'Иванов', password: 'long enough password' });
  const { token, actor } = await t.hub.login(login, 'long enough password', '10.0.0.7');
  return { t, clock, token, actor };
}

describe('session lifetimes (fake clock, real hub core and SQLite)', () => {
  it('ends a session unused for the idle time; use pushes the idle limit on', async () => {
    const { t, clock, token } = await signedIn();
    clock.advance(29 * day);
    expect(await t.hub.authenticate(token)).not.toBeNull(); // used on day 29: the idle limit moves to day 59
    clock.advance(29 * day);
    expect(await t.hub.authenticate(token)).not.toBeNull();
    clock.advance(30 * day);
    expect(await t.hub.authenticate(token)).toBeNull();
  });

  it('ends a session at the absolute limit however much it is used', async () => {
    const { t, clock, token, actor } = await signedIn();
    for (let d = 0; d < 179; d += 10) {
      clock.advance(10 * day);
      if (d + 10 < 180) expect(await t.hub.authenticate(token)).not.toBeNull();
    }
    clock.set(1_700_000_000_000 + 180 * day - minute);
    expect(await t.hub.authenticate(token)).not.toBeNull();
    expect(await t.hub.sessionLifetimes.describe(actor)).toEqual({
      expiresAt: 1_700_000_000_000 + 180 * day,
      renewAfter: 1_700_000_000_000 + 7.5 * day, // a quarter of the shorter (idle) limit
      now: clock(),
    });
    clock.advance(minute);
    expect(await t.hub.authenticate(token)).toBeNull();
    // Renewing an ended session is refused: sign in again.
    await expect(t.hub.sessionLifetimes.renew(actor)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('renewal keeps a used session alive past the old token’s absolute limit; the old token is revoked', async () => {
    const { t, clock, token, actor } = await signedIn();
    let current = token;
    let currentActor = actor;
    // Used every 20 days and renewed every 100 days, for 400 days: more than twice the absolute limit.
    for (let d = 20; d <= 400; d += 20) {
      clock.advance(20 * day);
      const found = await t.hub.authenticate(current);
      expect(found, `day ${d}`).not.toBeNull();
      currentActor = found!;
      if (d % 100 === 0) {
        const renewed = await t.hub.sessionLifetimes.renew(currentActor);
        expect(renewed.expiresAt).toBe(clock() + 30 * day);
        expect(await t.hub.authenticate(current)).toBeNull(); // the old token is revoked at once
        current = renewed.token;
      }
    }
    // The token signed in with would have ended on day 180, and is long revoked.
    expect(await t.hub.authenticate(token)).toBeNull();
    // The renewed session is the same device: same account, scope and source; the old rows are revoked.
    const rows = await storedRows<{ user_id: number; source: string; scope: string; revoked_at: number | null }>(
      t.hub,
      'SELECT user_id, source, scope, revoked_at FROM sessions ORDER BY id',
    );
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.revoked_at === null)).toHaveLength(1);
    expect(new Set(rows.map((r) => `${r.user_id} ${r.source} ${r.scope}`)).size).toBe(1);
  });

  it('the renewed session keeps the device it was made from', async () => {
    const { t, actor } = await signedIn();
    await storedRows(t.hub, "UPDATE sessions SET device = 'Беседа 0.1.0 (desktop) on Windows'");
    await t.hub.sessionLifetimes.renew(actor);
    const rows = await storedRows(t.hub, 'SELECT device, revoked_at FROM sessions ORDER BY id');
    expect(rows).toEqual([
      { device: 'Беседа 0.1.0 (desktop) on Windows', revoked_at: expect.any(Number) },
      { device: 'Беседа 0.1.0 (desktop) on Windows', revoked_at: null },
    ]);
  });

  it('a session renewed twice with the same old token gives one new session', async () => {
    const { t, actor } = await signedIn();
    const results = await Promise.allSettled([
      t.hub.sessionLifetimes.renew(actor),
      t.hub.sessionLifetimes.renew(actor),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'unauthorized' } });
  });

  it('an embed (chat) session stays chat-scoped when renewed; a disabled account cannot renew', async () => {
    const { t, actor } = await signedIn();
    await storedRows(t.hub, "UPDATE sessions SET scope = 'chat'");
    const renewed = await t.hub.sessionLifetimes.renew(actor);
    expect(await t.hub.authenticate(renewed.token)).toMatchObject({ chatOnly: true, isAdmin: false });
    const again = (await t.hub.authenticate(renewed.token))!;
    await t.hub.setDisabled('ivanov', true);
    await expect(t.hub.sessionLifetimes.renew(again)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(t.sink.disconnects).toContainEqual(expect.objectContaining({ code: CloseCode.AccountDisabled }));
  });

  it('isLive tells a session that ran out (for lists of sessions)', async () => {
    const { t, clock } = await signedIn();
    const made = { createdAt: clock(), lastUsedAt: clock() };
    expect(t.hub.sessionLifetimes.isLive(made)).toBe(true);
    clock.advance(30 * day);
    expect(t.hub.sessionLifetimes.isLive(made)).toBe(false);
  });

  it('a download key dies with its session’s time', async () => {
    const { t, clock, token, actor } = await signedIn();
    const key = await t.hub.files.fileKey(actor, token);
    expect(await t.hub.files.authenticateKey(key)).not.toBeNull();
    clock.advance(30 * day);
    expect(await t.hub.files.authenticateKey(key)).toBeNull();
  });

  it('expiresAt is the earlier of the idle and absolute limits', () => {
    expect(sessionExpiresAt({ createdAt: 0, lastUsedAt: 0 }, lifetime)).toBe(30 * day);
    expect(sessionExpiresAt({ createdAt: 0, lastUsedAt: 170 * day }, lifetime)).toBe(180 * day);
  });
});
