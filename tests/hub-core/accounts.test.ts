import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../common/protocol/errors.ts';
import { HubError } from '../../hub/ops/HubError.ts';
import { fakeClock, openTestHub, storedRows } from './harness.ts';

async function errorOf(p: Promise<unknown>): Promise<HubError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HubError) return err;
    throw err;
  }
  throw new Error('expected a HubError');
}

describe('accounts', () => {
  it('creates users with normalized logins and validates input', async () => {
    const { hub } = await openTestHub();
    const { user, generatedPassword } = await hub.createUser({ login: '  Ivan.Petrov ', name: '  Иван Петров ' });
    expect(user.login).toBe('ivan.petrov');
    expect(user.name).toBe('Иван Петров');
    expect(user.presence).toBe('offline');
    expect(user.lastSeen).toBeNull();
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{16,}$/);
    await expect(hub.login('IVAN.PETROV', generatedPassword!, 'a')).resolves.toMatchObject({
      user: { id: user.id },
    });

    expect((await errorOf(hub.createUser({ login: 'ivan.petrov', name: 'x' }))).code).toBe('conflict');
    for (const login of ['a', '-abc', 'иван', 'a'.repeat(33), 'a b', 'all']) {
      expect((await errorOf(hub.createUser({ login, name: 'x' }))).code, login).toBe('bad_request');
    }
    expect((await errorOf(hub.createUser({ login: 'okname', name: '   ' }))).code).toBe('bad_request');
    expect((await errorOf(hub.createUser({ login: 'okname', name: 'я'.repeat(101) }))).code).toBe('bad_request');
    await expect(hub.createUser({ login: 'okname', name: '😀'.repeat(100) })).resolves.toBeTruthy();
    expect((await errorOf(hub.createUser({ login: 'short', name: 'x', password: 'short' }))).code).toBe('bad_request');

    const accounts = await hub.listAccounts();
    expect(accounts.map((a) => a.login)).toEqual(['ivan.petrov', 'okname']);
    expect(accounts[0]).toMatchObject({ email: null, isAdmin: false, isBot: false, disabled: false });
  });

  it('encodes scrypt parameters in the hash (default N = 2^17) and verifies hashes of another cost', async () => {
    const t = await openTestHub({ scryptN: 2 ** 17 });
    const { hub } = t;
    await hub.createUser({ login: 'strong', name: 'S', password: 'correct horse battery' });
    const [stored] = await storedRows<{ hash: string }>(
      hub,
      'SELECT password_hash AS hash FROM users WHERE login = ?',
      'strong',
    );
    expect(stored!.hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // Reopen with a lower cost: the old hash still verifies with its own parameters.
    const cheaper = await t.reopen({ scryptN: 2 ** 10 });
    await expect(cheaper.hub.login('strong', 'correct horse battery', 'x')).resolves.toBeTruthy();
  });

  it('issues tokens stored only as hashes; authenticate, logout and revoked sessions', async () => {
    const { hub, sink, log } = await openTestHub();
    await hub.createUser({ login: 'anna', name: 'Анна', password: 'anna-password' });
    const a = await hub.login('anna', 'anna-password', '10.0.0.1');
    const b = await hub.login('anna', 'anna-password', '10.0.0.2');
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(await hub.authenticate(a.token)).toEqual(a.actor);
    expect(await hub.authenticate('nonsense')).toBeNull();
    expect(await hub.authenticate('A'.repeat(43))).toBeNull();

    const stored = await storedRows<{ token_hash: Buffer }>(hub, 'SELECT token_hash FROM sessions');
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row.token_hash.length).toBe(32);
      expect(row.token_hash.toString('base64url')).not.toBe(a.token);
    }

    await hub.logout(a.actor);
    expect(await hub.authenticate(a.token)).toBeNull();
    expect(await hub.authenticate(b.token)).not.toBeNull();
    expect(sink.disconnects).toEqual([
      { target: { sessionId: a.actor.sessionId }, code: CloseCode.SessionRevoked, reason: expect.any(String) },
    ]);
    // Neither tokens nor passwords are logged.
    const logged = JSON.stringify(log.lines);
    expect(logged).not.toContain(a.token);
    expect(logged).not.toContain('anna-password');
  });

  it('setPassword ends every session and announces it; the new password works', async () => {
    const { hub, sink } = await openTestHub();
    await hub.createUser({ login: 'boris', name: 'Борис', password: 'old-password' });
    const s1 = await hub.login('boris', 'old-password', 'x');
    const s2 = await hub.login('boris', 'old-password', 'y');
    const { generatedPassword } = await hub.setPassword('Boris');
    expect(generatedPassword).toMatch(/^[A-Za-z0-9]{16,}$/);
    expect(await hub.authenticate(s1.token)).toBeNull();
    expect(await hub.authenticate(s2.token)).toBeNull();
    expect(sink.disconnects).toContainEqual({
      target: { userId: s1.actor.userId },
      code: CloseCode.SessionRevoked,
      reason: expect.any(String),
    });
    expect((await errorOf(hub.login('boris', 'old-password', 'x'))).code).toBe('bad_credentials');
    await expect(hub.login('boris', generatedPassword!, 'x')).resolves.toBeTruthy();
    await expect(hub.setPassword('boris', 'chosen-password')).resolves.toEqual({});
    await expect(hub.login('boris', 'chosen-password', 'x')).resolves.toBeTruthy();
    expect((await errorOf(hub.setPassword('nobody', 'whatever-pass'))).code).toBe('not_found');
  });

  it('a disabled account stops authenticating, is disconnected, and can be re-enabled', async () => {
    const { hub, sink } = await openTestHub();
    await hub.createUser({ login: 'vera', name: 'Вера', password: 'vera-password' });
    const s = await hub.login('vera', 'vera-password', 'x');
    await hub.setDisabled('vera', true);
    expect(await hub.authenticate(s.token)).toBeNull();
    expect(sink.disconnects).toContainEqual({
      target: { userId: s.actor.userId },
      code: CloseCode.AccountDisabled,
      reason: expect.any(String),
    });
    expect((await errorOf(hub.login('vera', 'vera-password', 'x'))).code).toBe('account_disabled');
    expect((await errorOf(hub.login('vera', 'wrong-password', 'x'))).code).toBe('bad_credentials');
    expect((await hub.listAccounts())[0]!.disabled).toBe(true);
    await hub.setDisabled('vera', false);
    const again = await hub.login('vera', 'vera-password', 'x');
    expect(await hub.authenticate(again.token)).toMatchObject({ userId: s.actor.userId });
  });

  it('unknown logins fail like wrong passwords and still cost a hash', async () => {
    const { hub } = await openTestHub();
    expect((await errorOf(hub.login('ghost', 'whatever-pass', 'x'))).code).toBe('bad_credentials');
    expect((await errorOf(hub.login('Не логин!', 'whatever-pass', 'x'))).code).toBe('bad_credentials');
    // With one hashing slot and no queue, a second unknown login at the same moment is turned
    // away: the first one occupies the slot, i.e. it really computes a hash. A hash that takes a
    // while (2^15): the store may answer the two look-ups on different turns of the event loop (as
    // PostgreSQL does), and a cheap hash could be done before the second one asks.
    const single = await openTestHub({ maxConcurrentHashes: 1, maxHashQueue: 0, scryptN: 2 ** 15 });
    const codes = await Promise.all(
      ['ghost1', 'ghost2'].map((login) => errorOf(single.hub.login(login, 'whatever-pass', login)).then((e) => e.code)),
    );
    expect(codes).toEqual(['bad_credentials', 'rate_limited']);
  });

  it('backs off per account: 5 free failures, then doubling waits capped at 60 s; success resets', async () => {
    const clock = fakeClock();
    const { hub } = await openTestHub({ clock });
    await hub.createUser({ login: 'gleb', name: 'Глеб', password: 'gleb-password' });
    for (let i = 0; i < 5; i++) {
      expect((await errorOf(hub.login('gleb', 'bad-password', `src-${i}`))).code).toBe('bad_credentials');
    }
    // The 6th try is refused before any hashing, even with the right password.
    let err = await errorOf(hub.login('gleb', 'gleb-password', 'src-x'));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(1000);
    clock.advance(1000);
    expect((await errorOf(hub.login('gleb', 'bad-password', 'src-y'))).code).toBe('bad_credentials');
    err = await errorOf(hub.login('gleb', 'bad-password', 'src-z'));
    expect(err.retryAfterMs).toBe(2000);
    // Keep failing: the wait doubles but never exceeds 60 s.
    for (let i = 0; i < 10; i++) {
      clock.advance(60_000);
      await errorOf(hub.login('gleb', 'bad-password', `src-${i}`));
    }
    err = await errorOf(hub.login('gleb', 'bad-password', 'src-q'));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(60_000);
    clock.advance(60_000);
    await expect(hub.login('gleb', 'gleb-password', 'src-ok')).resolves.toBeTruthy();
    // Success cleared the account's counter: the next failure is free again.
    expect((await errorOf(hub.login('gleb', 'bad-password', 'src-new'))).code).toBe('bad_credentials');
    expect((await errorOf(hub.login('gleb', 'bad-password', 'src-new'))).code).toBe('bad_credentials');
  });

  it('backs off per source only past a high ceiling; a login that signed in there before is exempt', async () => {
    const clock = fakeClock();
    const { hub } = await openTestHub({ clock });
    await hub.createUser({ login: 'dina', name: 'Дина', password: 'dina-password' });
    await hub.createUser({ login: 'ilya', name: 'Илья', password: 'ilya-password' });
    await hub.login('ilya', 'ilya-password', '203.0.113.9');
    // One address trying many logins (a spray): 100 failures pass, then the address backs off.
    for (let i = 0; i < 100; i++) {
      expect((await errorOf(hub.login(`guess${i}`, 'bad-password', '203.0.113.9'))).code).toBe('bad_credentials');
    }
    const err = await errorOf(hub.login('dina', 'dina-password', '203.0.113.9'));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(1000);
    // Ilya signed in from this address before: its ceiling does not apply to him. Another address
    // is unaffected.
    await expect(hub.login('ilya', 'ilya-password', '203.0.113.9')).resolves.toBeTruthy();
    await expect(hub.login('dina', 'dina-password', '198.51.100.1')).resolves.toBeTruthy();
    for (let i = 0; i < 12; i++) {
      clock.advance(15 * 60_000);
      expect((await errorOf(hub.login(`more${i}`, 'bad-password', '203.0.113.9'))).code).toBe('bad_credentials');
    }
    const capped = await errorOf(hub.login('dina', 'dina-password', '203.0.113.9'));
    expect(capped.code).toBe('rate_limited');
    expect(capped.retryAfterMs).toBe(15 * 60_000);
  });

  it('one client failing on one login does not lock its address out for others', async () => {
    const clock = fakeClock();
    const { hub } = await openTestHub({ clock });
    await hub.createUser({ login: 'dina', name: 'Дина', password: 'dina-password' });
    await hub.createUser({ login: 'ilya', name: 'Илья', password: 'ilya-password' });
    // 12 wrong passwords for Dina from the office's NAT address, each as soon as allowed.
    for (let failed = 0; failed < 12;) {
      const err = await errorOf(hub.login('dina', 'bad-password', '203.0.113.9'));
      if (err.code === 'rate_limited') clock.advance(err.retryAfterMs!);
      else failed++;
    }
    // That client waits longer and longer for Dina's account (past the account's 60 s cap)…
    expect((await errorOf(hub.login('dina', 'dina-password', '203.0.113.9'))).retryAfterMs).toBe(128_000);
    // …but Ilya, never seen at this address, signs in from it at once.
    await expect(hub.login('ilya', 'ilya-password', '203.0.113.9')).resolves.toBeTruthy();
    // Dina from elsewhere waits at most the account cap (60 s), not the office's back-off.
    const err = await errorOf(hub.login('dina', 'dina-password', '198.51.100.1'));
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(60_000);
    clock.advance(err.retryAfterMs!);
    await expect(hub.login('dina', 'dina-password', '198.51.100.1')).resolves.toBeTruthy();
  });

  it('counts attempts before hashing: a concurrent burst on one account gets only 5 passwords checked', async () => {
    const clock = fakeClock();
    const { hub, log } = await openTestHub({ clock });
    await hub.createUser({ login: 'zoya', name: 'Зоя', password: 'zoya-password' });
    // 59 wrong passwords and the right one last, all at once from one address.
    const passwords = [...Array.from({ length: 59 }, (_, i) => `wrong-${i}`), 'zoya-password'];
    const results = await Promise.all(passwords.map((pw) => errorOf(hub.login('zoya', pw, '203.0.113.7'))));
    const checks = log.lines.filter((l) => l.msg === 'sign-in failed' || l.msg === 'signed in');
    expect(checks).toHaveLength(5);
    expect(results.filter((e) => e.code === 'bad_credentials')).toHaveLength(5);
    const refused = results.filter((e) => e.code === 'rate_limited');
    expect(refused).toHaveLength(55);
    for (const e of refused) expect(e.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(results[59]!.code).toBe('rate_limited');
    clock.advance(1000);
    await expect(hub.login('zoya', 'zoya-password', '203.0.113.7')).resolves.toBeTruthy();
  });

  it('queues hashes fairly: a flood from one address crowds out only its own attempts', async () => {
    const { hub } = await openTestHub({ maxConcurrentHashes: 1, maxHashQueue: 8 });
    await hub.createUser({ login: 'dina', name: 'Дина', password: 'dina-password' });
    await hub.createUser({ login: 'ilya', name: 'Илья', password: 'ilya-password' });
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: HubError) => e.code,
      );
    // 40 unknown logins at once from one address (each costs a hash), then two real people: one
    // from another address, one from the flooding address itself.
    const flood = Array.from({ length: 40 }, (_, i) => outcome(hub.login(`ghost${i}`, 'bad-password', '203.0.113.5')));
    const other = outcome(hub.login('dina', 'dina-password', '198.51.100.1'));
    const flooded = await Promise.all(flood);
    expect(await other).toBe('ok');
    expect(flooded).toContain('rate_limited');
    // A second flood of one login from an address cannot push out another login from that address.
    const burst = Array.from({ length: 10 }, () => outcome(hub.login('dina', 'bad-password', '203.0.113.6')));
    const sameAddress = outcome(hub.login('ilya', 'ilya-password', '203.0.113.6'));
    await Promise.all(burst);
    expect(await sameAddress).toBe('ok');
  });

  it('caps concurrent hashing with a bounded queue', async () => {
    // A hash that takes a while, so all six are waiting before the first is done (see above).
    const { hub } = await openTestHub({ maxConcurrentHashes: 1, maxHashQueue: 2, scryptN: 2 ** 15 });
    await hub.createUser({ login: 'emil', name: 'Эмиль', password: 'emil-password' });
    const attempts = Array.from({ length: 6 }, (_, i) =>
      hub.login('emil', 'emil-password', `s${i}`).then(
        () => 'ok',
        (e: HubError) => e.code,
      ),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r === 'ok')).toHaveLength(3);
    expect(results.filter((r) => r === 'rate_limited')).toHaveLength(3);
  });
});
