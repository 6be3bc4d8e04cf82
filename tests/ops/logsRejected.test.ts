import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RejectionLimiter, type Suppressed } from '../../hub/log/RejectionLimiter.ts';
import { maskPath } from '../../hub/server/logRejection.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { waitFor } from '../hub/serveProcess.ts';
import { addBot, http } from '../integrations/integrationHelpers.ts';

interface Rejection {
  level: number;
  msg: string;
  method: string;
  path: string;
  status: number;
  code: string | null;
  reason: string;
  client: string;
  caller: string | null;
}

describe('RejectionLimiter', () => {
  it('lets 10 of a kind and 100 in all through per window, then reports what it held back once the window ends', () => {
    let now = 1_000_000;
    const reports: Suppressed[][] = [];
    const limiter = new RejectionLimiter({ now: () => now, onSuppressed: (s) => reports.push(s) });
    const a = Array.from({ length: 25 }, () => limiter.admit('GET\t/api/x\t404'));
    expect(a.filter(Boolean)).toHaveLength(10);
    expect(a.slice(0, 10).every(Boolean)).toBe(true);
    for (let i = 0; i < 200; i++) limiter.admit(`GET\t/api/${i}\t404`);
    expect(reports).toEqual([]);
    now += 60_000;
    // The next rejection opens a new window: the last one's summary comes first.
    expect(limiter.admit('GET\t/api/x\t404')).toBe(true);
    expect(reports).toHaveLength(1);
    const byKey = new Map(reports[0]!.map((s) => [s.key, s.count]));
    expect(byKey.get('GET\t/api/x\t404')).toBe(15);
    // 10 + 90 different ones were logged (100 in all); 110 different ones were held back.
    expect([...byKey.values()].reduce((n, c) => n + c, 0)).toBe(15 + 110);
    limiter.rollOver();
    expect(reports).toHaveLength(1);
  });

  it('masks webhook secrets and drops the query string', () => {
    expect(maskPath('/hooks/AbCdEfGhIjKlMnOp?x=1')).toBe('/hooks/AbCd…');
    expect(maskPath('/hooks/Ab')).toBe('/hooks/…');
    expect(maskPath('/api/v1/users/ivanov?token=secret')).toBe('/api/v1/users/ivanov');
    expect(maskPath('/api/v1/x\x1b[2J')).toBe('/api/v1/x?[2J');
  });
});

describe('rejected API and webhook requests in the log of a real hub', () => {
  let hub: TestHub;
  let botToken: string;
  let hookSecret: string;
  beforeAll(async () => {
    hub = await startHub();
    botToken = (await addBot(hub, 'erp', { name: 'ERP' })).token;
    hookSecret = ((await hub.admin_('hook.add', { room: 'Общий чат', name: 'Grafana' })) as { secret: string }).secret;
  });
  afterAll(async () => {
    await hub.stop();
  });

  const rejections = (): Rejection[] =>
    hub.output
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Rejection)
      .filter((e) => e.msg.startsWith('rejected '));
  const rejection = async (match: (r: Rejection) => boolean): Promise<Rejection> => {
    expect(await waitFor(() => rejections().some(match), 30_000), JSON.stringify(rejections())).toBe(true);
    return rejections().find(match)!;
  };

  it('a wrong token: method, path without the query, 401, code, reason, client; never the token', async () => {
    const wrong = 'wrong-token-0123456789abcdef';
    const res = await http(hub, 'POST', '/api/v1/messages?secret=q', { token: wrong, json: { to: '#x', text: 'hi' } });
    expect(res.status).toBe(401);
    const line = await rejection((r) => r.path === '/api/v1/messages' && r.status === 401);
    expect(line).toMatchObject({
      level: 40,
      method: 'POST',
      code: 'unauthorized',
      client: '127.0.0.1',
      caller: null,
    });
    expect(line.reason).toMatch(/token/);
    expect(hub.output.join('\n')).not.toContain(wrong);
    expect(hub.output.join('\n')).not.toContain('secret=q');
  });

  it("names a known caller: a bot's refused directory write", async () => {
    const res = await http(hub, 'PUT', '/api/v1/users/petrov', { token: botToken, json: { name: 'Петров' } });
    expect(res.status).toBe(403);
    const line = await rejection((r) => r.path === '/api/v1/users/petrov');
    expect(line).toMatchObject({ method: 'PUT', status: 403, code: 'forbidden', caller: 'bot:erp' });
  });

  it('a webhook: the secret cut to 4 characters, the caller its bot', async () => {
    const res = await http(hub, 'POST', `/hooks/${hookSecret}`, {
      body: 'not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    const line = await rejection((r) => r.path.startsWith('/hooks/') && r.status === 400);
    expect(line.path).toBe(`/hooks/${hookSecret.slice(0, 4)}…`);
    expect(line.code).toBe('bad_request');
    expect(line.caller).toMatch(/^bot:/);
    const unknown = await http(hub, 'POST', '/hooks/NoSuchHookAtAll12345', { json: { text: 'x' } });
    expect(unknown.status).toBe(404);
    expect((await rejection((r) => r.path === '/hooks/NoSu…')).caller).toBeNull();
    expect(hub.output.join('\n')).not.toContain(hookSecret);
  });

  it('a flood: at most 10 lines of one kind a minute, then one "suppressed" line', { timeout: 150_000 }, async () => {
    for (let i = 0; i < 30; i++) expect((await http(hub, 'GET', '/api/v1/flood')).status).toBe(404);
    await rejection((r) => r.path === '/api/v1/flood');
    const summary = () =>
      hub.output
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { path?: string; suppressed?: number; msg: string })
        .find((e) => e.path === '/api/v1/flood' && e.suppressed !== undefined);
    // The window is a minute: its summary comes when it ends.
    expect(await waitFor(() => summary() !== undefined, 120_000)).toBe(true);
    expect(rejections().filter((r) => r.path === '/api/v1/flood')).toHaveLength(10);
    expect(summary()).toMatchObject({ suppressed: 20 });
    expect(summary()!.msg).toMatch(/suppressed 20 similar/);
  });
});
