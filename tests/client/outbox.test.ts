import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { ClientTracker, cuttingSocket, generalId, savedOutbox, signedIn, testClient, texts } from './clientHarness.ts';

let hub: TestHub;
const clients = new ClientTracker();
const { track } = clients;
/** Reconnects quickly (tests wait for reconnects). */
const fast = { backoffBaseMs: 50, backoffCapMs: 300 };

beforeAll(async () => {
  hub = await startHub();
});
afterEach(() => {
  clients.disposeAll();
});
afterAll(async () => {
  await hub?.stop();
});

/** The texts of a conversation's history as the hub has them (via a raw socket). */
async function hubHistory(login: string, password: string, conversationId: number): Promise<string[]> {
  const { token } = await hub.login(login, password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  try {
    const page = await socket.request<{ messages: { text: string; kind: string }[] }>('history', {
      conversationId,
      limit: 200,
    });
    return page.messages.filter((m) => m.kind === 'text').map((m) => m.text);
  } finally {
    socket.close();
  }
}

const ensureRunning = async () => {
  if (hub.process.exitCode !== null || hub.process.signalCode !== null) await hub.restart();
};

describe('outbox', () => {
  it('keeps messages written while the hub is down, across a new client on the same storage, and delivers each exactly once', async () => {
    const anna = track(await signedIn(hub, 'anna', { tuning: fast }));
    const boris = track(await signedIn(hub, 'boris', { tuning: fast }));
    const general = generalId(anna.state());
    await boris.client.setActiveConversation(general);
    await anna.client.setActiveConversation(general);

    await hub.kill();
    await anna.until((s) => s.connection !== 'connected', 'anna notices the hub is gone');
    const written = ['первое', 'второе', 'третье'];
    for (const text of written) {
      const sending = anna.client.send(general, text);
      // Shown at once, before storage even finished.
      expect(anna.state().messages[general]!.items.at(-1)).toMatchObject({ text, status: 'pending', seq: 0 });
      await sending;
    }
    // Durable as soon as send() resolved.
    expect(savedOutbox(anna.storage).map((e) => [e.text, e.status])).toEqual(written.map((t) => [t, 'pending']));

    // The app restarts while the hub is still down.
    anna.dispose();
    const anna2 = track(await testClient({ storage: anna.storage, tuning: fast }));
    expect(anna2.state().me?.login).toBe('anna');
    expect(anna2.state().messages[general]!.items.map((m) => [m.text, m.status])).toEqual(
      written.map((t) => [t, 'pending']),
    );

    await hub.restart();
    anna2.client.notifyNetworkChange();
    boris.client.notifyNetworkChange();
    const delivered = await anna2.until(
      (s) =>
        s.connection === 'connected' &&
        written.every((t) => s.messages[general]?.items.some((m) => m.text === t && m.status === 'sent')),
      'anna2 sees all three stored',
    );
    expect(delivered.messages[general]!.items.filter((m) => m.status !== 'sent')).toEqual([]);
    await anna2.client.flushStorage();
    expect(savedOutbox(anna2.storage)).toEqual([]);

    const received = await boris.until(
      (s) => written.every((t) => texts(s, general).includes(t)),
      'boris receives all three',
    );
    expect(texts(received, general).filter((t) => written.includes(t))).toEqual(written);
    const stored = await hubHistory('anna', anna.password, general);
    expect(stored.filter((t) => written.includes(t))).toEqual(written);
  });

  it('sends a message exactly once when the connection dies after the hub stored it but before the client heard', async () => {
    await ensureRunning();
    let armed = false;
    let cut = 0;
    /** A real socket that loses the line the moment the hub answers a send (network failure). */
    const cutAtAnswer = cuttingSocket((data) => {
      const frame = JSON.parse(data) as { type: string; message?: { text: string } };
      const aboutIt =
        (frame.type === 'message' && frame.message?.text === 'на грани') ||
        (frame.type === 'result' && data.includes('на грани'));
      if (!armed || !aboutIt) return false;
      armed = false;
      cut++;
      return true;
    });
    const anna = track(await signedIn(hub, 'anya', { tuning: fast, createSocket: cutAtAnswer }));
    const boris = track(await signedIn(hub, 'borya', { tuning: fast }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);
    await boris.client.setActiveConversation(general);
    armed = true;
    await anna.client.send(general, 'на грани');
    await anna.until((s) => s.connection !== 'connected', 'the line is cut');
    expect(cut).toBe(1);
    const s = await anna.until(
      (s) =>
        s.connection === 'connected' &&
        s.messages[general]!.items.some((m) => m.text === 'на грани' && m.status === 'sent'),
      'anna sees it stored after reconnecting',
    );
    expect(s.messages[general]!.items.filter((m) => m.text === 'на грани')).toHaveLength(1);
    const b = await boris.until((s) => texts(s, general).includes('на грани'), 'boris has it');
    expect(texts(b, general).filter((t) => t === 'на грани')).toHaveLength(1);
    expect((await hubHistory('borya', boris.password, general)).filter((t) => t === 'на грани')).toHaveLength(1);
  });

  it('marks a message the hub refuses as failed with the reason; retry sends it once allowed; discard drops it', async () => {
    await ensureRunning();
    const owner = track(await signedIn(hub, 'olga', { tuning: fast }));
    const guest = track(await signedIn(hub, 'gleb', { tuning: fast }));
    const room = await owner.client.createRoom({ name: 'Склад', kind: 'closed' });

    await guest.client.send(room.id, 'можно войти?');
    const failed = await guest.until(
      (s) => s.messages[room.id]?.items.some((m) => m.status === 'failed') ?? false,
      'the message fails',
    );
    const item = failed.messages[room.id]!.items.find((m) => m.text === 'можно войти?')!;
    expect(item.status).toBe('failed');
    expect(item.error?.code).toBe('not_found');
    expect(item.error?.message).toBeTruthy();
    await guest.client.flushStorage();
    expect(savedOutbox(guest.storage).map((e) => e.status)).toEqual(['failed']);

    await owner.client.invite(room.id, [guest.id]);
    await guest.until((s) => room.id in s.conversations, 'gleb sees the room');
    await guest.client.retry(item.clientId);
    await guest.until(
      (s) => s.messages[room.id]!.items.some((m) => m.clientId === item.clientId && m.status === 'sent'),
      'the retried message is stored',
    );
    expect(guest.state().messages[room.id]!.items.filter((m) => m.clientId === item.clientId)).toHaveLength(1);
    await owner.client.setActiveConversation(room.id);
    await owner.until((s) => texts(s, room.id).includes('можно войти?'), 'the owner gets it');

    // Too long for the hub's limit (known from hello): refused at once, without a round trip.
    const limit = 16384;
    await guest.client.send(room.id, 'я'.repeat(limit));
    const tooLong = guest.state().messages[room.id]!.items.at(-1)!;
    expect(tooLong).toMatchObject({ status: 'failed', error: { code: 'too_long' } });
    await guest.client.discard(tooLong.clientId);
    expect(guest.state().messages[room.id]!.items.some((m) => m.clientId === tooLong.clientId)).toBe(false);
    await guest.client.flushStorage();
    expect(savedOutbox(guest.storage)).toEqual([]);
  });
});

describe('outbox under the hub rate limit', () => {
  let slowHub: TestHub;
  beforeAll(async () => {
    slowHub = await startHub({ args: ['--send-per-second', '2', '--send-burst', '2'] });
  });
  afterAll(async () => {
    await slowHub?.stop();
  });

  it('waits as told by rate_limited and delivers everything in order', async () => {
    const anna = track(await signedIn(slowHub, 'anna', { tuning: fast }));
    const boris = track(await signedIn(slowHub, 'boris', { tuning: fast }));
    const general = generalId(anna.state());
    await boris.client.setActiveConversation(general);
    const written = Array.from({ length: 6 }, (_, i) => `сообщение ${i + 1}`);
    for (const t of written) await anna.client.send(general, t);
    const got = await boris.until(
      (s) => written.every((t) => texts(s, general).includes(t)),
      'boris gets all six',
      15_000,
    );
    expect(texts(got, general).filter((t) => written.includes(t))).toEqual(written);
    await anna.until((s) => (s.messages[general]?.items ?? []).every((m) => m.status === 'sent'), 'all sent');
    expect(anna.state().messages[general]!.items.filter((m) => m.status === 'failed')).toEqual([]);
  });
});
