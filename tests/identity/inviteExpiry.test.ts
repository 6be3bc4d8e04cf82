import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../hub/identity/passwordPolicy.ts';
import { fakeClock, openTestHub } from '../hub-core/harness.ts';

const good = 'зелёный трамвай едет на север';

describe('invitations (hub core, fake clock)', () => {
  it('expire after inviteValidMs: a code redeemed a moment too late is refused, one in time works', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock, onboarding: { inviteValidMs: 3_600_000, minPasswordLength: 10 } });
    await t.hub.createUser({ login: 'orlova', name: 'Анна Орлова' });
    const first = await t.hub.invitations.invite('orlova', 'test');
    expect(first.expiresAt).toBe(clock() + 3_600_000);
    clock.advance(3_600_000);
    await expect(t.hub.invitations.redeem(first.code, good, '10.0.0.5', null)).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/not valid/),
    });
    const second = await t.hub.invitations.invite('orlova', 'test');
    clock.advance(3_599_000);
    const answer = await t.hub.invitations.redeem(second.code, good, '10.0.0.5', 'Chrome 131 on Windows');
    expect(answer).toMatchObject({ token: expect.any(String), user: { login: 'orlova' } });
    expect(await t.hub.authenticate((answer as { token: string }).token)).toMatchObject({ isAdmin: false });
    // Signing in with the chosen password works too.
    await expect(t.hub.login('orlova', good, '10.0.0.5')).resolves.toMatchObject({ user: { login: 'orlova' } });
  });

  it('a per-invitation validity overrides the setting, and a new invitation replaces the unused one', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock });
    await t.hub.createUser({ login: 'belov', name: 'Пётр Белов' });
    const old = await t.hub.invitations.invite('belov', 'test', 120_000);
    expect(old.expiresAt - clock()).toBe(120_000);
    const fresh = await t.hub.invitations.invite('belov', 'test');
    expect(fresh.expiresAt - clock()).toBe(7 * 86_400_000);
    await expect(t.hub.invitations.check(old.code)).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.hub.invitations.check(fresh.code)).resolves.toMatchObject({ login: 'belov', name: 'Пётр Белов' });
  });

  it('the audit log records the redemption without the code or the password', async () => {
    const t = await openTestHub();
    await t.hub.createUser({ login: 'zueva', name: 'Ольга Зуева' });
    const { code } = await t.hub.invitations.invite('zueva', 'test');
    await t.hub.invitations.redeem(code, good, '10.0.0.9', null);
    const entries = await t.hub.audit.list({ limit: 10 });
    const entry = entries.find((e) => e.action === 'invitation.redeem');
    expect(entry).toMatchObject({ actor: 'zueva', target: 'zueva', source: 'app' });
    expect(JSON.stringify(entries)).not.toContain(code);
    expect(JSON.stringify(entries)).not.toContain(good);
  });
});

describe('password policy', () => {
  const rules = { minLength: 10, login: 'ivanov', name: 'Иван Иванов' };
  it('prefers length over composition: a long lower-case phrase passes, short or common ones do not', () => {
    expect(passwordProblem('correct horse battery staple', rules)).toBeUndefined();
    expect(passwordProblem('коротко', rules)).toEqual({ reason: 'too_short', min: 10 });
    // On the bundled common list (folded to lower case), though long enough.
    expect(passwordProblem('qwerty123456', rules)).toEqual({ reason: 'common' });
    expect(passwordProblem('QWERTY123456', rules)).toEqual({ reason: 'common' });
    expect(passwordProblem('1234567890', rules)).toEqual({ reason: 'common' });
    expect(passwordProblem('Иван Иванов', rules)).toEqual({ reason: 'like_login' });
    expect(passwordProblem('Kuznetsova.Olga', { minLength: 10, login: 'kuznetsova.olga' })).toEqual({
      reason: 'like_login',
    });
    expect(passwordProblem('x'.repeat(1025), rules)).toEqual({ reason: 'too_long', max: 1024 });
    // Length counts characters, not UTF-16 units or bytes.
    expect(passwordProblem('ёёёёёёёёё', rules)).toEqual({ reason: 'too_short', min: 10 });
  });

  it('is applied to redeeming: the reason leads the weak_password message', async () => {
    const t = await openTestHub({ onboarding: { inviteValidMs: 86_400_000, minPasswordLength: 12 } });
    await t.hub.createUser({ login: 'gromov', name: 'Олег Громов' });
    const { code } = await t.hub.invitations.invite('gromov', 'test');
    await expect(t.hub.invitations.redeem(code, 'elevenchars', '10.0.0.1', null)).rejects.toMatchObject({
      code: 'weak_password',
      message: expect.stringMatching(/^too_short:12: /),
    });
    await expect(t.hub.invitations.redeem(code, 'password1234', '10.0.0.1', null)).rejects.toMatchObject({
      code: 'weak_password',
      message: expect.stringMatching(/^common: /),
    });
    // A refused password does not use the code up.
    await expect(t.hub.invitations.redeem(code, good, '10.0.0.1', null)).resolves.toHaveProperty('token');
  });
});
