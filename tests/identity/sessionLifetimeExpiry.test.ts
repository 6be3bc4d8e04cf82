import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../common/protocol/errors.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

// The real hub with the shortest idle limit it accepts (one minute): an open socket is closed when
// its session ends, and the token is refused afterwards. Waits for the hub to act, about a minute.
let hub: TestHub;
beforeAll(async () => {
  hub = await startHub({ args: ['--session-idle', '1m'] });
});
afterAll(async () => {
  await hub?.stop();
});

describe('a session that runs out on the real hub', () => {
  it('closes the open socket with 4101 at hello.session.expiresAt and refuses the token after', async () => {
    const u = await hub.addUser('zoya');
    const { token } = await hub.login('zoya', u.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    const expiresAt = socket.hello.session!.expiresAt;
    expect(expiresAt - socket.hello.session!.now!).toBeLessThanOrEqual(60_000);
    const closed = await socket.closed;
    expect(closed.code).toBe(CloseCode.SessionRevoked);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 1000);
    const me = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    await me.text();
    expect(me.status).toBe(401);
    await expect(TestSocket.open(hub.wsUrl, token)).rejects.toThrow();
  }, 150_000);
});
