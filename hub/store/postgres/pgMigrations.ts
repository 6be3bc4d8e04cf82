import type { PgDatabase, PgQueryable } from './PgDatabase.ts';
import { accountsSchema } from './schema/accountsSchema.ts';
import { conversationsSchema } from './schema/conversationsSchema.ts';
import { filesSchema } from './schema/filesSchema.ts';
import { integrationsSchema } from './schema/integrationsSchema.ts';
import { messagesSchema } from './schema/messagesSchema.ts';
import { queuesSchema } from './schema/queuesSchema.ts';

/** One schema step of the PostgreSQL store: applied in order, each in its own transaction, never edited once shipped. */
export interface PgMigration {
  version: number;
  name: string;
  up(q: PgQueryable, now: number): Promise<void>;
}

/**
 * The PostgreSQL schema's steps. Step 1 is the whole schema of SQLite's step 19 at once (same
 * tables and column names, so `migrate-store` copies table by table), split by area in
 * schema/*.ts in the order their foreign keys need.
 */
export const pgMigrations: readonly PgMigration[] = [
  {
    version: 1,
    name: 'the schema of SQLite step 19',
    async up(q, now) {
      for (const part of [
        accountsSchema,
        conversationsSchema,
        messagesSchema,
        filesSchema,
        integrationsSchema,
        queuesSchema,
      ]) {
        await q.run(part);
      }
      // The general room, as SQLite's first step creates it.
      await q.run(
        `INSERT INTO conversations (id, kind, name, name_key, topic, created_at, last_ts)
         VALUES (1, 'general', 'Общий чат', 'общий чат', '', $1, $1)`,
        [now],
      );
    },
  },
  {
    // SQLite's step 20: who was online when a lone hub stopped, read and removed at the next start.
    version: 2,
    name: 'presence at the last stop',
    async up(q) {
      await q.run(`CREATE TABLE presence_at_stop (
        user_id bigint PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('online', 'away', 'dnd')),
        stopped_at bigint NOT NULL
      )`);
    },
  },
];

/** Thrown when the database was written by a newer hub (a higher schema version than this hub knows). */
export class PgSchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`the PostgreSQL database has schema version ${found}, this hub knows up to ${known}: run the newer hub`);
  }
}

/**
 * Brings the database to the newest schema. Several hub nodes may start at once: an advisory lock
 * makes one of them migrate while the others wait, then see the finished schema.
 */
export async function migratePg(
  db: PgDatabase,
  now: number,
  steps: readonly PgMigration[] = pgMigrations,
): Promise<{ fromVersion: number; toVersion: number; applied: number[] }> {
  const known = steps.length === 0 ? 0 : steps[steps.length - 1]!.version;
  return db.tx(async (q) => {
    // Held until this transaction ends; 0x62657365 is "bese".
    await q.run('SELECT pg_advisory_xact_lock(1650815845)');
    await q.run(`CREATE TABLE IF NOT EXISTS schema_version (
      version bigint PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`);
    const row = await q.one<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
    const current = row?.v ?? 0;
    if (current > known) throw new PgSchemaTooNewError(current, known);
    const applied: number[] = [];
    for (const step of steps) {
      if (step.version <= current) continue;
      await step.up(q, now);
      await q.run('INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)', [
        step.version,
        step.name,
        now,
      ]);
      applied.push(step.version);
    }
    return { fromVersion: current, toVersion: Math.max(current, known), applied };
  });
}
