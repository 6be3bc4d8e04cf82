// Message search in the store alone (issue 14): the index follows every write in the same
// transaction (append, forward, edit, delete), deleted text leaves the index's own pages (SQLite),
// authorization and filters are part of the query, and the index is built for messages a
// version-9 hub stored (SQLite). With BESEDA_TEST_STORE=postgres the same on the PostgreSQL store
// (its index is the message_search table of JS-computed tokens).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../hub/db/migrations.ts';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import type { ChangeRequest, MessageChange } from '../../hub/store/MessageStore.ts';
import type { MessageSearch } from '../../hub/store/SearchStore.ts';
import { indexTerms } from '../../hub/store/search/searchTerms.ts';
import { onPostgres } from './harness.ts';
import { now, openStore, tempDir } from './messageStoreHarness.ts';

let clientIds = 0;
function changeOf(actorId: number, seq: number, change: MessageChange): ChangeRequest {
  clientIds += 1;
  return { actorId, clientId: `chg-${clientIds}-id`, seq, ts: now + 90_000 + clientIds, change };
}

async function seqsFound(
  t: Awaited<ReturnType<typeof openStore>>,
  search: Partial<MessageSearch> & { userId: number; query: string },
) {
  const outcome = await t.store.search.messages({ limit: 50, ...search });
  if (outcome.kind !== 'found') throw new Error(`bad query: ${outcome.reason}`);
  return outcome.hits.map((h) => h.message.seq);
}

/**
 * Rows of the index holding a term: FTS5's own vocabulary of the contentless table on SQLite, the
 * rows whose tokens include it on PostgreSQL.
 */
async function indexRowsWith(t: Awaited<ReturnType<typeof openStore>>, term: string): Promise<number> {
  if (onPostgres) {
    const [row] = await t.rows<{ n: number }>(
      `SELECT count(*)::bigint AS n FROM message_search WHERE ? = ANY (string_to_array(tokens, ' '))`,
      term,
    );
    return row!.n;
  }
  return t.db
    .prepare(`SELECT count(*) FROM message_search WHERE message_search MATCH ?`)
    .pluck()
    .get(`terms : "${term}"`) as number;
}

describe('the search index follows the messages', () => {
  it('indexes a new message in its own transaction, a forwarded copy too, never a system message', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const room = await t.room('Склад', anna);
    const first = await t.post(anna, room, 'Акты сверки за март');
    const copy = await t.post(anna, await t.general(), '', { forward: first });
    expect(await seqsFound(t, { userId: anna, query: 'акт' })).toEqual([copy, first]);
    // A topic change is a system message carrying the topic's words: not in the index.
    const updated = await t.store.conversations.updateRoom(
      room,
      { actorId: anna, expectedOwnerId: anna, topic: 'акты и накладные' },
      now + 5,
    );
    expect(updated.kind).not.toBe('refused');
    expect(await indexRowsWith(t, 'накладн')).toBe(0);
    expect(await indexRowsWith(t, 'акт')).toBe(2);
  });

  it('replaces the terms on edit and removes them on delete', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const room = await t.room('Склад', anna);
    const seq = await t.post(anna, room, 'отгрузка задерживается');
    expect(await seqsFound(t, { userId: anna, query: 'отгрузки' })).toEqual([seq]);
    const edited = await t.store.messages.applyChange(
      changeOf(anna, seq, { kind: 'edit', text: 'поставка задерживается', mentions: [], mentionsAll: false }),
    );
    expect(edited.kind).toBe('applied');
    expect(await seqsFound(t, { userId: anna, query: 'отгрузки' })).toEqual([]);
    expect(await seqsFound(t, { userId: anna, query: 'поставки' })).toEqual([seq]);
    expect(await indexRowsWith(t, 'отгрузк')).toBe(0);
    const deleted = await t.store.messages.applyChange(changeOf(anna, seq, { kind: 'delete' }));
    expect(deleted.kind).toBe('applied');
    expect(await seqsFound(t, { userId: anna, query: 'поставки' })).toEqual([]);
    expect(await indexRowsWith(t, 'поставк')).toBe(0);
    expect(await indexRowsWith(t, 'задержива')).toBe(0);
    // The index is still sound after FTS5's 'delete' commands (they must name exactly what was
    // indexed); PostgreSQL's index deletes its rows by seq and has no such check.
    if (!onPostgres)
      expect(() =>
        t.db.prepare(`INSERT INTO message_search (message_search) VALUES ('integrity-check')`).run(),
      ).not.toThrow();
  });

  // SQLite's files, secure_delete and WAL checkpoints: PostgreSQL keeps a deleted row's bytes in its
  // heap and index pages until VACUUM reuses them, and its files are the server's, not the hub's.
  it.skipIf(onPostgres)(
    'leaves no term of a deleted message in the .db or -wal bytes (FTS shadow tables included)',
    async () => {
      const t = await openStore();
      const anna = await t.user('anna');
      const room = await t.room('Склад', anna);
      // Latin letters stem to themselves here so long as the word ends in no English suffix: the final
      // 'q' sees to that (a random ending in 'e' was stemmed away about one run in sixteen).
      const marker = `zq${randomBytes(10).toString('hex').replace(/[0-9]/g, 'x')}q`;
      expect(indexTerms(marker)).toBe(marker);
      for (let i = 0; i < 30; i++) await t.post(anna, room, `обычное сообщение номер ${i}`);
      const seq = await t.post(anna, room, `тайна ${marker} тайна`);
      for (let i = 0; i < 30; i++) await t.post(anna, room, `ещё сообщение ${i}`);
      const holds = () =>
        [t.file, `${t.file}-wal`].some((f) => fs.existsSync(f) && fs.readFileSync(f).includes(Buffer.from(marker)));
      // The test can fail: the marker is in the files (the message and its index entry) before.
      expect(holds()).toBe(true);
      await t.store.messages.applyChange(changeOf(anna, seq, { kind: 'delete' }));
      await waitForCheckpoint(t.file);
      expect(holds()).toBe(false);
      expect(await seqsFound(t, { userId: anna, query: 'обычное' })).toHaveLength(30);
    },
  );
});

describe('who finds what', () => {
  it('finds only conversations the searcher is in now; the general room for every person', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const bot = await t.user('robot', { isBot: true });
    const closed = await t.room('Бухгалтерия', anna, [boris], 'closed');
    const open = await t.room('Склад', anna);
    const direct = await t.direct(anna, boris);
    const inClosed = await t.post(anna, closed, 'счёт на оплату');
    const inOpen = await t.post(anna, open, 'счёт за доставку');
    const inDirect = await t.post(anna, direct, 'счёт лично');
    const inGeneral = await t.post(anna, await t.general(), 'счёт для всех');
    expect(await seqsFound(t, { userId: anna, query: 'счет' })).toEqual([inGeneral, inDirect, inOpen, inClosed]);
    // Boris is not in the open room he never joined.
    expect(await seqsFound(t, { userId: boris, query: 'счет' })).toEqual([inGeneral, inDirect, inClosed]);
    expect(await seqsFound(t, { userId: bot, query: 'счет' })).toEqual([]);
    // Removed from the closed room: it is gone from his results at once.
    const removed = await t.store.conversations.removeMember(
      closed,
      boris,
      { by: 'owner', actorId: anna, expectedOwnerId: anna },
      now + 1,
    );
    expect(removed.kind).not.toBe('refused');
    expect(await seqsFound(t, { userId: boris, query: 'счет' })).toEqual([inGeneral, inDirect]);
  });

  it('filters by conversation, sender, time and files, and pages newest first with beforeSeq', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const room = await t.room('Склад', anna, [boris]);
    const general = await t.general();
    const seqs: number[] = [];
    for (let i = 0; i < 7; i++) seqs.push(await t.post(i % 2 ? boris : anna, i < 4 ? room : general, `накладная ${i}`));
    const file = await t.upload(anna, 'скан');
    const withFile = await t.post(anna, room, 'накладная со сканом', { files: [file] });
    const found = (more: Partial<MessageSearch>) => seqsFound(t, { userId: anna, query: 'накладные', ...more });
    expect(await found({})).toEqual([withFile, ...[...seqs].reverse()]);
    expect(await found({ conversationId: general })).toEqual([seqs[6], seqs[5], seqs[4]]);
    expect(await found({ fromUserId: boris })).toEqual([seqs[5], seqs[3], seqs[1]]);
    expect(await found({ hasFiles: true })).toEqual([withFile]);
    // The index's filter tokens (c<conversation>, u<sender>) are not words anyone can search for.
    expect(await seqsFound(t, { userId: anna, query: `c${room}` })).toEqual([]);
    expect(await seqsFound(t, { userId: anna, query: `u${anna}` })).toEqual([]);
    // The harness stamps message n at now + n: since is inclusive, until exclusive.
    const ts = async (seq: number) =>
      (await t.rows<{ ts: number }>('SELECT ts FROM messages WHERE seq = ?', seq))[0]!.ts;
    expect(await found({ since: await ts(seqs[2]!), until: await ts(seqs[5]!) })).toEqual([seqs[4], seqs[3], seqs[2]]);
    // Pages of 3: the last hit's seq is the next page's bound; `more` until the end.
    const page1 = await t.store.search.messages({ userId: anna, query: 'накладная', limit: 3 });
    if (page1.kind !== 'found') throw new Error('bad query');
    expect(page1.more).toBe(true);
    const pages = [page1.hits.map((h) => h.message.seq)];
    let before = page1.hits.at(-1)!.message.seq;
    for (;;) {
      const page = await t.store.search.messages({ userId: anna, query: 'накладная', limit: 3, beforeSeq: before });
      if (page.kind !== 'found') throw new Error('bad query');
      pages.push(page.hits.map((h) => h.message.seq));
      if (!page.more) break;
      before = page.hits.at(-1)!.message.seq;
    }
    expect(pages.flat()).toEqual([withFile, ...[...seqs].reverse()]);
  });
});

// SQLite's schema steps: a PostgreSQL database starts at the whole schema (its migrate-store
// rebuilds the index from the messages).
describe.skipIf(onPostgres)('schema step 10', () => {
  it('indexes what a version-9 hub stored (not system or deleted messages)', async () => {
    const file = path.join(tempDir(), 'hub.db');
    const old = openDatabase(file, { now, migrations: migrations.filter((m) => m.version <= 9) });
    const anna = Number(
      old
        .prepare(
          `INSERT INTO users (login, name, search_key, password_hash, created_at) VALUES ('anna', 'Анна', 'anna', 'x', ?)`,
        )
        .run(now).lastInsertRowid,
    );
    const general = old.prepare(`SELECT id FROM conversations WHERE kind = 'general'`).pluck().get() as number;
    old.prepare('INSERT INTO members (conversation_id, user_id, joined_at) VALUES (?, ?, ?)').run(general, anna, now);
    const insert = old.prepare(
      `INSERT INTO messages (conversation_id, sender_id, client_id, kind, text, ts, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const seqs: number[] = [];
    // More than one batch of the step (1000 a batch).
    old.transaction(() => {
      for (let i = 0; i < 2100; i++)
        seqs.push(
          Number(
            insert.run(general, anna, `old-${i}-abcdef`, 'text', `старые акты ${i}`, now + i, null).lastInsertRowid,
          ),
        );
    })();
    insert.run(general, anna, 'old-system-1', 'system', 'акты системные', now, null);
    insert.run(general, anna, 'old-deleted-1', 'text', '', now, now);
    old.close();

    const t = await openStore(file);
    expect(t.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    const outcome = await t.store.search.messages({ userId: anna, query: 'актов', limit: 50 });
    if (outcome.kind !== 'found') throw new Error('bad query');
    expect(outcome.hits.map((h) => h.message.seq)).toEqual(seqs.slice(-50).reverse());
    expect(await indexRowsWith(t, 'акт')).toBe(2100);
  });
});

/** Waits until the store has checkpointed (TRUNCATE) the WAL, about a second after the last delete or edit. */
async function waitForCheckpoint(file: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 0) {
    if (Date.now() > deadline) throw new Error('the WAL was never checkpointed');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the people directory', () => {
  it('matches the position and branch folded (position written by the directory sync)', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    await t.user('boris');
    await t.rows(
      `UPDATE users SET position = 'Главный бухгалтер', branch = 'Озёрский' WHERE id = ? RETURNING id`,
      anna,
    );
    const found = async (query: string) => (await t.store.accounts.searchUsers(query, 10, 0)).map((a) => a.id);
    expect(await found('бухгалтер')).toEqual([anna]);
    expect(await found('ГЛАВНЫЙ')).toEqual([anna]);
    expect(await found('озерский')).toEqual([anna]);
    expect(await found('ANNA')).toEqual([anna]);
    expect(await found('кассир')).toEqual([]);
  });
});
