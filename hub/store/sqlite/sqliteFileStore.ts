import type { Database } from 'better-sqlite3';
import type { FileStore } from '../FileStore.ts';
import {
  deleteUnattachedFiles,
  fileUsage,
  findFile,
  insertFile,
  mayReadFile,
  referencedBlobs,
  uploadedBytesSince,
} from './files.ts';
import { statement } from './statement.ts';
import type { SessionAuthRow } from './sessions.ts';

/** The SQLite {@link FileStore}. */
export function sqliteFileStore(db: Database): FileStore {
  return {
    insert: async (file) => insertFile(db, file),
    get: async (id) => findFile(db, id),
    mayRead: async (id, userId) => mayReadFile(db, id, userId),
    uploadedBytesSince: async (userId, since) => uploadedBytesSince(db, userId, since),
    usage: async () => fileUsage(db),
    deleteUnattached: async (before) => deleteUnattachedFiles(db, before),
    referencedBlobs: async () => referencedBlobs(db),
    async setSessionFileKey(sessionId, keyHash) {
      statement(db, 'UPDATE sessions SET file_key_hash = ? WHERE id = ? AND file_key_hash IS NULL').run(
        keyHash,
        sessionId,
      );
    },
    async findSessionByFileKey(keyHash) {
      const row = statement(
        db,
        `SELECT s.id, s.user_id, s.last_used_at, s.revoked_at, s.scope, u.is_admin, u.is_bot, u.disabled
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.file_key_hash = ?`,
      ).get(keyHash) as SessionAuthRow | undefined;
      return (
        row && {
          sessionId: row.id,
          userId: row.user_id,
          lastUsedAt: row.last_used_at,
          revoked: row.revoked_at !== null,
          scope: row.scope,
          isAdmin: row.is_admin === 1,
          isBot: row.is_bot === 1,
          disabled: row.disabled === 1,
        }
      );
    },
  };
}
