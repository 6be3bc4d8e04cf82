/** Room left for writes: inside the database's size cap, and on the disk holding it (null: unknown). */
export interface StorageRoom {
  spareBytes: number;
  diskFreeBytes: number | null;
}

/** How much the storage takes: the database, and its write-ahead log on disk (0 when none). */
export interface StorageSize {
  bytes: number;
  walBytes: number;
}

/** Whether the store answers now ({@link StorageAdmin.ping}), for `/healthz` and `/metrics`. */
export interface StorePing {
  kind: 'sqlite' | 'postgres';
  ok: boolean;
  /** Why not (a timeout, the server's error), when not ok. */
  error?: string;
  /** How long the check took. */
  ms: number;
  /** PostgreSQL's connection pool: connections open, idle among them, callers waiting, the cap. */
  pool?: { total: number; idle: number; waiting: number; max: number };
}

/** What a backup holds, as checked by {@link StorageAdmin.verifyBackup}. */
export interface BackupContents {
  schemaVersion: number;
  users: number;
  conversations: number;
  messages: number;
  /** Uploaded files recorded. */
  files: number;
  /** The SHA-256 of every blob its records name: the backup's files folder must hold them all. */
  blobs: string[];
}

/**
 * Looking after the storage itself rather than what it holds: backups, the size cap, how much
 * room is left, closing. What the SQLite store does with pragmas and its backup API; another
 * store answers the same questions its own way.
 */
export interface StorageAdmin {
  /**
   * Writes a consistent copy of everything stored into `file` while the hub keeps serving (the
   * caller has created the file with the permissions it wants). Resolves the pages copied.
   */
  backup(file: string): Promise<{ pages: number }>;
  /**
   * Checks a backup written by {@link backup} without disturbing the hub (the storage's own
   * integrity check, off the main thread) and counts what it holds. Rejects with the reason when
   * it is damaged, not a Beseda backup, or from a newer hub.
   */
  verifyBackup(file: string): Promise<BackupContents>;
  /**
   * Caps the storage's size in pages (`null`: no cap of ours, the storage's own ceiling). A write
   * past the cap fails as storage full. Resolves the cap now in force, which is never below the
   * pages already used.
   */
  setMaxPages(maxPages: number | null): Promise<number>;
  /** How much more the storage can take (read-only, so it answers while the disk is full). */
  room(): Promise<StorageRoom>;
  /** How much the storage takes now (read-only; `/metrics` asks at every scrape). */
  size(): Promise<StorageSize>;
  /**
   * Checks that the storage answers a trivial query within `timeoutMs` (never rejects): a
   * database server that is down or unreachable shows as `ok: false` with the reason.
   */
  ping(timeoutMs: number): Promise<StorePing>;
  /** Closes the storage; nothing is called on the store afterwards. */
  close(): Promise<void>;
}
