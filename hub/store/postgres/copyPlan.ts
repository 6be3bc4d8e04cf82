import type pg from 'pg';
import { CopyRefusedError, type SourceTable } from '../TableSource.ts';

/**
 * PostgreSQL tables with nothing to copy from SQLite: the schema's own version, the seq counter
 * (set from the copied seqs), the search index (rebuilt from the messages' text) and the bot
 * deliveries' live claims (which node sends now: minutes-long, none while nothing serves).
 */
export const targetOnlyTables: ReadonlySet<string> = new Set([
  'schema_version',
  'stream_position',
  'message_search',
  'bot_delivery_claims',
]);

/**
 * Columns PostgreSQL has where SQLite used its rowid (which breaks ties in insertion order): they
 * are given the source row's rowid, so the order they keep is the same.
 */
export const rowidColumns: Readonly<Record<string, string>> = { members: 'joined_order', message_reactions: 'id' };

/** One column of a target table. */
export interface TargetColumn {
  name: string;
  /** information_schema's data_type: 'bigint', 'integer', 'text', 'bytea', … */
  type: string;
  identity: boolean;
}

/** How one table is copied and compared. */
export interface TablePlan {
  name: string;
  /** What is read from the source, in order (`rowid` for a {@link rowidColumns} column). */
  sourceColumns: string[];
  /** The target's columns they go into, in the same order. */
  targetColumns: string[];
  /** The order rows are read on both sides; text keys in byte order ("C" collation on PostgreSQL). */
  key: string[];
  /** `ORDER BY` for the target. */
  targetOrder: string;
  /** The identity column whose sequence must pass the copied ids, if any. */
  identity: string | null;
}

/** An identifier as SQL text (names come from the catalogs, never from a person). */
export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The target's tables and columns in the current schema. */
export async function targetTables(client: pg.ClientBase): Promise<Map<string, TargetColumn[]>> {
  const { rows } = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_identity: string;
    is_generated: string;
  }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.is_identity, c.is_generated
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, TargetColumn[]>();
  for (const r of rows) {
    if (r.is_generated === 'ALWAYS') continue;
    const columns = tables.get(r.table_name) ?? [];
    columns.push({ name: r.column_name, type: r.data_type, identity: r.is_identity === 'YES' });
    tables.set(r.table_name, columns);
  }
  return tables;
}

/**
 * Matches the source's tables with the target's, column by column, and orders them so every
 * table comes after those its foreign keys point to. Refuses (CopyRefusedError) when a table or a
 * column is on one side only: "copies everything" must not silently leave something behind.
 */
export async function planCopy(client: pg.ClientBase, source: readonly SourceTable[]): Promise<TablePlan[]> {
  const target = await targetTables(client);
  const problems: string[] = [];
  const sourceNames = new Set(source.map((t) => t.name));
  for (const name of target.keys())
    if (!sourceNames.has(name) && !targetOnlyTables.has(name)) problems.push(`table ${name} is only in PostgreSQL`);
  const plans: TablePlan[] = [];
  for (const table of source) {
    const columns = target.get(table.name);
    if (!columns || targetOnlyTables.has(table.name)) {
      problems.push(`table ${table.name} is only in SQLite`);
      continue;
    }
    const plan = planTable(table, columns, problems);
    if (plan) plans.push(plan);
  }
  if (problems.length > 0)
    throw new CopyRefusedError(
      `the SQLite and PostgreSQL schemas differ (${problems.join('; ')}): this hub version cannot copy between them`,
    );
  return orderByForeignKeys(plans, await foreignKeys(client));
}

function planTable(table: SourceTable, columns: readonly TargetColumn[], problems: string[]): TablePlan | null {
  const names = new Set(columns.map((c) => c.name));
  const rowidColumn = rowidColumns[table.name];
  const before = problems.length;
  for (const c of table.columns) if (!names.has(c)) problems.push(`column ${table.name}.${c} is only in SQLite`);
  for (const c of names)
    if (!table.columns.includes(c) && c !== rowidColumn)
      problems.push(`column ${table.name}.${c} is only in PostgreSQL`);
  if (problems.length > before) return null;
  const sourceColumns = [...table.columns];
  const targetColumns = [...table.columns];
  if (rowidColumn) {
    sourceColumns.push('rowid');
    targetColumns.push(rowidColumn);
  }
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  // No primary key (none in the schema today): every column, so the order is still total.
  const key = table.key.length > 0 ? [...table.key] : [...table.columns];
  const targetOrder = key
    .map((k) => (typeOf.get(k) === 'text' ? `${quoteIdent(k)} COLLATE "C"` : quoteIdent(k)))
    .join(', ');
  const identity = columns.find((c) => c.identity)?.name ?? null;
  return { name: table.name, sourceColumns, targetColumns, key, targetOrder, identity };
}

async function foreignKeys(client: pg.ClientBase): Promise<{ child: string; parent: string }[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT ch.relname AS child, pa.relname AS parent
       FROM pg_constraint c
       JOIN pg_class ch ON ch.oid = c.conrelid
       JOIN pg_class pa ON pa.oid = c.confrelid
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
  );
  return rows;
}

/** Parents before children (self references, as messages.reply_to, are left to the seq order). */
function orderByForeignKeys(plans: TablePlan[], keys: readonly { child: string; parent: string }[]): TablePlan[] {
  const byName = new Map(plans.map((p) => [p.name, p]));
  const ordered: TablePlan[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`foreign keys form a cycle through ${name}`);
    state.set(name, 'visiting');
    for (const k of keys) if (k.child === name && k.parent !== name && byName.has(k.parent)) visit(k.parent);
    state.set(name, 'done');
    ordered.push(byName.get(name)!);
  };
  for (const p of [...plans].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(p.name);
  return ordered;
}
