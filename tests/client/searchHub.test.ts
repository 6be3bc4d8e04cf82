// Message search and windows opened around an older message (issue 14), through the client core
// with the real hub and real sockets: search hits with their highlights, filters and paging;
// showMessage opening a window around a message far back (hasNewer), live messages not appended
// to it while the counts still move, loadNewer back to the live end, jumpToLatest, a page that
// meets the held run joined to it, and sending from a detached window.
import { describe, expect, it } from 'vitest';
import type { ClientState, MessageView } from '../../common/client/ClientState.ts';
import type { Message } from '../../common/protocol/model.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { signedIn, useClientHub } from './clientHarness.ts';

const { hub, track, fast: fastReconnect } = useClientHub();
const fast = { ...fastReconnect, historyPage: 20 };

type Client = Awaited<ReturnType<typeof signedIn>>;

async function rawSocket(login: string, name: string): Promise<TestSocket & { userId: number }> {
  const { password, id } = await hub.addUser(login, name);
  const { token } = await hub.login(login, password);
  return Object.assign(await TestSocket.open(hub.wsUrl, token), { userId: id });
}

let clientIds = 0;
const cid = () => `s${++clientIds}-${'x'.repeat(10)}`;

async function post(socket: TestSocket, conversationId: number, text: string): Promise<Message> {
  return (await socket.request<{ message: Message }>('send', { conversationId, clientId: cid(), text })).message;
}

async function room(socket: TestSocket, name: string, members: number[]): Promise<number> {
  return (await socket.request<{ conversation: { id: number } }>('rooms.create', { name, kind: 'open', members }))
    .conversation.id;
}

const seqsOf = (s: ClientState, conversationId: number) =>
  (s.messages[conversationId]?.items ?? []).filter((m) => m.status === 'sent').map((m) => m.seq);
const shown = (s: ClientState, conversationId: number, seq: number): MessageView | undefined =>
  s.messages[conversationId]?.items.find((m) => m.seq === seq);
const contiguous = (seqs: number[], all: number[]) => {
  const start = all.indexOf(seqs[0]!);
  return start >= 0 && all.slice(start, start + seqs.length).join() === seqs.join();
};

async function openAtNewest(c: Client, conversationId: number, lastSeq: number): Promise<void> {
  await c.until((s) => conversationId in s.conversations, 'the conversation is known');
  await c.client.setVisible(true);
  await c.client.setActiveConversation(conversationId);
  await c.until((s) => !!shown(s, conversationId, lastSeq), 'newest page loaded');
}

/** The words a hit's highlights cover. */
const marked = (hit: { message: Message; highlights: [number, number][] }) =>
  hit.highlights.map(([s, e]) => hit.message.text.slice(s, e));

describe('search through the client core', () => {
  it('finds words in any form and ё/е folded, newest first, with highlights, filters and paging; senders known', async () => {
    const anna = await rawSocket('annasearch', 'Анна Фёдорова');
    const vera = await rawSocket('verasearch', 'Вера Сидорова');
    const boris = track(await signedIn(hub, 'borissearch', { tuning: fast }));
    const conv = await room(anna, 'Бухгалтерия', [boris.id, vera.userId]);
    const other = await room(vera, 'Склад', [boris.id]);
    const hidden = await room(vera, 'Закрытые дела', []);
    const acts = await post(anna, conv, 'Подписали акты за март');
    await post(anna, conv, 'Про погоду');
    const actsOther = await post(vera, other, 'Отгрузка актов завтра');
    await post(vera, hidden, 'Тайные акты');
    const fedorova = await post(vera, conv, 'Счёт прислала Фёдорова, проверьте');
    await boris.until((s) => other in s.conversations && conv in s.conversations, 'rooms known');

    let result = await boris.client.search({ query: 'акт' });
    expect(result.hits.map((h) => h.message.seq)).toEqual([actsOther.seq, acts.seq]);
    expect(result.more).toBe(false);
    expect(marked(result.hits[0]!)).toEqual(['актов']);
    expect(marked(result.hits[1]!)).toEqual(['акты']);
    // The senders' names are there for the results to show.
    expect(boris.state().users[anna.userId]?.name).toBe('Анна Фёдорова');
    expect(boris.state().users[vera.userId]?.name).toBe('Вера Сидорова');

    result = await boris.client.search({ query: 'федорова' });
    expect(result.hits.map((h) => h.message.seq)).toEqual([fedorova.seq]);
    expect(marked(result.hits[0]!)).toEqual(['Фёдорова']);

    result = await boris.client.search({ query: 'акт', conversationId: conv });
    expect(result.hits.map((h) => h.message.seq)).toEqual([acts.seq]);
    result = await boris.client.search({ query: 'акт', fromUserId: vera.userId });
    expect(result.hits.map((h) => h.message.seq)).toEqual([actsOther.seq]);
    result = await boris.client.search({ query: 'акт', since: actsOther.ts + 1 });
    expect(result.hits).toEqual([]);
    result = await boris.client.search({ query: 'акт', hasFiles: true });
    expect(result.hits).toEqual([]);

    const first = await boris.client.search({ query: 'акт', limit: 1 });
    expect(first.hits.map((h) => h.message.seq)).toEqual([actsOther.seq]);
    expect(first.more).toBe(true);
    const second = await boris.client.search({ query: 'акт', limit: 1, beforeSeq: actsOther.seq });
    expect(second.hits.map((h) => h.message.seq)).toEqual([acts.seq]);
    expect(second.more).toBe(false);
    anna.close();
    vera.close();
  });
});

describe('a window opened around an older message', () => {
  /** A room with `count` messages from Анна; Борис has it open at the newest page. */
  async function longRoom(login: string, count: number) {
    const anna = await rawSocket(`${login}a`, 'Анна');
    const boris = track(await signedIn(hub, `${login}b`, { tuning: fast }));
    const conv = await room(anna, `Длинная ${login}`, [boris.id]);
    const all: number[] = [];
    for (let i = 0; i < count; i++) all.push((await post(anna, conv, `сообщение ${i}`)).seq);
    await openAtNewest(boris, conv, all.at(-1)!);
    return { anna, boris, conv, all };
  }

  it('shows a message 250 back around it; live messages are not appended but counted; loadNewer pages back to live', async () => {
    const { anna, boris, conv, all } = await longRoom('around', 300);
    const target = all[50]!;
    expect(shown(boris.state(), conv, target)).toBeUndefined();

    expect(await boris.client.showMessage(conv, target)).toBe(true);
    let s = boris.state();
    const around = seqsOf(s, conv);
    expect(around).toContain(target);
    expect(contiguous(around, all)).toBe(true);
    // About half before and half after; nothing of the newest page left.
    expect(around[0]!).toBeLessThan(target);
    expect(around.at(-1)!).toBeGreaterThan(target);
    expect(around.length).toBeLessThanOrEqual(21);
    expect(around).not.toContain(all.at(-1));
    expect(s.messages[conv]).toMatchObject({ hasNewer: true, hasOlder: true });

    // A live message: the conversation's counts move, the detached window stays as it is.
    const unreadBefore = s.conversations[conv]!.unread;
    const live = await post(anna, conv, 'пока вы читаете старое');
    s = await boris.until((s) => s.conversations[conv]!.lastSeq === live.seq, 'the live message counted');
    expect(s.conversations[conv]!.unread).toBe(unreadBefore + 1);
    expect(seqsOf(s, conv)).toEqual(around);
    expect(s.messages[conv]!.hasNewer).toBe(true);

    // Paging forward: contiguous all the way, and live again at the end (with the live message).
    const everything = [...all, live.seq];
    for (let page = 0; boris.state().messages[conv]!.hasNewer; page++) {
      expect(page).toBeLessThan(30);
      await boris.client.loadNewer(conv);
      const seqs = seqsOf(boris.state(), conv);
      expect(contiguous(seqs, everything)).toBe(true);
    }
    s = boris.state();
    expect(seqsOf(s, conv).at(-1)).toBe(live.seq);
    expect(s.messages[conv]!.loadingNewer).toBeUndefined();
    // The target is still held: the window grew while the user scrolled down (up to its bound).
    expect(seqsOf(s, conv)).toContain(target);

    // Live again: the next message is appended.
    const next = await post(anna, conv, 'и ещё одно');
    await boris.until((s) => seqsOf(s, conv).at(-1) === next.seq, 'appended live');
    anna.close();
  });

  it('jumpToLatest replaces a detached window by the newest page; leaving drops it; a nearby message joins the held run', async () => {
    const { anna, boris, conv, all } = await longRoom('latest', 120);
    expect(await boris.client.showMessage(conv, all[10]!)).toBe(true);
    expect(boris.state().messages[conv]!.hasNewer).toBe(true);
    const live = await post(anna, conv, 'новое во время чтения');
    await boris.until((s) => s.conversations[conv]!.lastSeq === live.seq, 'counted');

    await boris.client.jumpToLatest(conv);
    let s = boris.state();
    expect(s.messages[conv]!.hasNewer).toBeUndefined();
    expect(seqsOf(s, conv).at(-1)).toBe(live.seq);
    expect(seqsOf(s, conv)).not.toContain(all[10]);

    // Just before the held run: the page around it meets the run and is joined to it (still live).
    const newestFirst = seqsOf(s, conv)[0]!;
    const near = all[all.indexOf(newestFirst) - 3]!;
    expect(await boris.client.showMessage(conv, near)).toBe(true);
    s = boris.state();
    expect(s.messages[conv]!.hasNewer).toBeUndefined();
    expect(seqsOf(s, conv)).toContain(near);
    expect(seqsOf(s, conv).at(-1)).toBe(live.seq);
    expect(contiguous(seqsOf(s, conv), [...all, live.seq])).toBe(true);

    // Detached again, then another conversation is opened: the old window is dropped and reopens at the newest.
    expect(await boris.client.showMessage(conv, all[5]!)).toBe(true);
    expect(boris.state().messages[conv]!.hasNewer).toBe(true);
    const general = Object.values(boris.state().conversations).find((c) => c.kind === 'general')!.id;
    await boris.client.setActiveConversation(general);
    expect(boris.state().messages[conv]).toBeUndefined();
    await boris.client.setActiveConversation(conv);
    s = await boris.until((s) => seqsOf(s, conv).at(-1) === live.seq, 'reopened at the newest');
    expect(s.messages[conv]!.hasNewer).toBeUndefined();

    // Not in this conversation, or not a message: false, and the window is left as it was.
    const elsewhere = await post(anna, general, 'в общем чате');
    const before = seqsOf(boris.state(), conv);
    expect(await boris.client.showMessage(conv, elsewhere.seq)).toBe(false);
    expect(await boris.client.showMessage(conv, elsewhere.seq + 1000)).toBe(false);
    expect(seqsOf(boris.state(), conv)).toEqual(before);
    anna.close();
  });

  it('sending from a detached window brings the newest back, with the message in it', async () => {
    const { anna, boris, conv, all } = await longRoom('send', 80);
    expect(await boris.client.showMessage(conv, all[3]!)).toBe(true);
    expect(boris.state().messages[conv]!.hasNewer).toBe(true);
    await boris.client.send(conv, 'отвечаю из старого места');
    const s = await boris.until(
      (s) =>
        !s.messages[conv]!.hasNewer &&
        s.messages[conv]!.items.some((m) => m.status === 'sent' && m.text === 'отвечаю из старого места'),
      'at the newest with the sent message',
    );
    expect(seqsOf(s, conv)).toContain(all.at(-1));
    anna.close();
  });
});
