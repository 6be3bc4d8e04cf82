// The PostgreSQL search store finds exactly what the SQLite (FTS5) one finds: the same people,
// rooms, messages, edits and deletions written through both stores, then a few hundred random
// queries (words in other forms, prefixes, phrases, hyphenated words, exclusions, marks and
// ligatures) with random filters and page sizes asked of both; the hits, their highlights and
// `more` must be equal.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { MessageChange } from '../../hub/store/MessageStore.ts';
import { openPostgresStore, pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import type { MessageSearch, SearchOutcome } from '../../hub/store/SearchStore.ts';
import { openSqliteStore, sqliteDatabaseOf } from '../../hub/store/sqlite/openSqliteStore.ts';
import type { Store } from '../../hub/store/Store.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

const now = 1_700_000_000_000;

const vocabulary = [
  ...['акт', 'акты', 'актов', 'акта', 'сверка', 'сверки', 'сверку', 'накладная', 'накладные', 'накладных'],
  ...['отгрузка', 'отгрузки', 'поставка', 'поставки', 'склад', 'складе', 'склады', 'счёт', 'счет', 'счета'],
  ...['ёлка', 'елка', 'Ёлки', 'МАРТ', 'марта', 'оплата', 'оплату', 'мяг\u00adкий', 'мягкий', 'договор'],
  ...['report', 'reports', 'reporting', 'shipped', 'shipping', 'ship', 'Invoice', 'invoices', '2024', '15'],
  ...['e\u0301te\u0301', 'ete', 'na\u0332ive', 'naive', 'ﬁle', 'file', 'ΣΊΣΥΦΟΣ', 'σίσυφος', 'Straße', 'strasse'],
  ...['İstanbul', 'istanbul', 'क्षत्रिय', 'ａｂｃ', 'abc', 'x\u0301\u0332y', '①', 'ǅemal', 'džemal', 'cafe\u0301'],
];

/** A small seeded generator, so a failure can be replayed (the seed is in the test's name). */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}

const seed = Number(process.env.SEARCH_PARITY_SEED ?? Date.now() % 1_000_000);
const rnd = random(seed);

let cluster: TestPostgres | undefined;
let dir = '';
const stores: Store[] = [];

beforeAll(async () => {
  if (!postgresAvailable) return;
  cluster = await startPostgres();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beseda-search-parity-'));
  stores.push(openSqliteStore(path.join(dir, 'hub.db'), { now }));
  stores.push(await openPostgresStore(await cluster.createDatabase(), { now }));
});

afterAll(async () => {
  for (const store of stores) await store.admin.close().catch(() => {});
  await cluster?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the same step on both stores and checks they answered alike; returns SQLite's answer. */
async function both<T>(step: (store: Store) => Promise<T>): Promise<T> {
  const [a, b] = [await step(stores[0]!), await step(stores[1]!)];
  expect(b).toEqual(a);
  return a;
}

function sentence(): string {
  const words: string[] = [];
  const n = 1 + rnd.int(12);
  for (let i = 0; i < n; i++) words.push(rnd.pick(vocabulary));
  const joiners = [' ', ' ', ' ', ', ', '-', ' — ', '. '];
  return words.reduce((text, w, i) => (i === 0 ? w : `${text}${rnd.pick(joiners)}${w}`), '');
}

function query(texts: readonly string[]): string {
  const parts: string[] = [];
  const n = 1 + rnd.int(3);
  for (let i = 0; i < n; i++) {
    const word = rnd.pick(vocabulary);
    const kind = rnd.int(7);
    let part: string;
    if (kind === 0) part = `${[...word].slice(0, 2 + rnd.int(4)).join('')}*`;
    else if (kind === 1 || kind === 2) {
      // Two or three neighbouring words of a stored text, quoted or hyphenated.
      const words = rnd
        .pick(texts)
        .split(/[\s,.—-]+/u)
        .filter(Boolean);
      const at = rnd.int(Math.max(1, words.length - 1));
      const phrase = words.slice(at, at + 2 + rnd.int(2));
      part = kind === 1 ? `"${phrase.join(' ')}"` : `${phrase.join('-')}${rnd.int(2) ? '*' : ''}`;
    } else part = word;
    parts.push(i > 0 && rnd.int(3) === 0 ? `-${part}` : part);
  }
  return parts.join(' ');
}

/** What must be equal: which messages (by client id: seqs are each store's own), highlights, `more`. */
function comparable(outcome: SearchOutcome) {
  if (outcome.kind === 'bad_query') return outcome;
  return {
    more: outcome.more,
    hits: outcome.hits.map((h) => [h.message.clientId, h.message.text, h.highlights]),
  };
}

describe.skipIf(!postgresAvailable)(`search parity, SQLite vs PostgreSQL (seed ${seed})`, () => {
  it('finds the same messages for random queries, filters and pages', async () => {
    const user = (login: string, isBot = false) =>
      both(async (s) => {
        const created = await s.accounts.createUser({
          login,
          name: login.toUpperCase(),
          passwordHash: 'x',
          isAdmin: false,
          isBot,
          branch: null,
          email: null,
          createdAt: now,
          joinGeneral: !isBot,
        });
        if (created.kind !== 'created') throw new Error(created.reason);
        return created.account.id;
      });
    const anna = await user('anna');
    const boris = await user('boris');
    const bot = await user('robot', true);
    const room = (name: string, invited: number[], kind: 'open' | 'closed') =>
      both(async (s) => {
        const created = await s.conversations.createRoom(
          { kind, name, nameKey: roomNameKey(name), topic: '', ownerId: anna, invited },
          now,
        );
        if (created.kind === 'refused') throw new Error(created.reason);
        return created.conversationId;
      });
    const conversations = [
      await both((s) => s.conversations.generalRoomId()),
      await room('Склад', [boris], 'open'),
      await room('Бухгалтерия', [], 'closed'),
      await both(async (s) => {
        const opened = await s.conversations.openDirect(anna, boris, now);
        if (opened.kind === 'refused') throw new Error(opened.reason);
        return opened.conversationId;
      }),
    ];
    const fileId = `f${randomBytes(16).toString('base64url').slice(0, 22)}`;
    await both((s) =>
      s.files.insert({
        ...{ id: fileId, sha256: 'sha-1', size: 1, name: 'скан.txt', type: 'text/plain', kind: 'file' },
        ...{ previewSha256: null, previewType: null, uploaderId: anna, createdAt: now },
      }),
    );

    const texts: string[] = [];
    const seqs: number[] = [];
    let change = 0;
    const apply = (seq: number, actorId: number, c: MessageChange) =>
      both(async (s) => {
        change += 1;
        const outcome = await s.messages.applyChange({
          actorId,
          clientId: `chg-${change}-abcd`,
          seq,
          ts: now,
          change: c,
        });
        return outcome.kind;
      });
    for (let n = 0; n < 240; n++) {
      const text = sentence();
      texts.push(text);
      const sender = n % 3 === 0 ? boris : anna;
      const conversationId =
        sender === boris
          ? rnd.pick([conversations[0]!, conversations[1]!, conversations[3]!])
          : rnd.pick(conversations);
      const files = n === 7 ? [fileId] : undefined;
      const seq = await both(async (s) => {
        const [outcome] = await s.messages.appendBatch([
          {
            ...{ conversationId, senderId: sender, clientId: `msg-${n}-abcdef`, kind: 'text', text },
            ...{ ts: now + n * 1000, mentions: [], mentionsAll: false, ...(files ? { files } : {}) },
          },
        ]);
        if (outcome?.kind !== 'stored') throw new Error(`not stored: ${JSON.stringify(outcome)}`);
        return outcome.message.seq;
      });
      seqs.push(seq);
      // Some messages are edited (their terms replaced) or deleted (their terms removed).
      if (n % 11 === 5) {
        const edited = sentence();
        texts.push(edited);
        await apply(seq, sender, { kind: 'edit', text: edited, mentions: [], mentionsAll: false });
      }
      if (n % 13 === 6) await apply(seq, sender, { kind: 'delete' });
    }

    let found = 0;
    for (let i = 0; i < 400; i++) {
      const search: MessageSearch = {
        userId: rnd.pick([anna, anna, boris, bot]),
        query: query(texts),
        limit: 1 + rnd.int(30),
      };
      if (rnd.int(4) === 0) search.conversationId = rnd.pick(conversations);
      if (rnd.int(5) === 0) search.fromUserId = rnd.pick([anna, boris]);
      if (rnd.int(5) === 0) search.since = now + rnd.int(240) * 1000;
      if (rnd.int(5) === 0) search.until = now + rnd.int(240) * 1000;
      if (rnd.int(10) === 0) search.hasFiles = true;
      if (rnd.int(5) === 0) search.beforeSeq = rnd.pick(seqs);
      const [a, b] = [await stores[0]!.search.messages(search), await stores[1]!.search.messages(search)];
      expect(comparable(b), JSON.stringify(search)).toEqual(comparable(a));
      if (a.kind === 'found') found += a.hits.length;
    }
    // The queries do find things (a comparison of empty answers would prove little).
    expect(found).toBeGreaterThan(400);
  });

  it('keeps an index row for the same messages, those of marks only (no token) included', async () => {
    const general = await both((s) => s.conversations.generalRoomId());
    const sender = (await stores[0]!.accounts.findUserByLogin('anna'))!.id;
    for (const [i, text] of ['\u0301', '\u0301\u0332', '\u093e', 'ok \u0301'].entries())
      await both(async (s) => {
        const [outcome] = await s.messages.appendBatch([
          {
            ...{ conversationId: general, senderId: sender, clientId: `marks-${i}-abcdef`, kind: 'text', text },
            ...{ ts: now + 500_000 + i, mentions: [], mentionsAll: false },
          },
        ]);
        return outcome?.kind;
      });
    // SQLite's contentless index lists its rows through their conversation token (as migrate-store does).
    const sqlite = sqliteDatabaseOf(stores[0]!);
    const conversations = sqlite.prepare('SELECT id FROM conversations').pluck().all() as number[];
    const inSqlite = conversations
      .flatMap(
        (id) =>
          sqlite
            .prepare('SELECT rowid FROM message_search WHERE message_search MATCH ?')
            .pluck()
            .all(`meta : "c${id}"`) as number[],
      )
      .map(Number)
      .sort((a, b) => a - b);
    const inPg = (
      await pgDatabaseOf(stores[1]!).all<{ seq: number }>('SELECT seq FROM message_search ORDER BY seq')
    ).map((r) => r.seq);
    expect(inSqlite.length).toBeGreaterThan(200);
    expect(inPg).toEqual(inSqlite);
  });
});
