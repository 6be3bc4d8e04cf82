import pg from 'pg';
import { CopyRefusedError, type CopyValue, type TableSource } from '../TableSource.ts';
import { planCopy, quoteIdent, type TablePlan } from './copyPlan.ts';
import { indexTokens } from './messageIndex.ts';
import { openPgDatabase } from './PgDatabase.ts';
import { migratePg } from './pgMigrations.ts';
import { RowDigest } from './rowDigest.ts';

/** One line of the report: a table's rows and checksum on both sides. */
export interface TableCheck {
  table: string;
  sourceRows: number;
  targetRows: number;
  /** SHA-256 (hex) over the rows in primary-key order (rowDigest.ts), the same code on both sides. */
  sourceSha256: string;
  targetSha256: string;
  ok: boolean;
}

/** What a copy (or a check) found. */
export interface CopyReport {
  /** Every copied table, then `message_search` (the index rebuilt from the messages' text). */
  tables: TableCheck[];
  /** The highest seq the source ever handed out. */
  highestSeq: number;
  /** The target's seq counter: the next message or update gets a higher seq. */
  streamPosition: number;
  /** `table.column` identities whose next value would not pass the ids already there (none when ok). */
  sequencesBehind: string[];
  /** Every table equal, the counter and every identity past what was copied. */
  ok: boolean;
  /** Whether the target now holds the copy (false after a mismatch: rolled back, nothing kept). */
  committed: boolean;
}

/** How {@link copyFromSqlite} runs. */
export interface CopyOptions {
  /** Milliseconds since the epoch, for the target's schema step (default Date.now()). */
  now?: number;
  /**
   * Rows per INSERT and per FETCH when reading back, at most (default 1000; fewer when the columns
   * would pass PostgreSQL's 65,535 parameters).
   */
  batchRows?: number;
  /** Told after each table is copied, for a progress line. */
  onTable?: (table: string, rows: number) => void;
}

/** The search index's "table" in the report. */
const searchTable = 'message_search';
const maxParameters = 65_535;
/** A batch of long messages stops growing here, whatever its row count. */
const maxBatchBytes = 16 * 1024 * 1024;

/** Integers exactly, as SQLite's side gives them (the pool's parser turns int8 into a double). */
const exactIntegers = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 || oid === 21 || oid === 23
      ? (v: string) => BigInt(v)
      : (pg.types.getTypeParser as (o: number, f?: string) => unknown)(oid, format),
} as unknown as pg.CustomTypesConfig;

/**
 * Copies every table of `source` (the hub's SQLite database) into the PostgreSQL database at
 * `url`, in ONE transaction: the target's schema is created first if missing, its tables locked,
 * and it must hold nothing yet (refused otherwise: CopyRefusedError). Rows go in primary-key order
 * in multi-row INSERTs keeping their ids; the search index is rebuilt from the messages' text; the
 * identity sequences and the seq counter are set past the copied ids and seqs. Then every table is
 * read back and compared with the source (rows and SHA-256, {@link TableCheck}): COMMIT only when
 * everything is equal, otherwise ROLLBACK — all or nothing.
 */
export async function copyFromSqlite(url: string, source: TableSource, options: CopyOptions = {}): Promise<CopyReport> {
  return withTarget(url, options.now ?? Date.now(), true, async (client) => {
    await client.query('BEGIN');
    try {
      const report = await copyInTransaction(client, source, options);
      await client.query(report.ok ? 'COMMIT' : 'ROLLBACK');
      return { ...report, committed: report.ok };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    }
  });
}

/**
 * Compares `source` with what the PostgreSQL database at `url` holds, changing neither (a
 * read-only snapshot on PostgreSQL): the same report as {@link copyFromSqlite}'s. Right after a
 * copy every table is equal; once a hub serves the target, the tables it wrote differ.
 */
export async function compareWithSqlite(
  url: string,
  source: TableSource,
  options: Pick<CopyOptions, 'batchRows'> = {},
): Promise<CopyReport> {
  return withTarget(url, Date.now(), false, async (client) => {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const plans = await planCopy(client, source.tables());
      const digests = new Map<string, RowDigest>();
      for (const plan of plans) {
        const digest = new RowDigest();
        for (const row of source.rows(plan.name, plan.sourceColumns)) digest.add(row);
        digests.set(plan.name, digest);
      }
      const search = new RowDigest();
      for (const row of searchRows(source)) search.add(row);
      const fetchRows = options.batchRows ?? 1000;
      return { ...(await verify(client, plans, digests, search, source.highestSeq(), fetchRows)), committed: false };
    } finally {
      await client.query('ROLLBACK').catch(() => {});
    }
  });
}

async function withTarget<T>(
  url: string,
  now: number,
  migrate: boolean,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const db = openPgDatabase(url, { max: 1 });
  try {
    if (migrate) await migratePg(db, now);
    const client = await db.pool.connect();
    // The server going away mid-copy rejects the query in flight; without a listener the
    // client's 'error' event would also end the process with an uncaught exception.
    const ignore = () => {};
    client.on('error', ignore);
    try {
      return await fn(client);
    } finally {
      client.off('error', ignore);
      client.release();
    }
  } finally {
    await db.close();
  }
}

async function copyInTransaction(
  client: pg.PoolClient,
  source: TableSource,
  options: CopyOptions,
): Promise<Omit<CopyReport, 'committed'>> {
  const plans = await planCopy(client, source.tables());
  await lockTarget(client, plans);
  await refuseUnlessEmpty(client, plans);
  // The general room the schema step created: the source has its own (with its name and history).
  await client.query('DELETE FROM conversations WHERE id = 1');
  const digests = new Map<string, RowDigest>();
  const batchRows = options.batchRows ?? 1000;
  for (const plan of plans) {
    const digest = await copyTable(client, source, plan, batchRows);
    digests.set(plan.name, digest);
    options.onTable?.(plan.name, digest.rows);
  }
  const search = await rebuildSearch(client, source, batchRows);
  options.onTable?.(searchTable, search.rows);
  const highestSeq = source.highestSeq();
  await client.query('UPDATE stream_position SET seq = $1 WHERE id = 1', [highestSeq]);
  for (const plan of plans) {
    if (!plan.identity) continue;
    // The next id a hub node takes is past every copied one (setval's next value is top + 1).
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), top) FROM (SELECT max(${quoteIdent(plan.identity)}) AS top
         FROM ${quoteIdent(plan.name)}) m WHERE top IS NOT NULL`,
      [quoteIdent(plan.name), plan.identity],
    );
  }
  return verify(client, plans, digests, search, highestSeq, batchRows);
}

/**
 * Takes the target's tables for this transaction: a hub already serving the target waits (its
 * reads go on), and nobody can write between the emptiness check and COMMIT. A target in use for
 * more than 30 s is refused rather than waited for.
 */
async function lockTarget(client: pg.PoolClient, plans: readonly TablePlan[]): Promise<void> {
  const names = [...plans.map((p) => p.name), 'stream_position', searchTable].map(quoteIdent);
  await client.query(`SET LOCAL lock_timeout = '30s'`);
  try {
    await client.query(`LOCK TABLE ${names.join(', ')} IN EXCLUSIVE MODE`);
  } catch (err) {
    if ((err as { code?: string }).code !== '55P03') throw err;
    throw new CopyRefusedError(
      'the target database is in use (a hub serving it?) and its tables could not be locked: stop it and run migrate-store again',
    );
  }
}

/** Refuses a target that holds anything but the empty schema (with its general room, never used). */
async function refuseUnlessEmpty(client: pg.PoolClient, plans: readonly TablePlan[]): Promise<void> {
  const used: string[] = [];
  for (const plan of [...plans.map((p) => p.name), searchTable]) {
    const except = plan === 'conversations' ? ` WHERE NOT (id = 1 AND kind = 'general' AND last_seq = 0)` : '';
    const { rows } = await client.query(`SELECT 1 FROM ${quoteIdent(plan)}${except} LIMIT 1`);
    if (rows.length > 0) used.push(plan);
  }
  const { rows } = await client.query<{ seq: string }>('SELECT seq FROM stream_position WHERE id = 1');
  if (Number(rows[0]?.seq ?? 0) !== 0) used.push('stream_position');
  if (used.length > 0)
    throw new CopyRefusedError(
      `the target database already holds data (in ${used.join(', ')}): migrate-store copies only into a new, ` +
        'empty database. Create one (e.g. createdb -O beseda beseda) and give its address; nothing was changed',
    );
}

async function copyTable(
  client: pg.PoolClient,
  source: TableSource,
  plan: TablePlan,
  batchRows: number,
): Promise<RowDigest> {
  const digest = new RowDigest();
  const writer = batchWriter(client, plan.name, plan.targetColumns, batchRows);
  for (const row of source.rows(plan.name, plan.sourceColumns)) {
    const nul = row.findIndex((v) => typeof v === 'string' && v.includes('\u0000'));
    if (nul >= 0) {
      // SQLite keeps it; PostgreSQL's text cannot (its error would not say which row).
      const key = plan.key.map((k) => `${k} ${String(row[plan.sourceColumns.indexOf(k)])}`).join(', ');
      throw new CopyRefusedError(
        `${plan.name} (${key}): ${plan.sourceColumns[nul]} holds a NUL character (U+0000), which PostgreSQL ` +
          'cannot store in text; remove it in SQLite first (with the hub stopped)',
      );
    }
    digest.add(row);
    await writer.add(row);
  }
  await writer.flush();
  return digest;
}

/** Collects rows and sends them as multi-row INSERTs, each under PostgreSQL's parameter and a size limit. */
function batchWriter(client: pg.PoolClient, table: string, columns: readonly string[], batchRows: number) {
  const perBatch = Math.max(1, Math.min(batchRows, Math.floor(maxParameters / columns.length)));
  const head = `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) VALUES `;
  let batch: CopyValue[][] = [];
  let bytes = 0;
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values: CopyValue[] = [];
    const tuples = batch.map((row) => {
      const marks = row.map((v) => {
        values.push(v);
        return `$${values.length}`;
      });
      return `(${marks.join(', ')})`;
    });
    try {
      await client.query(head + tuples.join(', '), values);
    } catch (err) {
      const e = err as Error & { detail?: string };
      throw new Error(
        `copying ${table}, rows ${written + 1}–${written + batch.length}: ${e.message}${e.detail ? ` (${e.detail})` : ''}`,
        { cause: err },
      );
    }
    written += batch.length;
    batch = [];
    bytes = 0;
  };
  return {
    async add(row: CopyValue[]) {
      batch.push(row);
      for (const v of row) bytes += typeof v === 'string' ? v.length : v instanceof Uint8Array ? v.byteLength : 8;
      if (batch.length >= perBatch || bytes >= maxBatchBytes) await flush();
    },
    flush,
  };
}

/**
 * What the search index should hold, from the source: every message SQLite's index holds, with
 * the tokens the PostgreSQL index keeps for its text (messageIndex.ts's indexTokens). A message
 * the index holds but whose text gives no tokens, or that is missing, still counts (tokens '' or
 * null): it cannot be copied, so the check shows the difference instead of hiding it.
 */
function* searchRows(source: TableSource): Generator<CopyValue[]> {
  const indexed = new Set(source.searchIndexSeqs());
  for (const [seq = null, text] of source.rows('messages', ['seq', 'text'])) {
    if (!indexed.delete(Number(seq))) continue;
    yield [seq, indexTokens(String(text))];
  }
  for (const seq of indexed) yield [BigInt(seq), null];
}

async function rebuildSearch(client: pg.PoolClient, source: TableSource, batchRows: number): Promise<RowDigest> {
  const digest = new RowDigest();
  const writer = batchWriter(client, searchTable, ['seq', 'tokens'], batchRows);
  for (const row of searchRows(source)) {
    digest.add(row);
    if (typeof row[1] === 'string' && row[1] !== '') await writer.add(row);
  }
  await writer.flush();
  return digest;
}

/** Reads one target table back in the copy's order through a cursor (a table may not fit in memory). */
async function digestTarget(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  order: string,
  fetchRows: number,
) {
  const digest = new RowDigest();
  await client.query(
    `DECLARE copy_check NO SCROLL CURSOR FOR SELECT ${columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)} ORDER BY ${order}`,
  );
  for (;;) {
    const { rows } = await client.query<CopyValue[]>({
      text: `FETCH FORWARD ${fetchRows} FROM copy_check`,
      rowMode: 'array',
      types: exactIntegers,
    });
    if (rows.length === 0) break;
    for (const row of rows) digest.add(row);
  }
  await client.query('CLOSE copy_check');
  return digest;
}

async function verify(
  client: pg.PoolClient,
  plans: readonly TablePlan[],
  sourceDigests: ReadonlyMap<string, RowDigest>,
  sourceSearch: RowDigest,
  highestSeq: number,
  fetchRows: number,
): Promise<Omit<CopyReport, 'committed'>> {
  const tables: TableCheck[] = [];
  const check = (table: string, s: RowDigest, t: RowDigest) => {
    const [sourceSha256, targetSha256] = [s.hex(), t.hex()];
    const ok = s.rows === t.rows && sourceSha256 === targetSha256;
    tables.push({ table, sourceRows: s.rows, targetRows: t.rows, sourceSha256, targetSha256, ok });
  };
  for (const plan of plans)
    check(
      plan.name,
      sourceDigests.get(plan.name)!,
      await digestTarget(client, plan.name, plan.targetColumns, plan.targetOrder, fetchRows),
    );
  check(searchTable, sourceSearch, await digestTarget(client, searchTable, ['seq', 'tokens'], 'seq', fetchRows));
  const { rows } = await client.query<{ seq: string }>({
    text: 'SELECT seq FROM stream_position WHERE id = 1',
    types: exactIntegers,
  });
  const streamPosition = Number(rows[0]?.seq ?? -1);
  const sequencesBehind: string[] = [];
  for (const plan of plans) {
    if (!plan.identity) continue;
    const { rows: named } = await client.query<{ name: string }>('SELECT pg_get_serial_sequence($1, $2) AS name', [
      quoteIdent(plan.name),
      plan.identity,
    ]);
    // The name comes from the catalog, already quoted where it needs to be.
    const { rows: seq } = await client.query<{ behind: boolean }>(
      `SELECT (SELECT max(${quoteIdent(plan.identity)}) FROM ${quoteIdent(plan.name)}) >=
              last_value + CASE WHEN is_called THEN 1 ELSE 0 END AS behind
         FROM ${named[0]!.name}`,
    );
    if (seq[0]?.behind === true) sequencesBehind.push(`${plan.name}.${plan.identity}`);
  }
  const ok = tables.every((t) => t.ok) && streamPosition >= highestSeq && sequencesBehind.length === 0;
  return { tables, highestSeq, streamPosition, sequencesBehind, ok };
}
