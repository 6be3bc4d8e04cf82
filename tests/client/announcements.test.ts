import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { signedIn, testClient, type TestClient } from './clientHarness.ts';

let hub: TestHub;
let adminToken: string;
const clients: TestClient[] = [];
beforeAll(async () => {
  hub = await startHub();
  adminToken = (await hub.login(hub.admin!.login, hub.admin!.password)).token;
});
afterAll(async () => {
  for (const c of clients) c.client.dispose();
  await hub.stop();
});

const announce = async (text: string) => {
  const res = await fetch(`${hub.url}/api/v1/announcements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ to: 'all', text }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { message: { seq: number } }).message.seq;
};

describe('pinned announcements in the client state', () => {
  it('pins announcements until confirmed — live, posted while away, and across devices', async () => {
    const account = await hub.addUser('nina', 'Нина');
    const first = await announce('Плановое отключение света в пятницу');
    const nina = await signedIn(hub, 'nina', { password: account.password });
    clients.push(nina);
    // Posted while her app was closed: loaded after hello.
    await nina.until((s) => first in s.announcements, 'pending announcement loaded');
    const second = await announce('Новый регламент отпусков');
    await nina.until((s) => second in s.announcements, 'live announcement pinned');

    // Her second device hears the confirmation and unpins it too.
    const phone = await testClient();
    clients.push(phone);
    const signed = await phone.client.signIn(hub.url, 'nina', nina.password);
    expect(signed.ok).toBe(true);
    await phone.until((s) => first in s.announcements && second in s.announcements, 'second device pinned both');
    await nina.client.confirmAnnouncement(first);
    expect(first in nina.state().announcements).toBe(false);
    await phone.until((s) => !(first in s.announcements), 'second device unpinned');
    expect(Object.keys(phone.state().announcements).map(Number)).toEqual([second]);
  });

  it('signs in with a token from elsewhere (an embed link) and keeps that session', async () => {
    const u = await hub.addUser('oksana', 'Оксана');
    const { token, user } = await hub.login('oksana', u.password);
    const c = await testClient();
    clients.push(c);
    await c.client.signInWithToken(hub.url, token, user);
    const s = await c.until((s) => s.connection === 'connected', 'connected with the given token');
    expect(s.me?.login).toBe('oksana');
  });
});
