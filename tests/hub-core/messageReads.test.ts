// Reading messages as they are now (issue 13): since() with messages and updates in one page,
// reply quotes joined when read, forwards copied at send time, pinned messages.
import { describe, expect, it } from 'vitest';
import type { ChangeOutcome, ChangeRequest, MessageChange } from '../../hub/store/MessageStore.ts';
import { cutText } from '../../hub/store/sqlite/replyQuotes.ts';
import { onPostgres } from './harness.ts';
import { ids, now, openStore } from './messageStoreHarness.ts';

let clientIds = 0;
function req(actorId: number, seq: number, change: MessageChange): ChangeRequest {
  clientIds += 1;
  return { actorId, clientId: `read-${clientIds}-id`, seq, ts: now + 50_000 + clientIds, change };
}
const react = (emoji: string, on = true): MessageChange => ({ kind: 'react', emoji, on, maxEmoji: 20 });

async function applied(p: Promise<ChangeOutcome>) {
  const outcome = await p;
  if (outcome.kind !== 'applied') throw new Error(`not applied: ${JSON.stringify(outcome)}`);
  return outcome.update;
}

describe('since', () => {
  it('returns messages and updates after `since`, the limit + 1 lowest seqs of both, updates carrying the message now', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const vera = await t.user('vera');
    const room = await t.room('Комната', anna, [boris]);
    const other = await t.room('Чужая', vera);
    const m1 = await t.post(anna, room, 'один');
    const start = await t.store.messages.lastSeq();
    const u1 = await applied(t.store.messages.applyChange(req(boris, m1, react('👍'))));
    const m2 = await t.post(boris, room, 'два');
    const hidden = await t.post(vera, other, 'не для анны');
    const u2 = await applied(
      t.store.messages.applyChange(req(anna, m1, { kind: 'edit', text: 'один!', mentions: [], mentionsAll: false })),
    );
    const m3 = await t.post(anna, room, 'три');
    const u3 = await applied(t.store.messages.applyChange(req(anna, m2, { kind: 'pin', pinned: true })));
    const otherUpdate = await applied(t.store.messages.applyChange(req(vera, hidden, react('🙂'))));
    expect(otherUpdate.conversationId).toBe(other);

    const all = await t.store.messages.since(anna, start, 100);
    expect(all.messages.map((m) => m.seq)).toEqual([m2, m3]);
    expect(all.updates.map((u) => u.seq)).toEqual([u1.seq, u2.seq, u3.seq]);
    // Every update carries its message as it is NOW: the reaction's update already has the edit.
    expect(all.updates[0]!.message).toMatchObject({ seq: m1, text: 'один!', rev: u2.seq });
    expect(all.updates[0]!.message.reactions).toEqual([{ emoji: '👍', userIds: [boris] }]);
    expect(all.updates[1]).toMatchObject({ kind: 'edit', actorId: anna, newMentions: [] });
    expect(all.messages[0]!.pinned).toEqual({ by: anna, at: u3.ts });

    // limit 2: the 3 lowest seqs of both (u1, m2, u2), in seq order.
    const page = await t.store.messages.since(anna, start, 2);
    expect(page.updates.map((u) => u.seq)).toEqual([u1.seq, u2.seq]);
    expect(page.messages.map((m) => m.seq)).toEqual([m2]);
    // The next page starts at the highest seq of either.
    const next = await t.store.messages.since(anna, u2.seq, 2);
    expect(next.messages.map((m) => m.seq)).toEqual([m3]);
    expect(next.updates.map((u) => u.seq)).toEqual([u3.seq]);
    expect(await t.store.messages.since(anna, u3.seq, 2)).toEqual({ messages: [], updates: [] });
  });

  it("pages through many conversations as one seq order: the lowest seqs of the user's conversations, none skipped or repeated", async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const hers = [await t.room('Первая', anna), await t.room('Вторая', anna, [boris]), await t.room('Третья', anna)];
    const notHers = await t.room('Чужая', boris);
    const start = await t.store.messages.lastSeq();
    const wanted: number[] = [];
    // Uneven traffic: most messages in one room, a few in the others, some she must not get.
    for (let i = 0; i < 120; i++) {
      const room = i % 10 === 0 ? hers[1]! : i % 7 === 0 ? notHers : i % 5 === 0 ? hers[2]! : hers[0]!;
      const seq = await t.post(room === notHers ? boris : anna, room, `сообщение ${i}`);
      if (room !== notHers) wanted.push(seq);
    }
    for (const limit of [1, 7, 50, 500]) {
      const got: number[] = [];
      let since = start;
      for (let pages = 0; pages < 200; pages++) {
        const page = await t.store.messages.since(anna, since, limit);
        // limit + 1 at most: the extra one tells the hub there is more.
        expect(page.messages.length).toBeLessThanOrEqual(limit + 1);
        const seqs = page.messages.map((m) => m.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        const kept = seqs.slice(0, limit);
        got.push(...kept);
        if (seqs.length <= limit) break;
        since = kept.at(-1)!;
      }
      expect(got).toEqual(wanted);
    }
    // From the middle: exactly the lowest ones above `since`.
    const from = wanted[40]!;
    expect((await t.store.messages.since(anna, from, 9)).messages.map((m) => m.seq)).toEqual(wanted.slice(41, 51));
  });

  it('leaves out the updates of conversations the user has left', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const room = await t.room('Комната', anna, [boris]);
    const seq = await t.post(anna, room, 'привет');
    await applied(t.store.messages.applyChange(req(anna, seq, react('👍'))));
    expect((await t.store.messages.since(boris, 0, 100)).updates).toHaveLength(1);
    await t.store.conversations.removeMember(room, boris, { by: 'self' }, now);
    const after = await t.store.messages.since(boris, 0, 100);
    expect(after.updates).toEqual([]);
    expect(after.messages.every((m) => m.conversationId !== room)).toBe(true);
  });

  it.skipIf(onPostgres)('walks the seq index, never scanning the messages or the updates table', async () => {
    const t = await openStore();
    const plan = (sql: string) =>
      (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(0, 1, 10) as { detail: string }[]).map((r) => r.detail);
    const updates = plan(
      `SELECT u.* FROM message_updates u
       WHERE u.seq > ? AND EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = +u.conversation_id AND m.user_id = ?)
       ORDER BY u.seq LIMIT ?`,
    );
    expect(updates.join('\n')).toMatch(/SEARCH u USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    expect(updates.join('\n')).not.toMatch(/SCAN u\b|TEMP B-TREE/);
    // Messages: one range of the conversation index per conversation the user is in.
    const messages = (
      t.db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT * FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
        )
        .all(1, 0, 10, 10) as { detail: string }[]
    ).map((r) => r.detail);
    expect(messages.join('\n')).toMatch(
      /SEARCH messages USING INDEX messages_conversation_seq \(conversation_id=\? AND seq>\? AND seq<\?\)/,
    );
    expect(messages.join('\n')).not.toMatch(/TEMP B-TREE/);
    const quotes = (
      t.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT seq, sender_id, display_name, text, deleted_at FROM messages
           WHERE seq IN (SELECT value FROM json_each(?))`,
        )
        .all('[1]') as { detail: string }[]
    ).map((r) => r.detail);
    expect(quotes.join('\n')).toMatch(/SEARCH messages USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    const reactions = (
      t.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT seq, emoji, user_id FROM message_reactions
           WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq, emoji_rank, rowid`,
        )
        .all('[1]') as { detail: string }[]
    ).map((r) => r.detail);
    expect(reactions.join('\n')).not.toMatch(/SCAN message_reactions/);
    const pinned = (
      t.db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT * FROM messages WHERE conversation_id = ? AND pinned_at IS NOT NULL ORDER BY pinned_at DESC, seq DESC',
        )
        .all(1) as { detail: string }[]
    ).map((r) => r.detail);
    expect(pinned.join('\n')).toMatch(/messages_pinned/);
  });
});

describe('a page of history', () => {
  it.skipIf(onPostgres)(
    'joins files, reactions and reply quotes in a few queries for 200 messages, not one per message',
    async () => {
      const t = await openStore();
      const anna = await t.user('anna');
      const boris = await t.user('boris');
      const room = await t.room('Комната', anna, [boris]);
      const pic = await t.upload(anna, 'картинка', 'image');
      let previous = await t.post(anna, room, 'начало', { files: [pic] });
      for (let i = 0; i < 200; i += 1) {
        const sender = i % 2 === 0 ? anna : boris;
        const file = await t.upload(sender, `файл-${i}`);
        previous = await t.post(sender, room, `сообщение ${i}`, { replyTo: previous, files: [file] });
        await t.store.messages.applyChange(req(boris, previous, react(i % 3 === 0 ? '👍' : '🔥')));
      }
      // Count the statements run while reading the page.
      const proto = Object.getPrototypeOf(t.db.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
      let runs = 0;
      const spies = (['all', 'get', 'iterate'] as const).map((name) => {
        const original = proto[name]!;
        proto[name] = function (this: unknown, ...args: unknown[]) {
          runs += 1;
          return original.apply(this, args);
        };
        return () => {
          proto[name] = original;
        };
      });
      let page;
      try {
        page = await t.store.messages.before(room, Number.MAX_SAFE_INTEGER, 199);
      } finally {
        for (const restore of spies) restore();
      }
      expect(page).toHaveLength(200);
      expect(page.every((m) => m.files?.length === 1 && m.reactions?.length === 1 && m.replyTo)).toBe(true);
      expect(page[0]!.replyTo).toMatchObject({ seq: page[1]!.seq, fileCount: 1 });
      expect(runs).toBeLessThanOrEqual(6);
    },
  );
});

describe('replies', () => {
  it('quotes the target as it is now: text cut, first image, file count; a deleted target says deleted', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const room = await t.room('Комната', anna, [boris]);
    const long = `${'я'.repeat(299)}😀😀 хвост`;
    const target = await t.post(anna, room, long);
    const reply = await t.append(boris, room, 'ответ', { replyTo: target });
    expect(reply.kind).toBe('stored');
    if (reply.kind !== 'stored') return;
    expect(reply.message.replyTo).toEqual({ seq: target, senderId: anna, text: `${'я'.repeat(299)}😀` });
    expect(await t.store.messages.get(reply.message.seq)).toEqual(reply.message);

    const doc = await t.upload(anna, 'док');
    const pic = await t.upload(anna, 'картинка', 'image', 'превью');
    const withFiles = await t.post(anna, room, '', { files: [doc, pic] });
    const replyToFiles = await t.post(boris, room, 'красиво', { replyTo: withFiles });
    expect((await t.store.messages.get(replyToFiles))!.replyTo).toEqual({
      seq: withFiles,
      senderId: anna,
      text: '',
      image: expect.objectContaining({ id: pic, kind: 'image', width: 10, height: 10 }),
      fileCount: 2,
    });

    // Edits show in the quote; a delete leaves `deleted` and no text, files or image.
    await applied(
      t.store.messages.applyChange(
        req(anna, target, { kind: 'edit', text: 'коротко', mentions: [], mentionsAll: false }),
      ),
    );
    expect((await t.store.messages.get(reply.message.seq))!.replyTo!.text).toBe('коротко');
    await applied(t.store.messages.applyChange(req(anna, withFiles, { kind: 'delete' })));
    const history = await t.store.messages.before(room, Number.MAX_SAFE_INTEGER, 10);
    expect(history.find((m) => m.seq === replyToFiles)!.replyTo).toEqual({
      seq: withFiles,
      senderId: anna,
      text: '',
      deleted: true,
    });
    // The reply itself stays as it was.
    expect(history.find((m) => m.seq === replyToFiles)!.text).toBe('красиво');
  });

  it('quotes every reply of one group commit, a reply to a message of the same batch included', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const room = await t.room('Комната', anna);
    const target = await t.post(anna, room, 'вопрос');
    const base = {
      conversationId: room,
      senderId: anna,
      kind: 'text',
      ts: now,
      mentions: [],
      mentionsAll: false,
    } as const;
    const outcomes = await t.store.messages.appendBatch([
      { ...base, clientId: 'batch-1-id', text: 'первый ответ', replyTo: target },
      { ...base, clientId: 'batch-2-id', text: 'просто так' },
      { ...base, clientId: 'batch-3-id', text: 'второй ответ', replyTo: target },
      { ...base, clientId: 'batch-4-id', text: 'не туда', replyTo: target + 1000 },
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['stored', 'stored', 'stored', 'refused']);
    const stored = outcomes.flatMap((o) => (o.kind === 'stored' ? [o.message] : []));
    expect(stored.map((m) => m.replyTo?.text)).toEqual(['вопрос', undefined, 'вопрос']);
    const chained = await t.store.messages.appendBatch([
      { ...base, clientId: 'batch-5-id', text: 'ответ на ответ', replyTo: stored[0]!.seq },
    ]);
    expect(chained[0]!.kind === 'stored' && chained[0]!.message.replyTo).toEqual({
      seq: stored[0]!.seq,
      senderId: anna,
      text: 'первый ответ',
    });
    for (const m of stored) expect(await t.store.messages.get(m.seq)).toEqual(m);
  });

  it('refuses a reply to a message of another conversation or to no message (bad_reply)', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const room = await t.room('Комната', anna);
    const elsewhere = await t.post(anna, await t.general(), 'в общем');
    expect(await t.append(anna, room, 'ответ', { replyTo: elsewhere })).toEqual({
      kind: 'refused',
      reason: 'bad_reply',
    });
    expect(await t.append(anna, room, 'ответ', { replyTo: elsewhere + 100 })).toEqual({
      kind: 'refused',
      reason: 'bad_reply',
    });
  });

  it('cuts on code points, never inside a surrogate pair', () => {
    expect(cutText('abc', 2)).toBe('ab');
    expect(cutText('😀😀😀', 2)).toBe('😀😀');
    expect(cutText('a😀', 1)).toBe('a');
    expect(cutText('короткий', 300)).toBe('короткий');
  });
});

describe('forwards', () => {
  it('copies text, attachments and files of the original; a forward of a forward keeps the first author', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const vera = await t.user('vera');
    const first = await t.room('Первая', anna, [boris]);
    const second = await t.room('Вторая', boris, [vera]);
    const third = await t.direct(vera, anna);
    const pic = await t.upload(anna, 'фото', 'image', 'фото-превью');
    const original = await t.post(anna, first, 'смотри @boris', {
      mentions: [boris],
      files: [pic],
      attachments: [{ text: 'карточка' }],
    });
    const forward = await t.append(boris, second, '', { forward: original });
    expect(forward.kind).toBe('stored');
    if (forward.kind !== 'stored') return;
    const originalTs = (await t.store.messages.get(original))!.ts;
    expect(forward.message).toMatchObject({
      conversationId: second,
      senderId: boris,
      text: 'смотри @boris',
      mentions: [],
      mentionsAll: false,
      attachments: [{ text: 'карточка' }],
      forwarded: { senderId: anna, ts: originalTs },
    });
    expect(ids(forward.message.files)).toEqual([pic]);
    expect(await t.store.messages.get(forward.message.seq)).toEqual(forward.message);
    // Vera may read the file now: access follows the conversations that carry it.
    expect(await t.store.files.mayRead(pic, vera)).toBe(true);

    const again = await t.append(vera, third, '', { forward: forward.message.seq });
    expect(again.kind === 'stored' && again.message.forwarded).toEqual({ senderId: anna, ts: originalTs });
    expect(again.kind === 'stored' && ids(again.message.files)).toEqual([pic]);

    // Deleting the original does not take the file from the forwards; no blob is freed.
    const deleted = await applied(t.store.messages.applyChange(req(anna, original, { kind: 'delete' })));
    expect(deleted.message.files).toBeUndefined();
    expect(ids((await t.store.messages.get(forward.message.seq))!.files)).toEqual([pic]);
    expect(await t.store.files.get(pic)).toBeDefined();
  });

  it('refuses to forward what the sender cannot read, a deleted message or a system message (bad_forward)', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const secret = await t.room('Тайная', anna, [], 'closed');
    const open = await t.room('Открытая', boris, [anna]);
    const hidden = await t.post(anna, secret, 'секрет');
    expect(await t.append(boris, open, '', { forward: hidden })).toEqual({ kind: 'refused', reason: 'bad_forward' });
    const gone = await t.post(anna, open, 'удалю');
    await applied(t.store.messages.applyChange(req(anna, gone, { kind: 'delete' })));
    expect(await t.append(boris, open, '', { forward: gone })).toEqual({ kind: 'refused', reason: 'bad_forward' });
    expect(await t.append(boris, open, '', { forward: gone + 1000 })).toEqual({
      kind: 'refused',
      reason: 'bad_forward',
    });
    const system = (await t.store.messages.before(open, Number.MAX_SAFE_INTEGER, 50)).find((m) => m.kind === 'system');
    expect(system).toBeDefined();
    expect(await t.append(boris, open, '', { forward: system!.seq })).toEqual({
      kind: 'refused',
      reason: 'bad_forward',
    });
    // Anything in the general room is everyone's to forward.
    const inGeneral = await t.post(anna, await t.general(), 'всем');
    expect((await t.append(boris, open, '', { forward: inGeneral })).kind).toBe('stored');
  });
});
