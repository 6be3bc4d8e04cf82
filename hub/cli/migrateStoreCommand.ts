import path from 'node:path';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { databaseFileName } from '../db/secureDataDir.ts';
import { HubError } from '../ops/HubError.ts';
import { acquireDataLock, DataLockedError } from '../server/acquireDataLock.ts';
import { filesDirOf } from '../server/startHubServer.ts';
import { compareWithSqlite, copyFromSqlite, type CopyReport } from '../store/postgres/copyFromSqlite.ts';
import { openSqliteExport } from '../store/sqlite/exportTables.ts';
import { CopyRefusedError } from '../store/TableSource.ts';
import { redactedStoreUrl } from '../config/redactedStoreUrl.ts';
import type { CliCommand, CliContext } from './CliCommand.ts';
import { printLine, printNote } from './cliText.ts';

/**
 * `beseda-hub migrate-store --from DATA_DIR --to postgres://…`: moves a hub from SQLite to
 * PostgreSQL. The hub on DATA_DIR must be stopped (its data lock is taken for the whole copy);
 * the database is read from one read-only snapshot and written in one PostgreSQL transaction,
 * checked table by table before COMMIT (copyFromSqlite.ts). `--check` compares only.
 */
export const migrateStoreCommand: CliCommand = {
  words: ['migrate-store'],
  summary:
    "With the hub stopped: copies the data folder's whole SQLite database into an EMPTY PostgreSQL\n" +
    'database in one transaction, then compares every table (rows and SHA-256 on both sides) and\n' +
    'commits only if all are equal; exit 1 on any difference (nothing is kept). Uploaded files stay\n' +
    'in the files folder. --check: compare the two, copy nothing.',
  options: {
    from: {
      type: 'string',
      value: 'DIR',
      help: 'the data folder whose database is copied (default: --data / BESEDA_DATA)',
    },
    to: {
      type: 'string',
      value: 'URL',
      help: 'the PostgreSQL database, postgres://USER:PASSWORD@HOST:PORT/DB (default: the configured store, BESEDA_STORE)',
    },
    check: { type: 'boolean', help: 'copy nothing: compare the SQLite database with the PostgreSQL one' },
  },
  run: migrateStore,
};

async function migrateStore({ values, config }: CliContext): Promise<number> {
  const to = typeof values.to === 'string' ? values.to : config().store;
  if (!to || !/^postgres(ql)?:\/\//.test(to))
    throw new HubError(
      ErrorCode.BadRequest,
      to
        ? `--to must be a PostgreSQL address, postgres://USER:PASSWORD@HOST:PORT/DB, not ${redactedStoreUrl(to)}`
        : 'migrate-store needs the PostgreSQL database to copy into: --to postgres://USER:PASSWORD@HOST:PORT/DB',
    );
  const dir = path.resolve(typeof values.from === 'string' ? values.from : config().dataDir);
  const file = path.join(dir, databaseFileName);
  let release: () => void;
  try {
    release = acquireDataLock(dir);
  } catch (err) {
    if (err instanceof DataLockedError)
      return refused(
        `a hub or another beseda-hub command (pid ${err.pid}) is using ${dir}: stop it first (SIGTERM, or systemctl stop), then run migrate-store again`,
      );
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return refused(`the data folder ${dir} does not exist`);
    throw err;
  }
  try {
    const source = openSqliteExport(file);
    try {
      printNote(`from: ${file} (read-only, one snapshot, schema version ${source.schemaVersion})`);
      printNote(`to: ${redactedStoreUrl(to)}`);
      if (values.check === true) return printCheck(await compareWithSqlite(to, source));
      const report = await copyFromSqlite(to, source, {
        onTable: (table, rows) => printNote(`copied ${table}: ${rows} rows`),
      });
      return printCopy(report, redactedStoreUrl(to), filesDirOf({ dataDir: dir, filesDir: config().filesDir }));
    } finally {
      source.close();
    }
  } catch (err) {
    if (err instanceof CopyRefusedError) return refused(err.message);
    throw new Error(
      `${(err as Error).message}. Nothing of the copy was kept in PostgreSQL (its transaction was rolled back)`,
      { cause: err },
    );
  } finally {
    release();
  }
}

function refused(message: string): number {
  printNote(`migrate-store refused: ${message}`);
  return 1;
}

/** The per-table comparison, one line each, and the counters. */
function printTable(report: CopyReport): void {
  const width = Math.max(22, ...report.tables.map((t) => t.table.length + 2));
  printLine(
    [
      'TABLE'.padEnd(width),
      'SQLITE ROWS'.padStart(12),
      'PG ROWS'.padStart(12),
      '  SHA-256 SQLITE  ',
      '  SHA-256 PG      ',
      ' ',
    ].join(''),
  );
  for (const t of report.tables)
    printLine(
      [
        t.table.padEnd(width),
        String(t.sourceRows).padStart(12),
        String(t.targetRows).padStart(12),
        `  ${t.sourceSha256.slice(0, 16)}`,
        `  ${t.targetSha256.slice(0, 16)}`,
        t.ok ? '  ok' : '  DIFFERENT',
      ].join(''),
    );
  printLine(
    `(message_search is the search index, built again from the messages' text; checksums: first 16 hex digits)`,
  );
  printLine(
    `Seq counter: ${report.streamPosition} (highest seq in SQLite: ${report.highestSeq})` +
      (report.streamPosition >= report.highestSeq ? ', new messages continue after it' : ' — BEHIND'),
  );
  printLine(
    report.sequencesBehind.length === 0
      ? 'Identity sequences: every one past the ids in its table'
      : `Identity sequences BEHIND their tables' ids: ${report.sequencesBehind.join(', ')}`,
  );
}

function different(report: CopyReport): string {
  return (
    report.tables
      .filter((t) => !t.ok)
      .map((t) => t.table)
      .join(', ') || 'the counters'
  );
}

function printCopy(report: CopyReport, to: string, filesDir: string): number {
  printTable(report);
  if (!report.committed) {
    printLine(
      `NOT MIGRATED: ${different(report)} differ after the copy. The transaction was rolled back: ${to} holds nothing of it.`,
    );
    return 1;
  }
  printLine(`Migrated: all ${report.tables.length} tables equal, committed to ${to}.`);
  printLine(
    `The uploaded files' bytes are not in the database: they stay in ${filesDir}. Every hub node must ` +
      'see that folder (shared storage, or a copy of it) and be given it with --files-dir.',
  );
  printLine(`Next: start the hub (on every node) with --store ${to} (or BESEDA_STORE) and --files-dir ${filesDir}.`);
  return 0;
}

function printCheck(report: CopyReport): number {
  printTable(report);
  if (report.ok) {
    printLine(`Equal: all ${report.tables.length} tables hold the same rows on both sides.`);
    return 0;
  }
  printLine(`DIFFERENT: ${different(report)}.`);
  return 1;
}
