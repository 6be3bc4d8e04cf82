// What a search hit opens (issue 14): history `around` a message deep in a conversation (half
// older, the message, the rest newer, with `more` and `newer`), then `after` to page forward to
// the newest; and the people and room directories matched folded (ё/е, case), people by branch
// too and rooms by topic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message, RoomSummary, User } from '../../common/protocol/model.ts';
import { cid } from './connect.ts';
import { closeOffice, openOffice, refused, signIn } from './messageActionsHelpers.ts';
import type { Office } from './messageActionsHelpers.ts';

let office: Office;
let room: number;
let sent: number[];
beforeAll(async () => {
  office = await openOffice();
  room = (
    await office.owner.socket.request<{ conversation: Conversation }>('rooms.create', {
      name: 'Архив',
      kind: 'closed',
      members: [office.member.id],
    })
  ).conversation.id;
  sent = [];
  for (let i = 0; i < 60; i++) {
    const { message } = await office.owner.socket.request<{ message: Message }>('send', {
      conversationId: room,
      clientId: cid('h'),
      text: `сообщение ${i}`,
    });
    sent.push(message.seq);
  }
}, 120_000);
afterAll(async () => {
  await closeOffice(office);
});

type Page = { messages: Message[]; more: boolean; newer: boolean };
const history = (params: Record<string, unknown>) =>
  office.member.socket.request<Page>('history', { conversationId: room, ...params });
const seqsOf = (page: Page) => page.messages.map((m) => m.seq);

describe('history around and after', () => {
  it('opens a page around a message: half older, the message, the rest newer, oldest first', async () => {
    const page = await history({ around: sent[30], limit: 10 });
    // 4 older, the message, 5 newer.
    expect(seqsOf(page)).toEqual(sent.slice(26, 36));
    expect(page.more).toBe(true);
    expect(page.newer).toBe(true);
  });

  it('says when the page reaches either end', async () => {
    const nearStart = await history({ around: sent[1], limit: 10 });
    expect(seqsOf(nearStart)[0]).toBeLessThan(sent[1]!);
    expect(seqsOf(nearStart)).toContain(sent[1]);
    expect(nearStart.newer).toBe(true);
    const nearEnd = await history({ around: sent[58], limit: 10 });
    expect(seqsOf(nearEnd).slice(-2)).toEqual([sent[58], sent[59]]);
    expect(nearEnd.newer).toBe(false);
    expect(nearEnd.more).toBe(true);
  });

  it('pages forward with after until the newest', async () => {
    let page = await history({ around: sent[20], limit: 6 });
    const seen = seqsOf(page);
    while (page.newer) {
      page = await history({ after: seen.at(-1), limit: 7 });
      expect(page.more).toBe(true);
      seen.push(...seqsOf(page));
    }
    expect(seen).toEqual(sent.slice(20 - 2, 60));
    const last = await history({ after: sent[59], limit: 5 });
    expect(last.messages).toEqual([]);
    expect(last.newer).toBe(false);
  });

  it('keeps before as it was (newer false) and refuses two cursors', async () => {
    const page = await history({ before: sent[10], limit: 5 });
    expect(seqsOf(page)).toEqual(sent.slice(5, 10));
    expect(page.newer).toBe(false);
    await refused(history({ before: sent[10], after: sent[2] }), 'bad_request');
    await refused(office.outsider.socket.request('history', { conversationId: room, around: sent[10] }), 'not_found');
  });
});

describe('people and rooms, folded', () => {
  it('finds people by a name typed with е for ё, by login, and by branch', async () => {
    const { hub } = office;
    const fyodorova = await hub.addUser('fedorova', 'Анна Фёдорова', { branch: 'Самарский Филиал' });
    const find = async (query: string) =>
      (await office.member.socket.request<{ users: User[] }>('users.search', { query })).users.map((u) => u.id);
    expect(await find('федорова')).toContain(fyodorova.id);
    expect(await find('ФЁДОР')).toContain(fyodorova.id);
    expect(await find('FEDOROVA')).toContain(fyodorova.id);
    expect(await find('самарский филиал')).toContain(fyodorova.id);
    expect(await find('петрова')).not.toContain(fyodorova.id);
  });

  it('finds rooms by their topic as well as their name', async () => {
    const owner = await signIn(office.hub, 'topics', 'Тематик');
    const { conversation } = await owner.socket.request<{ conversation: Conversation }>('rooms.create', {
      name: 'Логистика',
      kind: 'open',
    });
    await owner.socket.request('rooms.update', { conversationId: conversation.id, topic: 'Отгрузки и ЗАЧЁТЫ' });
    const browse = async (query: string) =>
      (await office.outsider.socket.request<{ rooms: RoomSummary[] }>('rooms.browse', { query })).rooms.map(
        (r) => r.id,
      );
    expect(await browse('зачеты')).toContain(conversation.id);
    expect(await browse('отгрузки')).toContain(conversation.id);
    expect(await browse('логист')).toContain(conversation.id);
    expect(await browse('бухгалтерия')).not.toContain(conversation.id);
    owner.socket.close();
  });
});
