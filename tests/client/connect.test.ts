import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { generalId, testClient, texts, type TestClient } from './clientHarness.ts';

let hub: TestHub;
const clients: TestClient[] = [];
const client = async (...args: Parameters<typeof testClient>) => {
  const c = await testClient(...args);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  for (const c of clients) c.dispose();
  await hub?.stop();
});

describe('ChatClient against a real hub', () => {
  it('signs in over HTTP, connects and takes hello into the state', async () => {
    const ivan = await hub.addUser('ivanov', 'Иван Иванов');
    const c = await client();
    expect(c.state().connection).toBe('signed-out');
    const result = await c.client.signIn(hub.url, 'ivanov', ivan.password);
    expect(result).toEqual({ ok: true });
    const s = await c.until((s) => s.connection === 'connected', 'connected');
    expect(s.me).toMatchObject({ id: ivan.id, login: 'ivanov', name: 'Иван Иванов' });
    expect(s.hubUrl).toBe(hub.url);
    expect(s.connectionError).toBeNull();
    expect(Object.values(s.conversations).map((c) => c.kind)).toContain('general');
    expect(s.users[ivan.id]?.login).toBe('ivanov');
    // The session is saved (so a restart resumes it), and the password is not.
    const saved = c.storage.readNow()['beseda.session']!;
    expect(JSON.parse(saved)).toMatchObject({ hubUrl: hub.url, me: { id: ivan.id } });
    expect(saved).not.toContain(ivan.password);
  });

  it('maps sign-in failures to their codes', async () => {
    await hub.addUser('petrov');
    const c = await client();
    expect(await c.client.signIn(hub.url, 'petrov', 'wrong password')).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'bad_credentials' }),
    });
    expect(await c.client.signIn('http://127.0.0.1:1', 'petrov', 'x')).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'unreachable' }),
    });
    expect(await c.client.signIn('not a hub', 'petrov', 'x')).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'bad_request' }),
    });
    expect(await c.client.signIn(hub.url, '', 'x')).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'bad_request' }),
    });
    const blocked = await hub.addUser('blocked');
    await hub.admin_('user.disable', { login: 'blocked' });
    expect(await c.client.signIn(hub.url, 'blocked', blocked.password)).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'account_disabled' }),
    });
    expect(c.state().connection).toBe('signed-out');
  });

  it('resumes a saved session when a new client starts on the same storage', async () => {
    const u = await hub.addUser('sidorov');
    const first = await client();
    await first.client.signIn(hub.url, 'sidorov', u.password);
    await first.until((s) => s.connection === 'connected', 'connected');
    first.dispose();
    const second = await client({ storage: first.storage });
    expect(second.state().me?.id).toBe(u.id);
    await second.until((s) => s.connection === 'connected', 'connected again');
  });

  it('sends a message that shows pending at once, then sent, and arrives once at the other client', async () => {
    const a = await hub.addUser('anna');
    const b = await hub.addUser('boris');
    const ca = await client();
    const cb = await client();
    await ca.client.signIn(hub.url, 'anna', a.password);
    await cb.client.signIn(hub.url, 'boris', b.password);
    await ca.until((s) => s.connection === 'connected', 'anna connected');
    await cb.until((s) => s.connection === 'connected', 'boris connected');
    const general = generalId(ca.state());
    await ca.client.setActiveConversation(general);
    await cb.client.setActiveConversation(general);
    await cb.until((s) => s.messages[general]?.loadingOlder === false, 'boris loaded general');
    const unreadBefore = cb.state().conversations[general]!.unread;

    const sending = ca.client.send(general, 'Добрый день, @boris!');
    const pending = ca.state().messages[general]!.items.at(-1)!;
    expect(pending).toMatchObject({ seq: 0, status: 'pending', text: 'Добрый день, @boris!', senderId: a.id });
    expect(pending.clientId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    await sending;
    const sent = await ca.until(
      (s) => s.messages[general]!.items.some((m) => m.clientId === pending.clientId && m.status === 'sent'),
      'anna sees it stored',
    );
    expect(sent.messages[general]!.items.filter((m) => m.clientId === pending.clientId)).toHaveLength(1);

    const got = await cb.until((s) => texts(s, general).includes('Добрый день, @boris!'), 'boris receives it');
    expect(texts(got, general).filter((t) => t === 'Добрый день, @boris!')).toHaveLength(1);
    const m = got.messages[general]!.items.find((i) => i.clientId === pending.clientId)!;
    expect(m).toMatchObject({ senderId: a.id, status: 'sent', mentions: [b.id] });
    expect(m.seq).toBeGreaterThan(0);
    // Boris is not looking (not visible): it counts as unread and as a mention.
    expect(got.conversations[general]!.unread).toBe(unreadBefore + 1);
    expect(got.totalMentions).toBeGreaterThanOrEqual(1);
    // The sender of a new message is resolved into users, and incoming listeners hear it once.
    await cb.until((s) => s.users[a.id]?.login === 'anna', 'anna known to boris');
    const heard = cb.incoming.flatMap((i) => i.messages.map((x) => ({ text: x.text, source: i.source })));
    expect(heard.filter((h) => h.text === 'Добрый день, @boris!')).toEqual([
      { text: 'Добрый день, @boris!', source: 'live' },
    ]);
    expect(ca.incoming.flatMap((i) => i.messages).some((x) => x.clientId === pending.clientId)).toBe(false);
  });
});
