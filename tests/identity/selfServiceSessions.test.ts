import { describe, expect, it } from 'vitest';
import { fakeClock, openTestHub } from '../hub-core/harness.ts';

const day = 24 * 3600_000;
const password = 'long enough password';

describe('my sessions leave out sessions that ran out (fake clock, real hub core and SQLite)', () => {
  it('a session unused past the idle limit is not listed; one still in use is', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock, sessionLifetime: { idleMs: 30 * day, maxMs: 180 * day } });
    await t.hub.createUser({ login: 'orlova', name: 'Анна Орлова', password });
    const old = await t.hub.login('orlova', password, '10.0.0.7');
    clock.advance(20 * day);
    const laptop = await t.hub.login('orlova', password, '10.0.0.8');
    expect((await t.hub.selfService.listSessions(laptop.actor)).map((s) => s.id).sort()).toEqual(
      [old.actor.sessionId, laptop.actor.sessionId].sort(),
    );

    // Day 30: the first session, never used since, has ended by time but was never revoked.
    clock.advance(10 * day);
    expect(await t.hub.authenticate(old.token)).toBeNull();
    const listed = await t.hub.selfService.listSessions(laptop.actor);
    expect(listed.map((s) => s.id)).toEqual([laptop.actor.sessionId]);
    expect(listed[0]).toMatchObject({ current: true, address: '10.0.0.8' });
  });

  it('a session past the absolute limit is not listed however recently it was used', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock, sessionLifetime: { idleMs: 10 * day, maxMs: 25 * day } });
    await t.hub.createUser({ login: 'belov', name: 'Олег Белов', password });
    const desk = await t.hub.login('belov', password, '10.0.0.9');
    for (let d = 0; d < 24; d += 8) {
      clock.advance(8 * day);
      expect(await t.hub.authenticate(desk.token)).not.toBeNull(); // used: the idle limit moves on
    }
    const phone = await t.hub.login('belov', password, '10.0.0.10');
    expect(await t.hub.selfService.listSessions(phone.actor)).toHaveLength(2);
    clock.advance(1 * day); // day 25: the desk session reaches its absolute limit
    expect((await t.hub.selfService.listSessions(phone.actor)).map((s) => s.id)).toEqual([phone.actor.sessionId]);
  });
});
