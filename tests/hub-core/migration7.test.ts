// Schema step 7 (message actions) on a database a version-6 hub wrote: old messages read as
// never changed, and take edits, reactions, pins and deletes in the one sequence.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../hub/db/migrations.ts';
import { openDatabase } from '../../hub/db/openDatabase.ts';
import { onPostgres } from './harness.ts';
import { now, openStore, tempDir } from './messageStoreHarness.ts';

describe('schema step 7', () => {
  it.skipIf(onPostgres)(
    'adds the action columns and tables to a version-6 database; its messages keep their seqs and files',
    async () => {
      const file = path.join(tempDir(), 'hub.db');
      const old = openDatabase(file, { now, migrations: migrations.filter((m) => m.version <= 6) });
      expect(old.pragma('user_version', { simple: true })).toBe(6);
      const user = (login: string) =>
        Number(
          old
            .prepare(`INSERT INTO users (login, name, search_key, password_hash, created_at) VALUES (?, ?, ?, 'x', ?)`)
            .run(login, login, login, now).lastInsertRowid,
        );
      const anna = user('anna');
      const boris = user('boris');
      const general = old.prepare(`SELECT id FROM conversations WHERE kind = 'general'`).pluck().get() as number;
      for (const id of [anna, boris])
        old.prepare('INSERT INTO members (conversation_id, user_id, joined_at) VALUES (?, ?, ?)').run(general, id, now);
      const insert = old.prepare(
        `INSERT INTO messages (conversation_id, sender_id, client_id, kind, text, ts, mentions) VALUES (?, ?, ?, 'text', ?, ?, ?)`,
      );
      const first = Number(
        insert.run(general, anna, 'old-client-1', 'старое @boris', now, `[${boris}]`).lastInsertRowid,
      );
      const second = Number(insert.run(general, boris, 'old-client-2', 'с файлом', now + 1, null).lastInsertRowid);
      old
        .prepare(
          `INSERT INTO files (id, sha256, size, name, type, kind, uploader_id, created_at)
         VALUES ('fAAAAAAAAAAAAAAAAAAAAAA', 'abc', 3, 'a.txt', 'text/plain', 'file', ?, ?)`,
        )
        .run(boris, now);
      old
        .prepare(`INSERT INTO message_files (seq, file_id, position) VALUES (?, 'fAAAAAAAAAAAAAAAAAAAAAA', 0)`)
        .run(second);
      old.close();

      const t = await openStore(file);
      expect(t.db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
      const columns = (t.db.prepare('PRAGMA table_info(messages)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(
        expect.arrayContaining([
          'edited_at',
          'deleted_at',
          'deleted_by',
          'rev',
          'reply_to',
          'forwarded',
          'pinned_by',
          'pinned_at',
        ]),
      );
      const m = t.store.messages;
      // Old messages read exactly as before: no action field at all.
      expect(await m.get(first)).toEqual({
        seq: first,
        conversationId: general,
        senderId: anna,
        clientId: 'old-client-1',
        kind: 'text',
        text: 'старое @boris',
        ts: now,
        mentions: [boris],
        mentionsAll: false,
      });
      expect((await m.get(second))!.files!.map((f) => f.id)).toEqual(['fAAAAAAAAAAAAAAAAAAAAAA']);
      expect(await m.lastSeq()).toBe(second);

      const reacted = await m.applyChange({
        actorId: boris,
        clientId: 'react-1-id',
        seq: first,
        ts: now + 5,
        change: { kind: 'react', emoji: '👍', on: true, maxEmoji: 20 },
      });
      expect(reacted.kind === 'applied' && reacted.update.seq).toBe(second + 1);
      const reply = await t.post(anna, general, 'ответ', { replyTo: second });
      expect(reply).toBe(second + 2);
      expect((await m.get(reply))!.replyTo).toEqual({ seq: second, senderId: boris, text: 'с файлом', fileCount: 1 });
      const deleted = await m.applyChange({
        actorId: boris,
        clientId: 'delete-1-id',
        seq: second,
        ts: now + 6,
        change: { kind: 'delete' },
      });
      expect(deleted.kind === 'applied' && deleted.freedBlobs).toEqual(['abc']);
      expect(await m.lastSeq()).toBe(second + 3);
    },
  );
});
