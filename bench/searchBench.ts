// Message search at scale (issue 14): a hub database with `messages` messages (1,000,000 by
// default) written straight into SQLite in one transaction with the hub's own insert (which
// writes the FTS5 index row beside each message: the same code path as a group commit, minus
// the protocol), then the real hub started on it and queried over the real protocol by a person
// who is in a few of the rooms. Reports p50/p99 round trips per kind of query and the index's
// size in bytes and as a share of the database.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { roomNameKey } from '../common/protocol/roomNameKey.ts';
import { insertMessage } from '../hub/store/sqlite/messages.ts';
import { createUsers } from './createUsers.ts';
import { Histogram } from './Histogram.ts';
import { HubProcess } from './HubProcess.ts';
import { ProtoClient } from './ProtoClient.ts';
import { messageLength, messageText, rng } from './workload.ts';

/** One kind of query and its round trips. */
export interface SearchQueryFigures {
  label: string;
  query: string;
  /** Hits on the first page (of 20). */
  hits: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** What the search step measured. */
export interface SearchFigures {
  messages: number;
  rooms: number;
  /** Rooms the searcher is in (besides the general room), of `rooms`. */
  searcherRooms: number;
  /** Writing the messages and their index rows (one transaction), and the rate. */
  buildS: number;
  buildPerS: number;
  /** The FTS5 tables' pages, the whole database, the index's share of it. */
  indexBytes: number;
  databaseBytes: number;
  indexPercent: number;
  /** Every query together: p50 / p99 / max over all round trips. */
  allMs: { p50: number; p99: number; max: number; samples: number };
  queries: SearchQueryFigures[];
  loadAverage: number;
}

const roomCount = 100;
const searcherRoomCount = 10;
// Rarer words beside the office vocabulary: surnames and order numbers, so some queries find few messages.
const surnames = Array.from(
  { length: 3000 },
  (_, i) => `${['Ив', 'Пет', 'Сид', 'Кар', 'Мор', 'Лаз'][i % 6]}${'аеоиу'[i % 5]}нко${i}`,
);
const log = (line: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Runs the step on its own hub and data folder; `messages` sets the database's size. */
export async function searchBench(bundle: string, messages: number, repeats = 40): Promise<SearchFigures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bench-search-'));
  const hub = new HubProcess(bundle, dataDir, [
    '--log-level',
    'info',
    '--frames-per-second',
    '2000',
    '--frames-burst',
    '4000',
  ]);
  try {
    await hub.start();
    log(`  creating 50 people, then ${messages.toLocaleString('en')} messages straight into the database`);
    const { users } = await createUsers(hub, 50, 's');
    await hub.stop('SIGTERM');
    const searcher = users[0]!;
    const file = path.join(dataDir, 'beseda.db');
    const t0 = performance.now();
    const built = build(
      file,
      users.map((u) => u.userId),
      searcher.userId,
      messages,
    );
    const buildS = (performance.now() - t0) / 1000;
    log(
      `  ${messages.toLocaleString('en')} messages and their index rows written in ${buildS.toFixed(1)} s (one transaction)`,
    );
    const size = sizes(file);

    await hub.start();
    const client = await ProtoClient.open(hub.wsUrl, searcher.token);
    const queries: { label: string; query: string; extra?: Record<string, unknown> }[] = [
      { label: 'a common word (any form)', query: 'отгрузки' },
      { label: 'two common words', query: 'акт сверки' },
      { label: 'a phrase', query: '"акт сверки"' },
      { label: 'a prefix', query: 'достав*' },
      { label: 'a rare surname', query: built.rareSurname },
      { label: 'an order number', query: built.orderNumber },
      { label: 'a common word in one conversation', query: 'склад', extra: { conversationId: built.searcherRoom } },
      { label: 'a common word from one person', query: 'оплата', extra: { fromUserId: users[7]!.userId } },
      { label: 'a word only in rooms the searcher is not in', query: 'конфиденциально' },
      { label: 'no such word', query: 'зеленоград' },
    ];
    const all = new Histogram();
    const figures: SearchQueryFigures[] = [];
    for (const q of queries) {
      const h = new Histogram();
      let hits = 0;
      for (let i = 0; i < repeats; i++) {
        const t = performance.now();
        const found = await client.request<{ hits: unknown[] }>('search', { query: q.query, limit: 20, ...q.extra });
        const ms = performance.now() - t;
        h.record(ms);
        all.record(ms);
        hits = found.hits.length;
      }
      figures.push({
        label: q.label,
        query: q.query,
        hits,
        p50Ms: h.percentile(50),
        p99Ms: h.percentile(99),
        maxMs: h.max,
      });
    }
    await client.close();
    return {
      messages,
      rooms: roomCount,
      searcherRooms: searcherRoomCount,
      buildS,
      buildPerS: messages / buildS,
      ...size,
      allMs: { p50: all.percentile(50), p99: all.percentile(99), max: all.max, samples: all.count },
      queries: figures,
      loadAverage: Math.round(os.loadavg()[0]! * 10) / 10,
    };
  } finally {
    await hub.stop('SIGTERM').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Rooms of 10 people each (the searcher in 10 of them), then the messages: 2 % in the general
 * room, the rest spread over the rooms, office Russian with surnames and order numbers mixed in,
 * and 1 % saying «конфиденциально» in rooms the searcher is not in.
 */
function build(file: string, userIds: number[], searcherId: number, count: number) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const random = rng(14);
  const now = Date.now();
  const general = db.prepare(`SELECT id FROM conversations WHERE kind = 'general'`).pluck().get() as number;
  const rooms: { id: number; members: number[]; searcherIn: boolean }[] = [];
  let orderNumber = '';
  let rareSurname = '';
  db.transaction(() => {
    const room = db.prepare(
      `INSERT INTO conversations (kind, name, name_key, topic, owner_id, created_at, last_ts) VALUES ('closed', ?, ?, '', ?, ?, ?)`,
    );
    const member = db.prepare('INSERT INTO members (conversation_id, user_id, joined_at) VALUES (?, ?, ?)');
    for (let r = 0; r < roomCount; r++) {
      const searcherIn = r < searcherRoomCount;
      const members = new Set<number>(searcherIn ? [searcherId] : []);
      while (members.size < 10) {
        const u = userIds[1 + Math.floor(random() * (userIds.length - 1))]!;
        members.add(u);
      }
      const name = `Отдел поиска ${r + 1}`;
      const id = Number(room.run(name, roomNameKey(name), [...members][0]!, now, now).lastInsertRowid);
      for (const u of members) member.run(id, u, now);
      rooms.push({ id, members: [...members], searcherIn });
    }
    const others = rooms.filter((r) => !r.searcherIn);
    for (let i = 0; i < count; i++) {
      const inGeneral = random() < 0.02;
      const secret = !inGeneral && random() < 0.01;
      const target = secret
        ? others[Math.floor(random() * others.length)]!
        : rooms[Math.floor(random() * rooms.length)]!;
      const conversationId = inGeneral ? general : target.id;
      const senderId = inGeneral
        ? userIds[Math.floor(random() * userIds.length)]!
        : target.members[Math.floor(random() * 10)]!;
      let text = messageText(random, messageLength(random));
      if (random() < 0.3) text += ` заказ ${Math.floor(random() * 500_000)}`;
      if (random() < 0.1) text += ` ${surnames[Math.floor(random() * surnames.length)]}`;
      if (secret) text += ' конфиденциально';
      if (orderNumber === '' && i >= count / 3 && !inGeneral && target.searcherIn) {
        orderNumber = `заказ ${900_000 + i}`;
        text += ` ${orderNumber}`;
      }
      insertMessage(db, {
        conversationId,
        senderId,
        clientId: `sb-${i.toString(36)}-bench`,
        kind: 'text',
        text,
        ts: now - (count - i) * 1000,
        mentions: [],
        mentionsAll: false,
      });
    }
    db.exec(`UPDATE conversations SET last_seq = coalesce((SELECT max(seq) FROM messages m WHERE m.conversation_id = conversations.id), 0),
               last_ts = coalesce((SELECT max(ts) FROM messages m WHERE m.conversation_id = conversations.id), last_ts)`);
    rareSurname = surnames[1234]!;
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { searcherRoom: rooms[0]!.id, orderNumber: orderNumber || 'заказ 1', rareSurname };
}

/** The FTS5 tables' size (dbstat) against the whole file. */
function sizes(file: string): { indexBytes: number; databaseBytes: number; indexPercent: number } {
  const db = new Database(file, { readonly: true });
  try {
    const indexBytes = db
      .prepare(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'message_search%'`)
      .pluck()
      .get() as number;
    const databaseBytes =
      (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    return { indexBytes, databaseBytes, indexPercent: (indexBytes / databaseBytes) * 100 };
  } finally {
    db.close();
  }
}
