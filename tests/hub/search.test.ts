// Message search over the real hub and protocol (issue 14): morphology and folding, who finds
// what (removal included), edits and deletions followed, filters, paging, highlights, and
// hostile queries that must come back as results or a clear bad_request, never an internal error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, SearchHit } from '../../common/protocol/model.ts';
import { cid } from './connect.ts';
import type { Person } from './connect.ts';
import { act, closeOffice, openOffice, refused, say, signIn } from './messageActionsHelpers.ts';
import type { Office } from './messageActionsHelpers.ts';

let office: Office;
beforeAll(async () => {
  office = await openOffice();
}, 60_000);
afterAll(async () => {
  await closeOffice(office);
});

type Found = { hits: SearchHit[]; more: boolean };
const search = (who: Person, params: Record<string, unknown>) => who.socket.request<Found>('search', params);
const seqs = (found: Found) => found.hits.map((h) => h.message.seq);
/** The highlighted words of a hit, as the client would cut them out of the text. */
const marked = (hit: SearchHit) => hit.highlights.map(([start, end]) => hit.message.text.slice(start, end));

describe('search: words in any form', () => {
  it('finds «акты» and «актов» by «акт», «отгрузки» by «отгрузка», and highlights the words as written', async () => {
    const { author, member, closed } = office;
    const acts = await say(author, closed, 'Пришлите Акты сверки, пожалуйста');
    const ofActs = await say(author, closed, 'Нет актов за март');
    const shipping = await say(author, closed, 'Когда будут отгрузки?');
    const found = await search(member, { query: 'акт' });
    expect(seqs(found)).toEqual([ofActs.seq, acts.seq]);
    expect(found.hits.map(marked)).toEqual([['актов'], ['Акты']]);
    expect(seqs(await search(member, { query: 'отгрузка' }))).toEqual([shipping.seq]);
    expect(seqs(await search(member, { query: 'ОТГРУЗКИ' }))).toEqual([shipping.seq]);
  });

  it('folds ё and е both ways, and case', async () => {
    const { author, member, open } = office;
    const m = await say(author, open, 'Счёт для Фёдоровой выставлен');
    for (const query of ['федоровой', 'ФЁДОРОВОЙ', 'счет', 'СЧЁТ'])
      expect(seqs(await search(member, { query, conversationId: open }))).toEqual([m.seq]);
    const hit = (await search(member, { query: 'счет федоровой', conversationId: open })).hits[0]!;
    expect(marked(hit)).toEqual(['Счёт', 'Фёдоровой']);
  });

  it('gives highlights as UTF-16 offsets of the original text (emoji and combining marks before the word)', async () => {
    const { author, member, direct } = office;
    const text = '🙂👍🏽 Тест: е\u0308ще одна «накладная» 😀 накладные';
    const m = await say(author, direct, text);
    const hit = (await search(member, { query: 'накладная', conversationId: direct })).hits[0]!;
    expect(hit.message.seq).toBe(m.seq);
    expect(marked(hit)).toEqual(['накладная', 'накладные']);
    expect(hit.highlights[0]![0]).toBe(text.indexOf('накладная'));
  });

  it('matches a quoted phrase in order and a prefix with *', async () => {
    const { author, member, closed } = office;
    const inOrder = await say(author, closed, 'договор поставки подписан');
    const reversed = await say(author, closed, 'поставки по договору нет');
    expect(seqs(await search(member, { query: '"договор поставки"', conversationId: closed }))).toEqual([inOrder.seq]);
    expect(seqs(await search(member, { query: 'договор поставки', conversationId: closed }))).toEqual([
      reversed.seq,
      inOrder.seq,
    ]);
    const hit = (await search(member, { query: 'подпис*', conversationId: closed })).hits;
    expect(hit.map((h) => h.message.seq)).toEqual([inOrder.seq]);
    expect(marked(hit[0]!)).toEqual(['подписан']);
    expect(seqs(await search(member, { query: 'договор -подписан', conversationId: closed }))).toEqual([reversed.seq]);
  });
});

describe('search: who finds what', () => {
  it('finds only conversations the searcher is in now; a removed member stops finding the room', async () => {
    const hub = office.hub;
    const owner = office.owner;
    const keeper = await signIn(hub, 'keeper', 'Кладовщик');
    const room = (
      await owner.socket.request<{ conversation: Conversation }>('rooms.create', {
        name: 'Тайная комната',
        kind: 'closed',
        members: [keeper.id],
      })
    ).conversation.id;
    const secret = await say(owner, room, 'пароль от сейфа 4711');
    const everyone = await say(owner, office.general, 'сейф открыт для всех');
    expect(seqs(await search(keeper, { query: 'сейф' }))).toEqual([everyone.seq, secret.seq]);
    // The outsider never was in the room: the general room only.
    expect(seqs(await search(office.outsider, { query: 'сейф' }))).toEqual([everyone.seq]);
    await owner.socket.request('rooms.remove', { conversationId: room, userId: keeper.id });
    expect(seqs(await search(keeper, { query: 'сейф' }))).toEqual([everyone.seq]);
    // Naming the room in the filter is refused like history is, not an empty page.
    await refused(search(keeper, { query: 'сейф', conversationId: room }), 'not_found');
    keeper.socket.close();
  });

  it('follows edits and deletions', async () => {
    const { author, member, closed } = office;
    const m = await say(author, closed, 'инвентаризация в пятницу');
    expect(seqs(await search(member, { query: 'инвентаризации' }))).toEqual([m.seq]);
    const edited = await act(author, 'message.edit', { seq: m.seq, text: 'ревизия в пятницу' });
    expect(edited.editedAt).toBeDefined();
    expect(seqs(await search(member, { query: 'инвентаризации' }))).toEqual([]);
    const found = await search(member, { query: 'ревизия' });
    expect(seqs(found)).toEqual([m.seq]);
    // The hit carries the message as it is now.
    expect(found.hits[0]!.message.text).toBe('ревизия в пятницу');
    await act(author, 'message.delete', { seq: m.seq });
    expect(seqs(await search(member, { query: 'ревизия' }))).toEqual([]);
    expect(seqs(await search(member, { query: 'пятница' }))).toEqual([]);
  });

  it('finds a forwarded copy in the conversation it was forwarded to', async () => {
    const { author, member, closed, direct } = office;
    const original = await say(author, closed, 'реквизиты поставщика');
    const { message: copy } = await author.socket.request<{ message: { seq: number } }>('send', {
      conversationId: direct,
      clientId: cid('fwd'),
      text: '',
      forward: original.seq,
    });
    expect(seqs(await search(member, { query: 'реквизиты' }))).toEqual([copy.seq, original.seq]);
  });
});

describe('search: filters and paging', () => {
  it('narrows by conversation, sender, time and files, newest first, and pages with beforeSeq', async () => {
    const { author, member, open, hub } = office;
    const sent: number[] = [];
    for (let i = 0; i < 7; i++) sent.push((await say(i % 2 ? member : author, open, `квитанция номер ${i}`)).seq);
    const upload = await fetch(`${hub.url}/api/v1/files?name=${encodeURIComponent('скан.txt')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${author.token}`, 'content-type': 'text/plain' },
      body: 'скан квитанции',
    });
    expect(upload.status).toBe(201);
    const fileId = ((await upload.json()) as { file: { id: string } }).file.id;
    const withFile = await say(author, open, 'квитанция со сканом', { files: [fileId] });
    const all = [withFile.seq, ...[...sent].reverse()];
    expect(seqs(await search(member, { query: 'квитанции', conversationId: open }))).toEqual(all);
    expect(seqs(await search(member, { query: 'квитанции', fromUserId: member.id }))).toEqual([
      sent[5],
      sent[3],
      sent[1],
    ]);
    expect(seqs(await search(member, { query: 'квитанции', hasFiles: true }))).toEqual([withFile.seq]);
    const ts = (await search(member, { query: 'квитанции', conversationId: open })).hits.map((h) => h.message.ts);
    const newestTs = ts[0]!;
    expect(seqs(await search(member, { query: 'квитанции', since: newestTs }))).toContain(withFile.seq);
    expect(seqs(await search(member, { query: 'квитанции', until: ts.at(-1)! }))).toEqual([]);
    await refused(search(member, { query: 'квитанции', since: 10, until: 5 }), 'bad_request');

    const pages: number[][] = [];
    let beforeSeq: number | undefined;
    for (;;) {
      const page = await search(member, { query: 'квитанция', limit: 3, ...(beforeSeq ? { beforeSeq } : {}) });
      pages.push(seqs(page));
      if (!page.more) break;
      beforeSeq = page.hits.at(-1)!.message.seq;
    }
    expect(pages.flat()).toEqual(all);
    expect(pages[0]).toHaveLength(3);
  });
});

describe('search: hostile queries', () => {
  it('answers every query with results or a clear bad_request, never an internal error', async () => {
    const { author, member, closed } = office;
    const m = await say(author, closed, 'near and or not ключ');
    const queries = [
      '"',
      '""',
      '*',
      '**',
      'NEAR(',
      'NEAR(ключ',
      '-',
      '--',
      'AND OR',
      'ключ AND',
      '"ключ',
      'ключ"',
      '(ключ',
      'ключ)',
      '^ключ',
      'ключ:',
      'terms:ключ',
      '{ключ}',
      "'",
      '\\',
      '-ключ',
      '-"ключ"',
      'к*',
      '😀',
      '\u0000',
      'a'.repeat(200),
      Array.from({ length: 20 }, (_, i) => `слово${i}`).join(' '),
    ];
    for (const query of queries) {
      try {
        const found = await search(member, { query });
        expect(Array.isArray(found.hits), query).toBe(true);
      } catch (err) {
        expect((err as { code: string }).code, `${JSON.stringify(query)}: ${(err as Error).message}`).toBe(
          'bad_request',
        );
        expect((err as Error).message.length).toBeGreaterThan(0);
      }
    }
    // FTS operators typed as words are just words.
    expect(seqs(await search(member, { query: 'NEAR( AND OR', conversationId: closed }))).toEqual([m.seq]);
    expect(seqs(await search(member, { query: '"ключ', conversationId: closed }))).toEqual([m.seq]);
    await refused(search(member, { query: '"' }), 'bad_request', /no words/);
    await refused(search(member, { query: '-ключ' }), 'bad_request', /at least one word/);
  });
});
