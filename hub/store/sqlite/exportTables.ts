import Sqlite from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { migrations } from '../../db/migrations.ts';
import { CopyRefusedError, type CopyValue, type SourceTable, type TableSource } from '../TableSource.ts';

/**
 * Tables that hold no data of the hub's own: SQLite's bookkeeping (sqlite_sequence's one row of
 * interest is read by highestSeq) and the FTS5 index with its shadow tables (contentless: it keeps
 * no copy of the terms, which the target computes again from the messages).
 */
function internalTable(name: string): boolean {
  return name.startsWith('sqlite_') || name === 'message_search' || name.startsWith('message_search_');
}

/** An identifier as SQL text (the names come from sqlite_schema, never from a person). */
const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Opens the hub's SQLite database READ-ONLY for `migrate-store` and reads everything from one
 * snapshot: a read transaction stays open until {@link TableSource.close}, so even a writer that
 * ignored the data lock could not make the tables disagree with each other. Integers come as
 * bigint (exact). Refuses a database whose schema is not this hub's newest (the PostgreSQL schema
 * mirrors that one) and a damaged one (quick_check), before anything is copied.
 */
export function openSqliteExport(file: string): TableSource {
  if (!existsSync(file)) throw new CopyRefusedError(`there is no Beseda database at ${file}`);
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    db.defaultSafeIntegers(true);
    const version = Number(db.pragma('user_version', { simple: true }));
    const known = migrations[migrations.length - 1]!.version;
    if (version < known)
      throw new CopyRefusedError(
        `${file} has schema version ${version}, this hub's is ${known}: start this hub version once on ` +
          'that data folder (it brings the database up to date), stop it, then run migrate-store again',
      );
    if (version > known)
      throw new CopyRefusedError(
        `${file} has schema version ${version}, newer than this hub's ${known}: use the newer hub`,
      );
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok')
      throw new CopyRefusedError(`${file} is damaged (quick_check: ${String(check)}): restore a backup first`);
    db.exec('BEGIN');
    // A read transaction's snapshot starts at its first read: take it now, before any table.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return sqliteSource(db, file, version);
  } catch (err) {
    db.close();
    throw err;
  }
}

function sqliteSource(db: Database, file: string, schemaVersion: number): TableSource {
  const tables = new Map<string, SourceTable>();
  const names = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all() as string[];
  for (const name of names.filter((n) => !internalTable(n))) {
    const info = db.pragma(`table_info(${quote(name)})`) as { name: string; pk: bigint }[];
    const key = info
      .filter((c) => c.pk > 0n)
      .sort((a, b) => Number(a.pk - b.pk))
      .map((c) => c.name);
    tables.set(name, { name, columns: info.map((c) => c.name), key });
  }
  return {
    description: file,
    schemaVersion,
    tables: () => [...tables.values()],
    rows(name, columns) {
      const table = tables.get(name);
      if (!table) throw new Error(`no table ${name} in ${file}`);
      for (const c of columns)
        if (c !== 'rowid' && !table.columns.includes(c)) throw new Error(`no column ${name}.${c} in ${file}`);
      // BINARY: byte order of the UTF-8 text, the order PostgreSQL's "C" collation gives.
      const order = table.key.length > 0 ? table.key.map((k) => `${quote(k)} COLLATE BINARY`).join(', ') : 'rowid';
      const select = columns.map((c) => (c === 'rowid' ? 'rowid' : quote(c))).join(', ');
      return db
        .prepare(`SELECT ${select} FROM ${quote(name)} ORDER BY ${order}`)
        .raw(true)
        .iterate() as IterableIterator<CopyValue[]>;
    },
    searchIndexSeqs() {
      // A contentless FTS5 table cannot be scanned, but every row carries its conversation's
      // token `c<id>` in `meta` (messageIndex.ts), so asking per conversation lists them all.
      const seqs: number[] = [];
      const ids = db.prepare('SELECT id FROM conversations ORDER BY id').pluck().all() as bigint[];
      const query = db.prepare('SELECT rowid FROM message_search WHERE message_search MATCH ?').pluck();
      for (const id of ids) for (const seq of query.all(`meta : "c${id}"`) as bigint[]) seqs.push(Number(seq));
      return seqs.sort((a, b) => a - b);
    },
    highestSeq() {
      // sqlite_sequence remembers a seq even if its message is gone, and updates take theirs from
      // it too: the largest of the three is the last number any client may have seen.
      const row = db
        .prepare(
          `SELECT max(
             coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0),
             coalesce((SELECT max(seq) FROM messages), 0),
             coalesce((SELECT max(seq) FROM message_updates), 0)) AS seq`,
        )
        .pluck()
        .get() as bigint;
      return Number(row);
    },
    close() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}
