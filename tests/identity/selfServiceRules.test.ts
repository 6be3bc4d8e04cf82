import { describe, expect, it } from 'vitest';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import { fakeClock, openTestHub, storedRows } from '../hub-core/harness.ts';

const good = 'тихий вечер у озера';

describe('self-service rules (hub core)', () => {
  it('a directory account cannot change its password here nor get an invitation: "change it in Windows"', async () => {
    const t = await openTestHub();
    const actor = await t.user('volkova');
    await storedRows(t.hub, "UPDATE users SET auth_source = 'directory' WHERE login = 'volkova'");
    await expect(t.hub.selfService.changePassword(actor, 'pw-volkova-secret', good, 'test')).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/Windows/),
    });
    await expect(t.hub.invitations.invite('volkova', 'test')).rejects.toMatchObject({ code: 'bad_request' });
    // A local account next to it may.
    const local = await t.user('lisin');
    await expect(t.hub.selfService.changePassword(local, 'pw-lisin-secret', good, 'test')).resolves.toEqual({
      endedSessions: 0,
    });
  });

  it('embed (chat) sessions and bots may not list or end sessions nor change a password', async () => {
    const t = await openTestHub();
    const actor = await t.user('nikitin');
    const chat = { ...actor, chatOnly: true };
    await expect(t.hub.selfService.listSessions(chat)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t.hub.selfService.endOtherSessions(chat)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t.hub.selfService.changePassword(chat, 'pw-nikitin-secret', good, 'x')).rejects.toMatchObject({
      code: 'forbidden',
    });
    const bot = await t.user('robot', { isBot: true });
    await expect(t.hub.selfService.listSessions(bot)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('the change code of a forced change lasts 15 minutes, and the initial password gives no session', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock });
    await t.hub.createUser({ login: 'egorov', name: 'Павел Егоров' });
    const earlier = await t.hub.invitations.invite('egorov', 'test');
    const [made] = await t.hub.invitations.onboard(['egorov'], 'password', 'test');
    // The initial password replaces the invitation IT sent before.
    await expect(t.hub.invitations.check(earlier.code)).rejects.toMatchObject({ code: 'not_found' });
    const initial = (made as { password: string }).password;
    const first = await t.hub.invitations.signIn('egorov', initial, '10.0.0.7', null);
    expect(first).toMatchObject({ mustChangePassword: true });
    expect(first).not.toHaveProperty('token');
    const store = (t.hub as SqliteHub).store;
    const account = await store.accounts.findUserByLogin('egorov');
    expect(await store.onboarding.listSessions(account!.id)).toEqual([]);

    clock.advance(15 * 60_000);
    const code = (first as { changeCode: string }).changeCode;
    await expect(t.hub.invitations.redeem(code, good, '10.0.0.7', null)).rejects.toMatchObject({ code: 'not_found' });
    // Signing in again gives a fresh code; the flag stays until the password is changed.
    const second = await t.hub.invitations.signIn('egorov', initial, '10.0.0.7', null);
    const answer = await t.hub.invitations.redeem(
      (second as { changeCode: string }).changeCode,
      good,
      '10.0.0.7',
      null,
    );
    expect(answer).toHaveProperty('token');
    expect(await t.hub.invitations.signIn('egorov', good, '10.0.0.7', null)).toHaveProperty('token');
  });

  it('bulk onboarding skips people who signed in before, bots and disabled accounts', async () => {
    const t = await openTestHub();
    await t.user('active');
    await t.hub.createUser({ login: 'newcomer', name: 'Новичок' });
    await t.hub.createUser({ login: 'gone', name: 'Ушедший' });
    await t.hub.setDisabled('gone', true);
    const out = await t.hub.invitations.onboard(['active', 'newcomer', 'gone', 'nobody'], 'invite', 'test');
    expect(out).toEqual([
      { login: 'active', skipped: 'has signed in before' },
      {
        login: 'newcomer',
        name: 'Новичок',
        code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        expiresAt: expect.any(Number),
      },
      { login: 'gone', skipped: 'disabled' },
      { login: 'nobody', skipped: 'no such account' },
    ]);
  });
});
