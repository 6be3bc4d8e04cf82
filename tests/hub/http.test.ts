import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.stop();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('HTTP API', () => {
  it('answers /healthz with a JSON status', async () => {
    const res = await fetch(`${hub.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; connections: number };
    expect(body.status).toBe('ok');
    expect(body.connections).toBe(0);
  });

  it('created the first administrator on first start and printed the password once', async () => {
    expect(hub.admin?.login).toBe('admin');
    const { user, token } = await hub.login(hub.admin!.login, hub.admin!.password);
    expect(user.isAdmin).toBe(true);
    expect(token.length).toBeGreaterThanOrEqual(22); // ≥128 bits in base64url
  });

  it('signs in, tells who is signed in, and signs out (revoking the token)', async () => {
    const u = await hub.addUser('ivanov', 'Иван Иванов');
    const { token, user } = await hub.login('ivanov', u.password);
    expect(user).toMatchObject({ login: 'ivanov', name: 'Иван Иванов' });
    const me = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { id: number } }).user.id).toBe(u.id);
    const out = await post('/api/v1/logout', '', { authorization: `Bearer ${token}` });
    expect(out.status).toBe(204);
    const after = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    await expect(TestSocket.open(hub.wsUrl, token)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a wrong password, malformed bodies and unknown endpoints with clear JSON errors', async () => {
    await hub.addUser('petrov');
    const wrong = await post('/api/v1/login', { login: 'petrov', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'bad_credentials' } });
    const notJson = await post('/api/v1/login', '{"login":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      error: { code: 'bad_request', message: expect.stringMatching(/JSON/) },
    });
    const missing = await post('/api/v1/login', { login: 'petrov' });
    expect(missing.status).toBe(400);
    const unknown = await fetch(`${hub.url}/api/v1/nothing`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    const huge = await post('/api/v1/login', { login: 'x', password: 'y'.repeat(200_000) });
    expect(huge.status).toBe(413);
  });

  it('slows down a brute-force run per account', async () => {
    const u = await hub.addUser('sidorov');
    const codes: number[] = [];
    let retryAfter = 0;
    for (let i = 0; i < 8; i++) {
      const res = await post('/api/v1/login', { login: 'sidorov', password: `guess${i}` });
      codes.push(res.status);
      const body = (await res.json()) as { error: { retryAfterMs?: number } };
      if (res.status === 429) retryAfter = body.error.retryAfterMs ?? 0;
    }
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes).toContain(429);
    expect(retryAfter).toBeGreaterThan(0);
    // Even the right password waits out the back-off: guessing gains nothing.
    const right = await post('/api/v1/login', { login: 'sidorov', password: u.password });
    expect(right.status).toBe(429);
  });

  it('never writes passwords, tokens or message text to its logs', async () => {
    const u = await hub.addUser('logcheck');
    const { token } = await hub.login('logcheck', u.password);
    const s = await TestSocket.open(hub.wsUrl, token);
    const general = s.hello.conversations.find((c) => c.kind === 'general')!;
    await s.request('send', { conversationId: general.id, clientId: 'logcheck-0001', text: 'SECRET-BODY-42' });
    s.close();
    const all = hub.output.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain(u.password);
    expect(all).not.toContain('SECRET-BODY-42');
  });
});
