// Two hub nodes on one PostgreSQL database for the messages area's tests: two stores, each on its
// own pool, people and rooms made through the stores, plain connections for lock holders and
// direct SQL. Registers its own hooks: the cluster starts before the file's tests, pools and
// connections close after each test.
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { AppendRequest } from '../../hub/store/MessageStore.ts';
import type { Store } from '../../hub/store/Store.ts';
import { openPostgresStore } from '../../hub/store/postgres/openPostgresStore.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

export const now = 1_700_000_000_000;
let cluster: TestPostgres;
const opened: Store[] = [];
const clients: pg.Client[] = [];

beforeAll(async () => {
  if (postgresAvailable) cluster = await startPostgres();
}, 120_000);
afterEach(async () => {
  for (const c of clients.splice(0)) await c.end().catch(() => {});
  for (const s of opened.splice(0)) await s.admin.close().catch(() => {});
});
afterAll(async () => {
  await cluster?.close();
});

/** A new empty database of the file's cluster. */
export function newDatabase(): Promise<string> {
  return cluster.createDatabase();
}

/** A hub node: its own pool and store on the database. */
export async function node(url: string): Promise<Store> {
  const store = await openPostgresStore(url, { now, poolSize: 6 });
  opened.push(store);
  return store;
}

/** A plain connection of the test's own (lock holder, control writers), closed after the test. */
export async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  clients.push(c);
  return c;
}

/** Two nodes on a new database, three people, two rooms the reader (vera) is in. */
export async function twoNodes() {
  const url = await newDatabase();
  const a = await node(url);
  const b = await node(url);
  const user = async (login: string) => {
    const created = await a.accounts.createUser({
      login,
      name: login.toUpperCase(),
      passwordHash: 'x',
      isAdmin: false,
      isBot: false,
      branch: null,
      email: null,
      createdAt: now,
      joinGeneral: true,
    });
    if (created.kind !== 'created') throw new Error(created.reason);
    return created.account.id;
  };
  const anna = await user('anna');
  const boris = await user('boris');
  const vera = await user('vera');
  const room = async (name: string, ownerId: number) => {
    const created = await a.conversations.createRoom(
      { kind: 'open', name, nameKey: roomNameKey(name), topic: '', ownerId, invited: [vera] },
      now,
    );
    if (created.kind === 'refused') throw new Error(created.reason);
    return created.conversationId;
  };
  return { url, a, b, anna, boris, vera, roomA: await room('Склад', anna), roomB: await room('Бухгалтерия', boris) };
}

let clientIds = 0;
/** A text message of `senderId` with a fresh client id. */
export function send(senderId: number, conversationId: number, text: string): AppendRequest {
  clientIds += 1;
  return {
    conversationId,
    senderId,
    clientId: `race-${clientIds}-${Math.random().toString(36).slice(2, 8)}`,
    kind: 'text',
    text,
    ts: now + clientIds,
    mentions: [],
    mentionsAll: false,
  };
}
