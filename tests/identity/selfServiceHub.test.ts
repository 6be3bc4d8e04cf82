import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import type { SessionInfo } from '../../common/protocol/sessionInfo.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.stop();
});

/** Signs in over HTTP with a browser's User-Agent, as the web client does. */
async function signIn(login: string, password: string, userAgent: string): Promise<string> {
  const res = await fetch(`${hub.url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ login, password }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

const chrome =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

describe('self-service on a running hub', () => {
  it('lists my sessions with device, address and last use; ends one (its socket closes) and all the others', async () => {
    const u = await hub.addUser('titova', 'Вера Титова');
    const office = await TestSocket.open(hub.wsUrl, await signIn('titova', u.password, chrome));
    const home = await TestSocket.open(hub.wsUrl, await signIn('titova', u.password, firefox));
    const third = await TestSocket.open(hub.wsUrl, await signIn('titova', u.password, chrome));
    const { sessions } = await office.request<{ sessions: SessionInfo[] }>('sessions.list');
    // addUser's own sign-in is there too.
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    const mine = sessions.find((s) => s.current)!;
    expect(mine).toMatchObject({ device: 'Chrome 131 on Windows', address: '127.0.0.1', kind: 'full' });
    expect(mine.lastUsedAt).toBeGreaterThan(0);
    const homeSession = sessions.find((s) => s.device === 'Firefox 128 on Linux')!;
    expect(homeSession.current).toBe(false);

    await office.request('sessions.end', { sessionId: homeSession.id });
    expect((await home.closed).code).toBe(4101);
    const after = await office.request<{ sessions: SessionInfo[] }>('sessions.list');
    expect(after.sessions.map((s) => s.id)).not.toContain(homeSession.id);

    // Someone else's session is not mine to end.
    const other = await hub.addUser('fomin', 'Игорь Фомин');
    const fomin = await TestSocket.open(hub.wsUrl, (await hub.login('fomin', other.password)).token);
    const fominSessions = await fomin.request<{ sessions: SessionInfo[] }>('sessions.list');
    await expect(office.request('sessions.end', { sessionId: fominSessions.sessions[0]!.id })).rejects.toMatchObject({
      code: 'not_found',
    });

    const all = await office.request<{ ended: number }>('sessions.endAll');
    expect(all.ended).toBeGreaterThanOrEqual(1);
    expect((await third.closed).code).toBe(4101);
    const left = await office.request<{ sessions: SessionInfo[] }>('sessions.list');
    expect(left.sessions).toHaveLength(1);
    expect(left.sessions[0]!.current).toBe(true);
    office.close();
    fomin.close();
  });

  it('changes my password: wrong current refused, weak new refused with the reason, then the other devices are signed out', async () => {
    const u = await hub.addUser('pavlova', 'Нина Павлова');
    const here = await TestSocket.open(hub.wsUrl, await signIn('pavlova', u.password, chrome));
    const there = await TestSocket.open(hub.wsUrl, await signIn('pavlova', u.password, firefox));
    await expect(
      here.request('password.change', { current: 'not my password', next: 'длинная новая фраза' }),
    ).rejects.toMatchObject({
      code: 'bad_credentials',
    });
    await expect(here.request('password.change', { current: u.password, next: 'короткий' })).rejects.toMatchObject({
      code: 'weak_password',
      message: expect.stringMatching(/weak_password: too_short:10:/),
    });
    await expect(here.request('password.change', { current: u.password, next: 'iloveyou123' })).rejects.toMatchObject({
      code: 'weak_password',
      message: expect.stringMatching(/weak_password: common:/),
    });
    await expect(here.request('password.change', { current: u.password, next: 'Нина Павлова' })).rejects.toMatchObject({
      code: 'weak_password',
      message: expect.stringMatching(/weak_password: like_login:/),
    });
    const done = await here.request<{ endedSessions: number }>('password.change', {
      current: u.password,
      next: 'длинная новая фраза',
    });
    expect(done.endedSessions).toBeGreaterThanOrEqual(1);
    expect((await there.closed).code).toBe(4101);
    // This device stays signed in.
    const { sessions } = await here.request<{ sessions: SessionInfo[] }>('sessions.list');
    expect(sessions).toHaveLength(1);
    // The old password no longer signs in, the new one does.
    const old = await fetch(`${hub.url}/api/v1/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'pavlova', password: u.password }),
    });
    expect(old.status).toBe(401);
    expect((await hub.login('pavlova', 'длинная новая фраза')).user.login).toBe('pavlova');
    here.close();
  });
});
