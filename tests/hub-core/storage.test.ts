import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DatabaseVersionError } from '../../hub/db/DatabaseVersionError.ts';
import { migrations } from '../../hub/db/migrations.ts';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import { createHub } from '../../hub/ops/createHub.ts';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import { pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import { mentionsSql, unreadSql } from '../../hub/store/sqlite/reads.ts';
import { dbOf, onPostgres, openTestHub, recordingLog, RecordingSink, tempDir } from './harness.ts';

describe('database', () => {
  it('migrates a fresh file: WAL, synchronous=FULL, foreign keys, the general room', () => {
    const file = path.join(tempDir(), 'fresh.db');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    const general = db.prepare(`SELECT kind, name FROM conversations`).all();
    expect(general).toEqual([{ kind: 'general', name: expect.any(String) }]);
    db.close();
    // Opening again applies nothing twice.
    const again = openDatabase(file);
    expect(again.prepare('SELECT count(*) FROM conversations').pluck().get()).toBe(1);
    again.close();
  });

  it('refuses a database written by a newer hub, with a clear error', async () => {
    const file = path.join(tempDir(), 'newer.db');
    openDatabase(file).close();
    const raw = new Sqlite(file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseVersionError);
    expect(() => openDatabase(file)).toThrow(/schema version 99.*newer Beseda hub/);
    await expect(
      createHub({ dbFile: file, events: new RecordingSink(), log: recordingLog(), scryptN: 2 ** 10 }),
    ).rejects.toBeInstanceOf(DatabaseVersionError);
  });

  it('indexes messages by (conversation, seq) so unread counts read only the unread range (SQLite: the index alone)', async () => {
    const { hub } = await openTestHub();
    if (onPostgres) {
      // The planner prefers a scan of a near-empty table; with scans off it shows which index serves.
      const plan = await pgDatabaseOf((hub as SqliteHub).store).tx(async (q) => {
        await q.run('SET LOCAL enable_seqscan = off');
        return q.all<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT count(*) FROM messages WHERE conversation_id = 1 AND seq > 5 AND sender_id <> 1 AND kind <> 'system'`,
        );
      });
      const text = plan.map((p) => p['QUERY PLAN']).join('\n');
      expect(text).toMatch(/messages_conversation_seq/);
      expect(text).toMatch(/Index Cond: \(\(conversation_id = 1\) AND \(seq > 5\)\)/);
      return;
    }
    const db = dbOf(hub);
    // The queries reads.ts runs: unread counts from the covering partial index alone, never a
    // message row; mentions from the mentioning messages' index (not the unread one, which fits too).
    const plan = (sql: string, ...params: number[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join('\n');
    expect(plan(unreadSql, 1, 5, 1)).toMatch(/USING COVERING INDEX messages_unread \(conversation_id=\? AND seq>\?\)/);
    expect(plan(mentionsSql, 1, 5, 1, 1)).toMatch(/USING INDEX messages_mentioning \(conversation_id=\? AND seq>\?\)/);
  });

  it('refuses work after close with unavailable', async () => {
    const { hub } = await openTestHub();
    await hub.close();
    await expect(hub.listAccounts()).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('storage administration on PostgreSQL', () => {
  // SQLite's online backup, its check and its page cap mean nothing for a PostgreSQL database: they
  // refuse, saying what to use instead, while size, health and close work.
  it.runIf(onPostgres)(
    'refuses SQLite-only operations naming PostgreSQL tools; size, health and close work',
    async () => {
      const t = await openTestHub();
      const anna = await t.user('anna');
      await t.hub.send(anna, { conversationId: 1, clientId: 'size-check', text: 'x'.repeat(10_000) });
      await expect(t.hub.backup(path.join(tempDir(), 'b.db'))).rejects.toThrow(/SQLite store.*pg_dump/);
      await expect(t.hub.verifyBackup(path.join(tempDir(), 'b.db'))).rejects.toThrow(/SQLite store.*pg_restore/);
      await expect(t.hub.setStorageLimit(1000)).rejects.toThrow(/SQLite store.*PostgreSQL's own/);
      await expect(t.hub.setStorageLimit(null)).rejects.toThrow(/SQLite store/);
      const stats = await t.hub.stats();
      expect(stats.databaseBytes).toBeGreaterThan(1_000_000);
      expect(stats.databaseWalBytes).toBe(0);
      expect(await t.hub.storageHealth()).toEqual({ ok: true, fullSince: null });
      const store = (t.hub as SqliteHub).store;
      await t.hub.close();
      await expect(store.admin.close()).resolves.toBeUndefined();
      await expect(pgDatabaseOf(store).one('SELECT 1')).rejects.toThrow();
    },
  );

  it.runIf(onPostgres)('refuses to start with a page cap (--max-db-pages), saying why', async () => {
    await expect(openTestHub({ maxDbPages: 5000 })).rejects.toThrow(/max-db-pages.*SQLite store/);
  });
});

describe('a full disk', () => {
  // Simulated with SQLite's max_page_count; a PostgreSQL database has no per-database cap to lower
  // (the server's disk fills for every database at once).
  it.skipIf(onPostgres)('makes room changes fail with storage_full while reads keep working', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    await t.hub.send(anna, { conversationId: 1, clientId: 'before-full', text: 'до' });
    const sqlite = dbOf(t.hub);
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    const names = Array.from({ length: 60 }, (_, i) => `Комната ${i} ${'я'.repeat(60)}`);
    const results = await Promise.all(
      names.map((name) =>
        t.hub.createRoom(anna, { name, kind: 'open', topic: 'т'.repeat(400) }).then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
      ),
    );
    expect(results).toContain('storage_full');
    expect(results.filter((r) => r !== 'ok' && r !== 'storage_full')).toEqual([]);
    expect(t.log.lines.some((l) => l.level === 'error' && l.msg === 'storage is full')).toBe(true);
    await expect(t.hub.listConversations(anna)).resolves.toBeTruthy();
    await expect(t.hub.history(anna, { conversationId: 1 })).resolves.toMatchObject({ messages: [{ text: 'до' }] });
    expect(await t.hub.authenticate('x')).toBeNull();
  });

  it('refuses client ids outside the protocol alphabet', async () => {
    const t = await openTestHub();
    const anna = await t.user('anna');
    for (const clientId of ['short', 'sys:12345678', 'has space 123', 'x'.repeat(65)]) {
      await expect(t.hub.send(anna, { conversationId: 1, clientId, text: 'x' })).rejects.toMatchObject({
        code: 'bad_request',
      });
    }
  });
});
