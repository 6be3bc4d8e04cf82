// A bare SQLite store on a temp folder (or, with BESEDA_TEST_STORE=postgres, a PostgreSQL store on
// a fresh database of this file's test cluster), with people, rooms and uploads made through the
// store itself: the message-store tests exercise the storage layer alone, without the hub's operations.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { FileRef } from '../../common/protocol/model.ts';
import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { AppendOutcome, AppendRequest } from '../../hub/store/MessageStore.ts';
import type { Store } from '../../hub/store/Store.ts';
import { openPostgresStore, pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import type { PgDatabase } from '../../hub/store/postgres/PgDatabase.ts';
import { openSqliteStore, sqliteDatabaseOf } from '../../hub/store/sqlite/openSqliteStore.ts';
import { newPostgresDatabase, onPostgres } from './harness.ts';

export const now = 1_700_000_000_000;

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.admin.close().catch(() => {});
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beseda-msgstore-'));
  dirs.push(dir);
  return dir;
}

/**
 * A store on a new database file, closed after the test. On PostgreSQL `file` is the database's
 * URL (a fresh database when not given), so `openStore(t.file)` reopens the same data either way.
 */
export async function openStore(file?: string) {
  let store: Store;
  let pg: PgDatabase | undefined;
  if (onPostgres) {
    file ??= await newPostgresDatabase();
    store = await openPostgresStore(file, { now });
    pg = pgDatabaseOf(store);
  } else {
    file ??= path.join(tempDir(), 'hub.db');
    store = openSqliteStore(file, { now });
  }
  stores.push(store);
  let n = 0;
  const t = {
    store,
    file,
    /** The SQLite connection: tests that use it are SQLite-only (`it.skipIf(onPostgres)`). */
    get db() {
      if (pg) throw new Error('t.db is the SQLite connection: this test is SQLite-only');
      return sqliteDatabaseOf(store);
    },
    /** Rows of a query on either store (`?` placeholders, written for both dialects). */
    async rows<R = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<R[]> {
      if (!pg)
        return sqliteDatabaseOf(store)
          .prepare<unknown[], R>(sql)
          .all(...params);
      let i = 0;
      return pg.all<R>(
        sql.replace(/\?/g, () => `$${++i}`),
        params,
      );
    },
    /** A person (in the general room) or a bot; returns the id. */
    async user(login: string, extra: { isAdmin?: boolean; isBot?: boolean } = {}) {
      const created = await store.accounts.createUser({
        login,
        name: login.toUpperCase(),
        passwordHash: 'x',
        isAdmin: extra.isAdmin ?? false,
        isBot: extra.isBot ?? false,
        branch: null,
        email: null,
        createdAt: now,
        joinGeneral: !extra.isBot,
      });
      if (created.kind !== 'created') throw new Error(created.reason);
      return created.account.id;
    },
    async room(name: string, ownerId: number, invited: number[] = [], kind: 'open' | 'closed' = 'open') {
      const created = await store.conversations.createRoom(
        { kind, name, nameKey: roomNameKey(name), topic: '', ownerId, invited },
        now,
      );
      if (created.kind === 'refused') throw new Error(created.reason);
      return created.conversationId;
    },
    async direct(a: number, b: number) {
      const opened = await store.conversations.openDirect(a, b, now);
      if (opened.kind === 'refused') throw new Error(opened.reason);
      return opened.conversationId;
    },
    general: () => store.conversations.generalRoomId(),
    /** Records an upload of `bytes` (the blob itself is not written: the store only names it). */
    async upload(uploaderId: number, bytes: string, kind: 'image' | 'file' = 'file', preview?: string) {
      const id = `f${randomBytes(16).toString('base64url').slice(0, 22)}`;
      await store.files.insert({
        id,
        sha256: `sha-${bytes}`,
        size: bytes.length,
        name: `${bytes}.${kind === 'image' ? 'png' : 'txt'}`,
        type: kind === 'image' ? 'image/png' : 'text/plain',
        kind,
        ...(kind === 'image' ? { width: 10, height: 10 } : {}),
        previewSha256: preview === undefined ? null : `sha-${preview}`,
        previewType: preview === undefined ? null : 'image/webp',
        uploaderId,
        createdAt: now,
      });
      return id;
    },
    /** Appends one message and returns its outcome. */
    async append(
      senderId: number,
      conversationId: number,
      text: string,
      more: Partial<AppendRequest> = {},
    ): Promise<AppendOutcome> {
      n += 1;
      const [outcome] = await store.messages.appendBatch([
        {
          conversationId,
          senderId,
          clientId: `msg-${n}-${randomBytes(4).toString('hex')}`,
          kind: 'text',
          text,
          ts: now + n,
          mentions: [],
          mentionsAll: false,
          ...more,
        },
      ]);
      return outcome!;
    },
    /** Appends one message that must be stored; returns its seq. */
    async post(senderId: number, conversationId: number, text: string, more: Partial<AppendRequest> = {}) {
      const outcome = await t.append(senderId, conversationId, text, more);
      if (outcome.kind !== 'stored') throw new Error(`not stored: ${JSON.stringify(outcome)}`);
      return outcome.message.seq;
    },
  };
  return t;
}

/** The ids of some file references. */
export function ids(files: readonly FileRef[] | undefined): string[] {
  return (files ?? []).map((f) => f.id);
}
