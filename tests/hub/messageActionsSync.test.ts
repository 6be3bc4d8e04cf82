// Message actions reach everyone who should hear of them exactly once (docs/protocol.md, "Message
// actions"): live to every device of every member (the actor's own included), in `sync` after
// being offline with the message as it is now, paged by the one sequence, never twice; a repeated
// client id changes nothing; an edit that mentions someone new says so once and counts as unread
// for nobody. Real hub, real sockets, real SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message, MessageUpdate } from '../../common/protocol/model.ts';
import type { TestSocket } from '../helpers/TestSocket.ts';
import { cid } from './connect.ts';
import {
  act,
  arrived,
  closeOffice,
  openOffice,
  type Office,
  say,
  secondDevice,
  seen,
} from './messageActionsHelpers.ts';

let o: Office;
const extraSockets: TestSocket[] = [];
beforeAll(async () => {
  o = await openOffice();
});
afterAll(async () => {
  for (const s of extraSockets) s.close();
  await closeOffice(o);
});

type SyncPage = { messages: Message[]; updates: MessageUpdate[]; more: boolean };

/** Every page of `sync` from `since` with a page limit, and the `since` to continue from. */
async function syncAll(socket: TestSocket, since: number, limit: number): Promise<{ pages: SyncPage[]; next: number }> {
  const pages: SyncPage[] = [];
  let next = since;
  for (let i = 0; i < 500; i++) {
    const page = await socket.request<SyncPage>('sync', { since: next, limit });
    pages.push(page);
    const seqs = [...page.messages.map((m) => m.seq), ...page.updates.map((u) => u.seq)];
    if (seqs.length > 0) next = Math.max(next, ...seqs);
    if (!page.more) break;
  }
  return { pages, next };
}

/** Waits until this socket has a `message.updated` for the message with this seq and rev. */
function updateOf(socket: TestSocket, seq: number, rev?: number) {
  return socket.next(
    'message.updated',
    (f) => f.update.message.seq === seq && (rev === undefined || f.update.seq === rev),
  );
}

async function unreadOf(
  socket: TestSocket,
  conversationId: number,
): Promise<Pick<Conversation, 'unread' | 'mentions' | 'lastSeq'>> {
  const { conversations } = await socket.request<{ conversations: Conversation[] }>('conversations.list');
  const c = conversations.find((x) => x.id === conversationId)!;
  return { unread: c.unread, mentions: c.mentions, lastSeq: c.lastSeq };
}

describe('catch-up after being offline', () => {
  it('gives each kind of change once, with the message as it is now, and pages by the one sequence', async () => {
    const m1 = await say(o.author, o.closed, 'поправлю');
    const m2 = await say(o.author, o.closed, 'удалю');
    const m3 = await say(o.author, o.closed, 'реакции и закреп');
    const m4 = await say(o.author, o.closed, 'только реакция');
    await arrived(o.member.socket, 'message', (f) => f.message.seq === m4.seq);
    const since = m4.seq;
    o.member.socket.close();

    await act(o.author, 'message.edit', { seq: m1.seq, text: 'поправил' });
    await act(o.owner, 'message.react', { seq: m2.seq, emoji: '👀', on: true });
    await act(o.author, 'message.delete', { seq: m2.seq });
    await act(o.owner, 'message.react', { seq: m3.seq, emoji: '👍', on: true });
    await act(o.owner, 'message.pin', { seq: m3.seq, pinned: true });
    const m5 = await say(o.owner, o.closed, 'новое после правок');
    await act(o.admin, 'message.react', { seq: m4.seq, emoji: '✅', on: true });
    await act(o.author, 'message.edit', { seq: m1.seq, text: 'поправил ещё раз' });

    const back = await secondDevice(o.hub, o.member);
    extraSockets.push(back);
    o.member.socket = back;
    expect(back.hello.lastSeq).toBeGreaterThan(m5.seq);

    const whole = await back.request<SyncPage>('sync', { since });
    expect(whole.more).toBe(false);
    expect(whole.messages.map((m) => m.seq)).toEqual([m5.seq]);
    const updates = whole.updates;
    const seqs = updates.map((u) => u.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs.every((s) => s > since && !([m5.seq] as number[]).includes(s))).toBe(true);
    expect(new Set(updates.map((u) => u.message.seq))).toEqual(new Set([m1.seq, m2.seq, m3.seq, m4.seq]));
    // Whatever the update, it carries the message as it is now: the newest state, never old text.
    for (const u of updates) {
      expect(u.message).toEqual(await seen(o.owner, u.message));
      expect(u.conversationId).toBe(o.closed);
    }
    const last = (seq: number) => updates.filter((u) => u.message.seq === seq).at(-1)!;
    expect(last(m1.seq)).toMatchObject({ kind: 'edit', actorId: o.author.id, message: { text: 'поправил ещё раз' } });
    expect(last(m2.seq)).toMatchObject({ kind: 'delete', message: { text: '', deleted: { by: o.author.id } } });
    expect(last(m2.seq).message.reactions ?? []).toEqual([]);
    expect(last(m3.seq)).toMatchObject({ kind: 'pin', message: { pinned: { by: o.owner.id } } });
    expect(last(m3.seq).message.reactions).toEqual([{ emoji: '👍', userIds: [o.owner.id] }]);
    expect(last(m4.seq)).toMatchObject({ kind: 'react', actorId: o.admin.id });
    for (const u of updates) expect(u.message.rev).toBe(last(u.message.seq).seq);

    // The same by pages of one and of two items: every item once, in seq order, nothing after the end.
    const all = [...whole.messages.map((m) => m.seq), ...seqs].sort((a, b) => a - b);
    for (const limit of [1, 2]) {
      const { pages, next } = await syncAll(back, since, limit);
      const paged = pages.flatMap((p) =>
        [...p.messages.map((m) => m.seq), ...p.updates.map((u) => u.seq)].sort((a, b) => a - b),
      );
      expect(pages.every((p) => p.messages.length + p.updates.length <= limit)).toBe(true);
      expect(paged).toEqual([...paged].sort((a, b) => a - b));
      expect(new Set(paged).size).toBe(paged.length);
      // Collapsing several updates of one message into its newest is allowed; losing a message is not.
      expect(new Set(pages.flatMap((p) => p.updates.map((u) => u.message.seq)))).toEqual(
        new Set([m1.seq, m2.seq, m3.seq, m4.seq]),
      );
      expect(paged).toContain(m5.seq);
      expect(paged.at(-1)).toBe(all.at(-1));
      expect(next).toBe(all.at(-1));
      expect(await back.request<SyncPage>('sync', { since: next })).toEqual({ messages: [], updates: [], more: false });
    }
  });

  it('never moves read markers or the conversation newest message, and counts nothing as unread', async () => {
    const m = await say(o.author, o.open, 'прочитано?');
    await o.member.socket.request('read', { conversationId: o.open, seq: m.seq });
    const before = await unreadOf(o.member.socket, o.open);
    await act(o.owner, 'message.react', { seq: m.seq, emoji: '🙏', on: true });
    await act(o.owner, 'message.pin', { seq: m.seq, pinned: true });
    await act(o.author, 'message.edit', { seq: m.seq, text: 'прочитано? @boris' });
    expect(await unreadOf(o.member.socket, o.open)).toEqual({ unread: 0, mentions: 0, lastSeq: m.seq });
    expect(before).toEqual({ unread: 0, mentions: 0, lastSeq: m.seq });
  });
});

describe('live delivery', () => {
  it('sends message.updated to every device of every member, the acting one included, and to nobody else', async () => {
    const authorPhone = await secondDevice(o.hub, o.author);
    const memberPhone = await secondDevice(o.hub, o.member);
    extraSockets.push(authorPhone, memberPhone);
    const m = await say(o.author, o.closed, 'всем устройствам');
    const devices = [o.author.socket, authorPhone, o.member.socket, memberPhone, o.owner.socket, o.admin.socket];
    const heard = devices.map((s) => s.next('message.updated', (f) => f.update.message.seq === m.seq));
    const edited = await act(o.author, 'message.edit', { seq: m.seq, text: 'всем устройствам!' });
    for (const frame of await Promise.all(heard)) {
      expect(frame.update).toMatchObject({
        seq: edited.rev,
        kind: 'edit',
        actorId: o.author.id,
        conversationId: o.closed,
      });
      expect(frame.update.message).toEqual(edited);
    }
    // The outsider hears the next general message but never heard of the edit.
    const marker = await say(o.author, o.general, 'метка');
    await arrived(o.outsider.socket, 'message', (f) => f.message.seq === marker.seq);
    expect(o.outsider.socket.all('message.updated').filter((f) => f.update.conversationId === o.closed)).toEqual([]);

    // In the general room everyone hears it.
    const reacted = updateOf(o.outsider.socket, marker.seq);
    await act(o.member, 'message.react', { seq: marker.seq, emoji: '👍', on: true });
    expect((await reacted).update).toMatchObject({ kind: 'react', message: { reactions: [{ emoji: '👍' }] } });
  });
});

describe('idempotent retries', () => {
  it('answers a repeated client id with the message as it is, one update and one seq', async () => {
    const m = await say(o.author, o.closed, 'повтор');
    const since = m.seq;
    const clientId = cid('retry');
    const [a, b] = await Promise.all([
      o.author.socket.request<{ message: Message }>('message.edit', { clientId, seq: m.seq, text: 'повтор 1' }),
      o.author.socket.request<{ message: Message }>('message.edit', { clientId, seq: m.seq, text: 'повтор 1' }),
    ]);
    expect(a.message).toEqual(b.message);
    const again = await o.author.socket.request<{ message: Message }>('message.edit', {
      clientId,
      seq: m.seq,
      text: 'повтор 1',
    });
    expect(again.message).toEqual(a.message);
    const reactId = cid('retry');
    const r1 = await act(o.member, 'message.react', { clientId: reactId, seq: m.seq, emoji: '👍', on: true });
    const r2 = await act(o.member, 'message.react', { clientId: reactId, seq: m.seq, emoji: '👍', on: true });
    expect(r2).toEqual(r1);
    // A later marker update arrives after anything the retries could have published.
    const marker = await say(o.author, o.closed, 'метка повтора');
    const markerUpdate = updateOf(o.owner.socket, marker.seq);
    await act(o.owner, 'message.pin', { seq: marker.seq, pinned: true });
    await markerUpdate;
    const heard = o.owner.socket.all('message.updated').filter((f) => f.update.message.seq === m.seq);
    expect(heard.map((f) => f.update.kind)).toEqual(['edit', 'react']);
    // Nothing else happens on this hub meanwhile: a retry that took a seq would leave a gap.
    expect(r1.rev).toBe(a.message.rev! + 1);
    expect(marker.seq).toBe(r1.rev! + 1);
    const { updates } = await o.owner.socket.request<SyncPage>('sync', { since });
    const ofM = updates.filter((u) => u.message.seq === m.seq).map((u) => u.seq);
    expect(ofM).toContain(r1.rev);
    expect([a.message.rev, r1.rev]).toEqual(expect.arrayContaining(ofM));
    expect(new Set(updates.map((u) => u.seq)).size).toBe(updates.length);
  });

  it('answers a repeated pin or delete with the message as it is now, taking no seq', async () => {
    const m = await say(o.author, o.closed, 'закрепить и удалить');
    const pinId = cid('pin');
    const pinned = await act(o.owner, 'message.pin', { clientId: pinId, seq: m.seq, pinned: true });
    expect(await act(o.owner, 'message.pin', { clientId: pinId, seq: m.seq, pinned: true })).toEqual(pinned);
    const deleteId = cid('del');
    const deleted = await act(o.author, 'message.delete', { clientId: deleteId, seq: m.seq });
    expect(deleted.rev).toBe(pinned.rev! + 1);
    expect(await act(o.author, 'message.delete', { clientId: deleteId, seq: m.seq })).toEqual(deleted);
    // The pin's retry now answers the message as it is: deleted and unpinned.
    const late = await act(o.owner, 'message.pin', { clientId: pinId, seq: m.seq, pinned: true });
    expect(late).toEqual(deleted);
    const next = await say(o.author, o.closed, 'после повторов');
    expect(next.seq).toBe(deleted.rev! + 1);
  });
});

describe('mentions added by an edit', () => {
  it('names the members mentioned for the first time, never the author or outsiders, and changes no counter', async () => {
    const m = await say(o.author, o.closed, 'посмотрите счёт');
    await o.member.socket.request('read', { conversationId: o.closed, seq: m.seq });
    const before = await unreadOf(o.member.socket, o.closed);
    const first = updateOf(o.member.socket, m.seq);
    await act(o.author, 'message.edit', { seq: m.seq, text: '@boris @nina @avtor посмотрите счёт' });
    expect((await first).update.newMentions).toEqual([o.member.id]);
    expect(await unreadOf(o.member.socket, o.closed)).toEqual(before);

    const second = updateOf(o.owner.socket, m.seq);
    const edited = await act(o.author, 'message.edit', { seq: m.seq, text: '@boris @olga посмотрите счёт' });
    const frame = await second;
    expect(frame.update.seq).toBe(edited.rev);
    expect(frame.update.newMentions).toEqual([o.owner.id]);
    expect(edited.mentions).toEqual([o.member.id, o.owner.id]);

    const third = updateOf(o.owner.socket, m.seq);
    await act(o.author, 'message.edit', { seq: m.seq, text: '@boris @olga посмотрите, пожалуйста' });
    expect((await third).update.newMentions ?? []).toEqual([]);
  });
});
