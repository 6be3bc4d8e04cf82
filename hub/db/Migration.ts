import type { Database } from 'better-sqlite3';

/** One schema step. Steps run in order, each in its own transaction, and are never edited once shipped. */
export interface Migration {
  /** The `PRAGMA user_version` the database has after this step. */
  version: number;
  /** What the step does, in a few words: logged at start with the version when it is applied. */
  name: string;
  up(db: Database, now: number): void;
}
