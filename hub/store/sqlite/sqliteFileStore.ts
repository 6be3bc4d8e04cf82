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
import { findSessionByFileKey, sessionAuth } from './sessions.ts';

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
      const row = findSessionByFileKey(db, keyHash);
      return row && sessionAuth(row);
    },
  };
}
