// One-time embed links: an integration allowed to embed asks for a link for a person; opening it
// hands the page a one-time code in the URL fragment; the page exchanges it for a session.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { addBot, type Answer, http } from './integrationHelpers.ts';

let hub: TestHub;
let embedder: string;
let ivanov: { id: number; password: string };

beforeAll(async () => {
  hub = await startHub({ args: ['--frame-ancestors', 'http://1c.example'] });
  embedder = (await addBot(hub, 'onec-web', { embed: true })).token;
  ivanov = await hub.addUser('ivanov', 'Иван Иванов');
});
afterAll(async () => {
  await hub.stop();
});

const createLink = (json: unknown, token = embedder) => http(hub, 'POST', '/api/v1/embed-links', { token, json });
const open = (url: string) => http(hub, 'GET', new URL(url).pathname);
const redeem = (code: string) => http(hub, 'POST', '/api/v1/embed-links/redeem', { json: { code } });

/** The one-time code from the redirect of an opened link. */
function codeOf(res: Answer): string {
  expect(res.status, res.text).toBe(302);
  const location = res.headers.get('location')!;
  expect(location).toMatch(/^\.\.\/\?compact=1#embed=[A-Za-z0-9_-]{43}$/);
  return location.split('#embed=')[1]!;
}

describe('embed links', () => {
  it('a link opens once into a one-time code, the code into a session of that person', async () => {
    const before = Date.now();
    const link = await createLink({ login: 'Ivanov' });
    expect(link.status, link.text).toBe(201);
    expect(link.body.url).toMatch(new RegExp(`^${hub.url}/embed/[A-Za-z0-9_-]{43}$`));
    expect(link.body.path).toBe(new URL(link.body.url).pathname);
    expect(link.body.expiresAt).toBeGreaterThanOrEqual(before + 59_000);
    expect(link.body.expiresAt).toBeLessThanOrEqual(Date.now() + 61_000);

    const opened = await open(link.body.url);
    const code = codeOf(opened);
    expect(opened.headers.get('cache-control')).toBe('no-store');
    expect(opened.headers.get('referrer-policy')).toBe('no-referrer');
    expect(opened.headers.get('content-security-policy')).toContain('frame-ancestors http://1c.example');

    const session = await redeem(code);
    expect(session.status, session.text).toBe(200);
    expect(session.body.user).toMatchObject({ id: ivanov.id, login: 'ivanov' });
    const socket = await TestSocket.open(hub.wsUrl, session.body.token);
    expect(socket.hello.me.id).toBe(ivanov.id);
    socket.close();

    // Used: the link and the code are refused the second time.
    const again = await open(link.body.url);
    expect(again.status).toBe(410);
    expect(again.headers.get('content-type')).toMatch(/^text\/html/);
    expect(again.text).toContain('Ссылка для входа в Беседу уже использована или устарела');
    expect(again.text).not.toMatch(/<script/i);
    const twice = await redeem(code);
    expect(twice.status).toBe(401);
    expect(twice.body.error.code).toBe('unauthorized');
    // Neither secret reaches the hub's log.
    const log = hub.output.join('\n');
    expect(log).not.toContain(new URL(link.body.url).pathname.slice(7));
    expect(log).not.toContain(code);
  });

  it('a link not opened in time is refused', async () => {
    const link = await createLink({ login: 'ivanov', ttlSeconds: 1 });
    expect(link.status).toBe(201);
    await sleep(1300);
    expect((await open(link.body.url)).status).toBe(410);
  });

  it('only administrators and bots allowed to embed may create links, only for active people', async () => {
    const expectError = async (p: Promise<Answer>, status: number, code: string) => {
      const r = await p;
      expect(r.status, r.text).toBe(status);
      expect(r.body.error.code).toBe(code);
    };
    const plainBot = (await addBot(hub, 'no-embed')).token;
    await expectError(createLink({ login: 'ivanov' }, plainBot), 403, 'forbidden');
    const person = (await hub.login('ivanov', ivanov.password)).token;
    await expectError(createLink({ login: 'ivanov' }, person), 403, 'forbidden');
    await expectError(createLink({ login: 'ivanov' }, ''), 401, 'unauthorized');
    const admin = (await hub.login(hub.admin!.login, hub.admin!.password)).token;
    expect((await createLink({ login: 'ivanov' }, admin)).status).toBe(201);
    await expectError(createLink({ login: 'nobody' }), 404, 'not_found');
    await expectError(createLink({ login: 'no-embed' }), 403, 'forbidden');
    await hub.addUser('gone', 'Ушедший');
    await hub.admin_('user.disable', { login: 'gone' });
    await expectError(createLink({ login: 'gone' }), 403, 'account_disabled');
    await expectError(createLink({ login: 'ivanov', ttlSeconds: 0 }), 400, 'bad_request');
    await expectError(createLink({ login: 'ivanov', ttlSeconds: 3600 }), 400, 'bad_request');
    await expectError(createLink({}), 400, 'bad_request');
    await expectError(redeem('x'.repeat(43)), 401, 'unauthorized');
    expect((await open(`${hub.url}/embed/${'y'.repeat(43)}`)).status).toBe(410);
  });

  it('a person disabled between the link and its use is not signed in', async () => {
    await hub.addUser('soon', 'Скоро Уйдёт');
    const link = await createLink({ login: 'soon' });
    const code = codeOf(await open(link.body.url));
    await hub.admin_('user.disable', { login: 'soon' });
    const res = await redeem(code);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('account_disabled');
  });
});
