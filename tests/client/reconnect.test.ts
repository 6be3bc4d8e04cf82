import { describe, expect, it } from 'vitest';
import { TestSocket } from '../helpers/TestSocket.ts';
import { generalId, signedIn, texts, useClientHub } from './clientHarness.ts';

const { hub, track, fast } = useClientHub({
  // A test that killed the hub leaves it for the next one restarted.
  afterEach: async (started) => {
    if (started.process.exitCode !== null || started.process.signalCode !== null) await started.restart();
  },
});
/** Waits a long fixed time before reconnecting, so only notifyNetworkChange brings it back soon. */
const patient = { tuning: { backoffBaseMs: 60_000, backoffCapMs: 60_000 }, random: () => 0.999 };

describe('reconnect and catch-up', () => {
  it('catches up by sequence after the hub was killed and restarted, without counting anything twice', async () => {
    const anna = track(await signedIn(hub, 'anna', { tuning: fast }));
    const boris = track(await signedIn(hub, 'boris', patient));
    const general = generalId(boris.state());
    await boris.client.setActiveConversation(general);
    await anna.client.send(general, 'до сбоя');
    await boris.until((s) => texts(s, general).includes('до сбоя'), 'boris gets the first message');
    const unreadBefore = boris.state().conversations[general]!.unread;

    await hub.kill();
    const down = await boris.until((s) => s.connection !== 'connected', 'boris notices');
    expect(down.connectionError).toBe('connection_lost');
    await hub.restart();
    anna.client.notifyNetworkChange();
    await anna.until((s) => s.connection === 'connected', 'anna back');
    const meanwhile = ['пока тебя не было 1', 'пока тебя не было 2', 'пока тебя не было 3'];
    for (const t of meanwhile) await anna.client.send(general, t);
    await anna.until((s) => s.messages[general]!.items.every((m) => m.status === 'sent'), 'anna sent them');
    // Boris waits out his back-off (a minute) until told the network is back.
    expect(boris.state().connection).not.toBe('connected');

    boris.client.notifyNetworkChange();
    const back = await boris.until(
      (s) => s.connection === 'connected' && meanwhile.every((t) => texts(s, general).includes(t)),
      'boris caught up',
    );
    expect(texts(back, general).filter((t) => t === 'до сбоя' || meanwhile.includes(t))).toEqual([
      'до сбоя',
      ...meanwhile,
    ]);
    const seqs = back.messages[general]!.items.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    // hello's unread already counts the missed messages; the catch-up must not add them again.
    expect(back.conversations[general]!.unread).toBe(unreadBefore + 3);
    const caughtUp = boris.incoming.filter((i) => i.source === 'catchup').flatMap((i) => i.messages.map((m) => m.text));
    expect(caughtUp).toEqual(meanwhile);
  });

  it('comes back within seconds after a restart the hub announced, whatever its usual back-off', async () => {
    // Usual back-off a minute; after the hub's 1001 "restarting" the ceiling is restartCapMs for a minute.
    const vera = track(await signedIn(hub, 'vera', patient));
    await hub.stop();
    const down = await vera.until((s) => s.connection !== 'connected', 'vera notices');
    expect(down.connectionError).toBe('hub_restarting');
    await hub.restart();
    const startedAt = Date.now();
    // No notifyNetworkChange: only the short restart ceiling brings her back before a minute.
    await vera.until((s) => s.connection === 'connected', 'vera back without being told', 30_000);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  });

  it('coalesces a large catch-up into a few patches', async () => {
    const alla = await hub.addUser('alla');
    const boris = track(await signedIn(hub, 'bogdan', { ...patient, tuning: { ...patient.tuning, syncPage: 250 } }));
    const general = generalId(boris.state());
    await boris.client.setActiveConversation(general);
    await boris.until((s) => s.messages[general]?.loadingOlder === false, 'window loaded');

    await hub.stop();
    await boris.until((s) => s.connection !== 'connected', 'boris notices');
    await hub.restart();
    // Someone else writes a lot meanwhile (a raw protocol client, to be quick about it).
    const { token } = await hub.login('alla', alla.password);
    const writer = await TestSocket.open(hub.wsUrl, token);
    const count = 600;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        writer.request('send', { conversationId: general, clientId: `bulk-${i}-${'x'.repeat(8)}`, text: `пакет ${i}` }),
      ),
    );
    writer.close();

    const before = boris.patches.length;
    boris.client.notifyNetworkChange();
    const s = await boris.until(
      (s) => texts(s, general).filter((t) => t.startsWith('пакет')).length === count,
      'boris has all of them',
      20_000,
    );
    expect(texts(s, general).filter((t) => t.startsWith('пакет'))).toEqual(
      Array.from({ length: count }, (_, i) => `пакет ${i}`),
    );
    // Three sync pages (and hello, users) — not one patch per message.
    expect(boris.patches.length - before).toBeLessThan(15);
    expect(s.conversations[general]!.unread).toBeGreaterThanOrEqual(count);
  });

  it('treats a request without a reply as a dead socket, and reconnects once the hub answers again', async () => {
    const anna = track(await signedIn(hub, 'arina', { tuning: { ...fast, requestTimeoutMs: 800 } }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);
    // A frozen hub: the TCP connection stays up, nothing answers.
    hub.process.kill('SIGSTOP');
    try {
      await anna.client.send(general, 'в пустоту');
      const lost = await anna.until((s) => s.connection !== 'connected', 'anna gives up on the socket', 5000);
      expect(lost.connectionError).toBe('connection_lost');
      expect(lost.messages[general]!.items.at(-1)).toMatchObject({ text: 'в пустоту', status: 'pending' });
      await anna.until((s) => s.connection === 'offline', 'anna offline after failed attempts', 5000);
    } finally {
      hub.process.kill('SIGCONT');
    }
    anna.client.notifyNetworkChange();
    const back = await anna.until(
      (s) =>
        s.connection === 'connected' &&
        s.messages[general]!.items.some((m) => m.text === 'в пустоту' && m.status === 'sent'),
      'anna reconnects and the message is stored',
      10_000,
    );
    expect(back.messages[general]!.items.filter((m) => m.text === 'в пустоту')).toHaveLength(1);
  });

  it('notices a silently dead socket by probing when the hub has been quiet', async () => {
    const anna = track(await signedIn(hub, 'agata', { tuning: { ...fast, requestTimeoutMs: 600, idleProbeMs: 400 } }));
    hub.process.kill('SIGSTOP');
    try {
      // Nobody sends anything: only the idle probe can find out.
      const lost = await anna.until((s) => s.connection !== 'connected', 'the probe gives up', 5000);
      expect(lost.connectionError).toBe('connection_lost');
    } finally {
      hub.process.kill('SIGCONT');
    }
    await anna.until((s) => s.connection === 'connected', 'back by itself', 10_000);
  });

  it('reports a hub restart as such and comes back by itself with back-off', async () => {
    const anna = track(await signedIn(hub, 'alisa', { tuning: fast }));
    const states: string[] = [];
    anna.client.subscribe((p) => {
      if (p.connection) states.push(`${p.connection}:${p.connectionError ?? anna.state().connectionError}`);
    });
    await hub.stop();
    await anna.until((s) => s.connection === 'offline', 'offline');
    await hub.restart();
    await anna.until((s) => s.connection === 'connected', 'back without being told', 10_000);
    expect(states[0]).toBe('connecting:hub_restarting');
    expect(states).toContain('offline:unreachable');
    expect(states.at(-1)).toBe('connected:null');
  });
});
