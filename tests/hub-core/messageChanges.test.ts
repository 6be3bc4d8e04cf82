// The message store's side of message actions (issue 13): edits, deletes, reactions and pins
// applied in place, re-checked at commit, idempotent by the actor's client id, each an update in
// the one sequence with messages.
import { describe, expect, it } from 'vitest';
import type { ChangeRequest, MessageChange } from '../../hub/store/MessageStore.ts';
import { onPostgres } from './harness.ts';
import { now, openStore } from './messageStoreHarness.ts';

let clientIds = 0;

/** A change request with a fresh client id. */
function req(
  actorId: number,
  seq: number,
  change: MessageChange,
  clientId = `chg-${(clientIds += 1)}-id`,
): ChangeRequest {
  return { actorId, clientId, seq, ts: now + 10_000 + clientIds, change };
}

const edit = (text: string, mentions: number[] = [], mentionsAll = false): MessageChange => ({
  kind: 'edit',
  text,
  mentions,
  mentionsAll,
});
const react = (emoji: string, on = true, maxEmoji = 20): MessageChange => ({ kind: 'react', emoji, on, maxEmoji });

async function people() {
  const t = await openStore();
  const anna = await t.user('anna');
  const boris = await t.user('boris');
  const vera = await t.user('vera');
  const room = await t.room('Склад', anna, [boris]);
  return { t, anna, boris, vera, room };
}

describe('applyChange: edit', () => {
  it('stores the new text and mentions, marks the edit, bumps rev to the update seq and lists new mentions', async () => {
    const { t, anna, boris, vera, room } = await people();
    await t.store.conversations.addMembers(room, [vera], { by: 'self' }, now).catch(() => undefined);
    const seq = await t.post(anna, room, 'привет @boris', { mentions: [boris] });
    const request = req(anna, seq, edit('привет @boris @vera @anna', [boris, vera, anna]));
    const outcome = await t.store.messages.applyChange(request);
    expect(outcome.kind).toBe('applied');
    if (outcome.kind !== 'applied') return;
    expect(outcome.update).toMatchObject({ kind: 'edit', conversationId: room, actorId: anna, ts: request.ts });
    expect(outcome.update.seq).toBeGreaterThan(seq);
    // boris was mentioned before, anna is the author: only vera is new.
    expect(outcome.update.newMentions).toEqual([vera]);
    expect(outcome.update.message).toMatchObject({
      seq,
      text: 'привет @boris @vera @anna',
      mentions: [boris, vera, anna],
      editedAt: request.ts,
      rev: outcome.update.seq,
    });
    expect(outcome.audience).toEqual((await t.store.conversations.memberIds(room)).sort((a, b) => a - b));
    expect(outcome.freedBlobs).toEqual([]);
    expect(await t.store.messages.get(seq)).toEqual(outcome.update.message);
  });

  it('answers unchanged for the same text and uses no seq', async () => {
    const { t, anna, room } = await people();
    const seq = await t.post(anna, room, 'то же самое');
    const before = await t.store.messages.lastSeq();
    const outcome = await t.store.messages.applyChange(req(anna, seq, edit('то же самое')));
    expect(outcome).toEqual({ kind: 'unchanged', message: await t.store.messages.get(seq) });
    expect(await t.store.messages.lastSeq()).toBe(before);
    expect((await t.store.messages.get(seq))!.rev).toBeUndefined();
  });

  it('answers a repeated client id with the message as it is now, and no second update', async () => {
    const { t, anna, boris, room } = await people();
    const seq = await t.post(anna, room, 'раз');
    const first = req(anna, seq, edit('два'));
    const applied = await t.store.messages.applyChange(first);
    expect(applied.kind).toBe('applied');
    // Something else changes the message meanwhile.
    await t.store.messages.applyChange(req(boris, seq, react('👍')));
    const last = await t.store.messages.lastSeq();
    const again = await t.store.messages.applyChange({ ...first, change: edit('три') });
    expect(again).toEqual({ kind: 'duplicate', message: await t.store.messages.get(seq) });
    expect(again.kind === 'duplicate' && again.message.text).toBe('два');
    expect(await t.store.messages.lastSeq()).toBe(last);
    // The same client id from another actor is that actor's own.
    const other = await t.store.messages.applyChange({ ...first, actorId: boris, change: react('🎉') });
    expect(other.kind).toBe('applied');
  });

  it('answers a repeat of every kind of change as duplicate, with no new seq', async () => {
    const { t, anna, boris, room } = await people();
    const seq = await t.post(anna, room, 'всё подряд');
    const changes: MessageChange[] = [edit('правка'), react('👍'), { kind: 'pin', pinned: true }, { kind: 'delete' }];
    for (const change of changes) {
      const request = req(change.kind === 'edit' ? anna : boris, seq, change);
      const first = await t.store.messages.applyChange(request);
      expect(first.kind).toBe('applied');
      const last = await t.store.messages.lastSeq();
      const repeat = await t.store.messages.applyChange(request);
      expect(repeat).toEqual({ kind: 'duplicate', message: await t.store.messages.get(seq) });
      expect(await t.store.messages.lastSeq()).toBe(last);
    }
    // The repeats after the delete answer the placeholder.
    expect((await t.store.messages.get(seq))!.deleted).toBeDefined();
  });

  it('refuses an edit of a deleted message', async () => {
    const { t, anna, room } = await people();
    const seq = await t.post(anna, room, 'будет удалено');
    expect((await t.store.messages.applyChange(req(anna, seq, { kind: 'delete' }))).kind).toBe('applied');
    expect(await t.store.messages.applyChange(req(anna, seq, edit('новое')))).toEqual({
      kind: 'refused',
      reason: 'deleted',
    });
  });
});

describe('applyChange: re-checks at commit', () => {
  it('refuses a member removed after the operations looked (not_member), and an unknown seq (not_found)', async () => {
    const { t, anna, boris, room } = await people();
    const seq = await t.post(anna, room, 'сообщение');
    expect(await t.store.conversations.removeMember(room, boris, { by: 'self' }, now)).toMatchObject({
      kind: 'changed',
    });
    for (const change of [edit('x'), { kind: 'delete' } as const, react('👍'), { kind: 'pin', pinned: true } as const])
      expect(await t.store.messages.applyChange(req(boris, seq, change))).toEqual({
        kind: 'refused',
        reason: 'not_member',
      });
    expect(await t.store.messages.applyChange(req(anna, seq + 1000, react('👍')))).toEqual({
      kind: 'refused',
      reason: 'not_found',
    });
    expect((await t.store.messages.get(seq))!.rev).toBeUndefined();
  });

  it('does not admit a closed room or a direct conversation exists to an outsider (not_found)', async () => {
    const { t, anna, boris, vera } = await people();
    const closed = await t.room('Тайная', anna, [boris], 'closed');
    const direct = await t.direct(anna, boris);
    for (const conversation of [closed, direct]) {
      const seq = await t.post(anna, conversation, 'секрет');
      expect(await t.store.messages.applyChange(req(vera, seq, react('👀')))).toEqual({
        kind: 'refused',
        reason: 'not_found',
      });
    }
  });

  it('lets everyone in the general room act, and its audience is everyone', async () => {
    const { t, anna, vera } = await people();
    const general = await t.general();
    const seq = await t.post(anna, general, 'всем привет');
    const outcome = await t.store.messages.applyChange(req(vera, seq, react('👋')));
    expect(outcome).toMatchObject({ kind: 'applied', audience: 'everyone' });
  });
});

describe('applyChange: reactions', () => {
  it('groups by emoji in order of first use, people oldest first; on twice and off twice are unchanged', async () => {
    const { t, anna, boris, room } = await people();
    const seq = await t.post(anna, room, 'реагируйте');
    const m = t.store.messages;
    expect((await m.applyChange(req(boris, seq, react('👍')))).kind).toBe('applied');
    expect((await m.applyChange(req(anna, seq, react('❤️')))).kind).toBe('applied');
    expect((await m.applyChange(req(anna, seq, react('👍')))).kind).toBe('applied');
    expect((await m.applyChange(req(anna, seq, react('👍')))).kind).toBe('unchanged');
    expect((await m.get(seq))!.reactions).toEqual([
      { emoji: '👍', userIds: [boris, anna] },
      { emoji: '❤️', userIds: [anna] },
    ]);
    const off = await m.applyChange(req(boris, seq, react('👍', false)));
    expect(off.kind === 'applied' && off.update.message.reactions).toEqual([
      { emoji: '👍', userIds: [anna] },
      { emoji: '❤️', userIds: [anna] },
    ]);
    expect((await m.applyChange(req(boris, seq, react('👍', false)))).kind).toBe('unchanged');
    // Everyone takes ❤️ back: the emoji is gone; put again later it comes last.
    await m.applyChange(req(anna, seq, react('❤️', false)));
    await m.applyChange(req(anna, seq, react('🔥')));
    await m.applyChange(req(boris, seq, react('❤️')));
    expect((await m.get(seq))!.reactions!.map((r) => r.emoji)).toEqual(['👍', '🔥', '❤️']);
  });

  it('refuses a new emoji past the limit, but joining an emoji already there is fine', async () => {
    const { t, anna, boris, room } = await people();
    const seq = await t.post(anna, room, 'лимит');
    const m = t.store.messages;
    for (const emoji of ['1️⃣', '2️⃣', '3️⃣'])
      expect((await m.applyChange(req(anna, seq, react(emoji, true, 3)))).kind).toBe('applied');
    const last = await m.lastSeq();
    expect(await m.applyChange(req(boris, seq, react('4️⃣', true, 3)))).toEqual({
      kind: 'refused',
      reason: 'too_many_reactions',
    });
    expect(await m.lastSeq()).toBe(last);
    expect((await m.applyChange(req(boris, seq, react('2️⃣', true, 3)))).kind).toBe('applied');
    // Taking one away makes room again.
    await m.applyChange(req(anna, seq, react('1️⃣', false, 3)));
    expect((await m.applyChange(req(boris, seq, react('4️⃣', true, 3)))).kind).toBe('applied');
  });

  it('refuses a reaction on a deleted message', async () => {
    const { t, anna, boris, room } = await people();
    const seq = await t.post(anna, room, 'удалю');
    await t.store.messages.applyChange(req(boris, seq, react('👍')));
    await t.store.messages.applyChange(req(anna, seq, { kind: 'delete' }));
    expect((await t.store.messages.get(seq))!.reactions).toBeUndefined();
    expect(await t.store.messages.applyChange(req(boris, seq, react('👍')))).toEqual({
      kind: 'refused',
      reason: 'deleted',
    });
  });
});

describe('applyChange: pins', () => {
  it('pins and unpins; pinned() lists newest pin first; the same state again is unchanged', async () => {
    const { t, anna, boris, room } = await people();
    const first = await t.post(anna, room, 'первое');
    const second = await t.post(boris, room, 'второе');
    const m = t.store.messages;
    const pin1 = req(boris, first, { kind: 'pin', pinned: true });
    const applied = await m.applyChange(pin1);
    expect(applied.kind === 'applied' && applied.update.message.pinned).toEqual({ by: boris, at: pin1.ts });
    await m.applyChange(req(anna, second, { kind: 'pin', pinned: true }));
    expect((await m.pinned(room)).map((x) => x.seq)).toEqual([second, first]);
    expect((await m.applyChange(req(anna, first, { kind: 'pin', pinned: true }))).kind).toBe('unchanged');
    expect((await m.applyChange(req(anna, second, { kind: 'pin', pinned: false }))).kind).toBe('applied');
    expect((await m.applyChange(req(anna, second, { kind: 'pin', pinned: false }))).kind).toBe('unchanged');
    expect((await m.pinned(room)).map((x) => x.seq)).toEqual([first]);
    // A delete takes the pin away; a deleted message cannot be pinned again.
    await m.applyChange(req(anna, first, { kind: 'delete' }));
    expect(await m.pinned(room)).toEqual([]);
    expect(await m.applyChange(req(anna, first, { kind: 'pin', pinned: true }))).toEqual({
      kind: 'refused',
      reason: 'deleted',
    });
  });
});

describe('applyChange: delete', () => {
  it('leaves a placeholder: no text, mentions, attachments, files or reactions; a second delete is unchanged', async () => {
    const { t, anna, boris, room } = await people();
    const file = await t.upload(anna, 'отчёт');
    const seq = await t.post(anna, room, 'секрет @boris', {
      mentions: [boris],
      files: [file],
      attachments: [{ text: 'вложение' }],
    });
    await t.store.messages.applyChange(req(boris, seq, react('👍')));
    const request = req(boris, seq, { kind: 'delete' });
    const outcome = await t.store.messages.applyChange(request);
    expect(outcome.kind).toBe('applied');
    if (outcome.kind !== 'applied') return;
    const message = outcome.update.message;
    expect(message).toEqual({
      seq,
      conversationId: room,
      senderId: anna,
      clientId: message.clientId,
      kind: 'text',
      text: '',
      ts: message.ts,
      mentions: [],
      mentionsAll: false,
      deleted: { by: boris, at: request.ts },
      rev: outcome.update.seq,
    });
    expect(outcome.freedBlobs).toEqual(['sha-отчёт']);
    expect(await t.store.files.get(file)).toBeUndefined();
    const again = await t.store.messages.applyChange(req(anna, seq, { kind: 'delete' }));
    expect(again).toEqual({ kind: 'unchanged', message });
  });
});

describe('the one sequence', () => {
  it('gives updates seqs of their own: a message after an update is higher, nothing repeats, lastSeq covers both', async () => {
    const { t, anna, boris, room } = await people();
    const seen: number[] = [];
    const m1 = await t.post(anna, room, 'один');
    seen.push(m1);
    const u1 = await t.store.messages.applyChange(req(boris, m1, react('👍')));
    if (u1.kind !== 'applied') throw new Error('not applied');
    seen.push(u1.update.seq);
    expect(await t.store.messages.lastSeq()).toBe(u1.update.seq);
    const m2 = await t.post(boris, room, 'два');
    seen.push(m2);
    expect(m2).toBeGreaterThan(u1.update.seq);
    const u2 = await t.store.messages.applyChange(req(anna, m2, edit('два!')));
    if (u2.kind !== 'applied') throw new Error('not applied');
    seen.push(u2.update.seq);
    expect(await t.store.messages.lastSeq()).toBe(u2.update.seq);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    // The same after reopening the file.
    await t.store.admin.close();
    const again = await openStore(t.file);
    expect(await again.store.messages.lastSeq()).toBe(u2.update.seq);
    const anna2 = await again.store.accounts.findUserByLogin('anna');
    const m3 = await again.post(anna2!.id, room, 'три');
    expect(m3).toBeGreaterThan(u2.update.seq);
  });

  it.skipIf(onPostgres)('takes an update seq on a database whose counter row is missing', async () => {
    const { t, anna, room } = await people();
    const seq = await t.post(anna, room, 'сообщение');
    // A database restored without sqlite_sequence's row (SQLite recreates it on the next insert).
    t.db.prepare(`DELETE FROM sqlite_sequence WHERE name = 'messages'`).run();
    const outcome = await t.store.messages.applyChange(req(anna, seq, react('👍')));
    expect(outcome.kind === 'applied' && outcome.update.seq).toBeGreaterThan(0);
    const next = await t.post(anna, room, 'следующее');
    expect(next).toBeGreaterThan(outcome.kind === 'applied' ? outcome.update.seq : Infinity);
  });
});
