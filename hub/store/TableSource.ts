/**
 * One value of a stored row as `migrate-store` carries it between stores: integers exactly (as
 * bigint: ids and millisecond times must not round), text, bytes, null. A REAL would come as a
 * number (the schema has none).
 */
export type CopyValue = bigint | number | string | Uint8Array | null;

/** A table of the source store, as the copy sees it. */
export interface SourceTable {
  name: string;
  /** Its columns, in the source's order. */
  columns: readonly string[];
  /** Its primary key's columns, in order: rows are read (and checksummed) in this order. */
  key: readonly string[];
}

/**
 * A store's contents read table by table for `migrate-store` (hub/store/sqlite/exportTables.ts
 * reads SQLite; hub/store/postgres/copyFromSqlite.ts writes PostgreSQL). Everything is read from
 * one consistent snapshot. Driver-free, so neither store imports the other.
 */
export interface TableSource {
  /** What is being read (the database file), for messages. */
  readonly description: string;
  /** The source's schema version (what its own migrations reached). */
  readonly schemaVersion: number;
  /**
   * Every table holding the store's data: not the database's own bookkeeping nor the search
   * index (whose terms are computed again from the messages' text).
   */
  tables(): SourceTable[];
  /**
   * The rows of one table ordered by its primary key (text compared byte by byte, as
   * PostgreSQL's "C" collation does), each the values of `columns` in that order. The column
   * name `rowid` gives the source's own row number (which ordered ties in SQLite).
   */
  rows(table: string, columns: readonly string[]): Iterable<CopyValue[]>;
  /** The seqs of the messages the full-text index holds (what search finds), ascending. */
  searchIndexSeqs(): number[];
  /** The highest seq ever handed out (messages and updates share one sequence); 0 when none. */
  highestSeq(): number;
  /** Ends the snapshot and closes the source. */
  close(): void;
}

/**
 * The copy cannot start, or stopped, for a reason the operator can fix (an older source schema, a
 * target that already holds data, a table one side lacks): the message says which and what to do.
 * Nothing was written to the target.
 */
export class CopyRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefusedError';
  }
}
