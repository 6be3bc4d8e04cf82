import { describe, expect, it } from 'vitest';
import { generalId, signedIn, testClient, useClientHub } from './clientHarness.ts';

// Drafts in the client core over a real hub: kept in the state and in the client's storage per
// account, back after a restart of the client (a new ChatClient on the same storage file); read
// receipts and settings in the state.

const { hub, track } = useClientHub();

describe('drafts', () => {
  it('survive a restart of the client, and an empty one is removed', async () => {
    const anna = track(await signedIn(hub, 'anna'));
    const general = generalId(anna.state());
    await anna.client.saveDraft(general, 'Коллеги, по поводу отгрузки');
    expect(anna.state().drafts[general]).toBe('Коллеги, по поводу отгрузки');
    // Durable once saveDraft resolved: the app may be closed right after.
    anna.dispose();

    const again = track(await testClient({ storage: anna.storage }));
    await again.until((s) => s.connection === 'connected', 'the restarted client connected');
    expect(again.state().drafts[general]).toBe('Коллеги, по поводу отгрузки');

    await again.client.saveDraft(general, '   ');
    expect(again.state().drafts).not.toHaveProperty(String(general));
    again.dispose();
    const third = track(await testClient({ storage: anna.storage }));
    await third.until((s) => s.connection === 'connected', 'the third client connected');
    expect(third.state().drafts).toEqual({});
  });

  it('are restored at start even while the hub cannot be reached', async () => {
    const vera = track(await signedIn(hub, 'vera'));
    const general = generalId(vera.state());
    await vera.client.saveDraft(general, 'черновик без сети');
    vera.dispose();
    await hub.stop();
    try {
      const offline = track(await testClient({ storage: vera.storage }));
      expect(offline.state().drafts[general]).toBe('черновик без сети');
    } finally {
      await hub.restart();
    }
  });

  it('are kept per account: another person signing in on the same computer does not see them', async () => {
    const boris = track(await signedIn(hub, 'boris'));
    const general = generalId(boris.state());
    await boris.client.saveDraft(general, 'личное');
    boris.dispose();

    const gleb = await hub.addUser('gleb', 'Глеб');
    const shared = track(await testClient({ storage: boris.storage }));
    await shared.client.signOut();
    const result = await shared.client.signIn(hub.url, 'gleb', gleb.password);
    expect(result.ok).toBe(true);
    await shared.until((s) => s.connection === 'connected' && s.me?.login === 'gleb', 'gleb connected');
    expect(shared.state().drafts).toEqual({});
    // An explicit sign-out deleted Boris's drafts from this computer.
    expect(Object.keys(shared.storage.readNow()).filter((k) => k.startsWith('beseda.drafts.'))).toEqual([]);
  });
});

describe('settings and receipts in the client state', () => {
  it('hello brings the settings, receipts arrive, switching them off reaches the other device', async () => {
    const dina = track(await signedIn(hub, 'dina'));
    const egor = track(await signedIn(hub, 'egor'));
    expect(dina.state().settings).toEqual({ readReceipts: true });
    const direct = (await dina.client.openDirect(egor.id)).id;
    await dina.client.send(direct, 'Егор, привет');
    await egor.until((s) => (s.conversations[direct]?.lastSeq ?? 0) > 0, 'egor has the conversation');
    const seq = egor.state().conversations[direct]!.lastSeq;
    // Egor's client reports `received` by itself (debounced): ✓ on Dina's side.
    await dina.until((s) => (s.conversations[direct]?.peerReceivedSeq ?? 0) >= seq, 'dina sees ✓');
    // Egor opens it and sees the message (markSeen never moves past what the window holds).
    await egor.client.setActiveConversation(direct);
    await egor.until((s) => s.messages[direct]?.items.some((m) => m.seq === seq) ?? false, 'egor holds it');
    await egor.client.markSeen(direct, seq);
    await dina.until((s) => (s.conversations[direct]?.peerReadSeq ?? 0) >= seq, 'dina sees ✓✓');
    // Egor answers without marking anything seen: writing moved his read marker (the hub does so),
    // so Dina's second message counts as read on her side at once.
    await dina.client.send(direct, 'и ещё одно');
    const second = await egor.until((s) => s.conversations[direct]!.lastSeq > seq, 'egor has the second message');
    const secondSeq = second.conversations[direct]!.lastSeq;
    await egor.client.send(direct, 'Привет, Дина');
    await dina.until((s) => (s.conversations[direct]?.peerReadSeq ?? 0) > secondSeq, 'his reply reads as ✓✓ up to it');
    // The device's time zone reached the hub after hello.
    await dina.until((s) => s.me?.timeZone !== undefined || s.users[s.me!.id]?.timeZone !== undefined, 'time zone');

    const egorElsewhere = track(await testClient({ storage: egor.storage }));
    await egorElsewhere.until((s) => s.connection === 'connected', 'egor second device');
    await egor.client.setReadReceipts(false);
    expect(egor.state().settings).toEqual({ readReceipts: false });
    await egorElsewhere.until((s) => s.settings?.readReceipts === false, 'the other device hears it');
    await dina.until((s) => s.conversations[direct]!.peerReadSeq === undefined, 'dina loses ✓✓');
    await egor.until((s) => s.conversations[direct]!.peerReadSeq === undefined, 'egor sees none either');
  });
});
