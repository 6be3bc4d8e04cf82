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
import type { PgDatabase } from './PgDatabase.ts';
import { findSessionByFileKey, sessionAuth } from './sessions.ts';

/** The PostgreSQL {@link FileStore}: files.ts on the pool (each a single statement, autocommit). */
export function pgFileStore(db: PgDatabase): FileStore {
  return {
    insert: (file) => insertFile(db, file),
    get: (id) => findFile(db, id),
    mayRead: (id, userId) => mayReadFile(db, id, userId),
    uploadedBytesSince: (userId, since) => uploadedBytesSince(db, userId, since),
    usage: () => fileUsage(db),
    deleteUnattached: (before) => deleteUnattachedFiles(db, before),
    referencedBlobs: () => referencedBlobs(db),
    async setSessionFileKey(sessionId, keyHash) {
      await db.run('UPDATE sessions SET file_key_hash = $1 WHERE id = $2 AND file_key_hash IS NULL', [
        keyHash,
        sessionId,
      ]);
    },
    async findSessionByFileKey(keyHash) {
      const row = await findSessionByFileKey(db, keyHash);
      return row && sessionAuth(row);
    },
  };
}
