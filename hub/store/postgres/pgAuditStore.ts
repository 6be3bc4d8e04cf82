import type { AuditEntry, AuditFilter, AuditRecord, AuditSource, AuditStore } from '../AuditStore.ts';
import type { PgDatabase } from './PgDatabase.ts';

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  source: AuditSource;
  action: string;
  target: string | null;
  detail: string;
}

/** The PostgreSQL {@link AuditStore} over the `audit_log` table. */
export function pgAuditStore(db: PgDatabase): AuditStore {
  return {
    async record(entry: AuditEntry): Promise<number> {
      const row = await db.one<{ id: number }>(
        'INSERT INTO audit_log (at, actor, source, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [entry.at, entry.actor, entry.source, entry.action, entry.target, JSON.stringify(entry.detail)],
      );
      return row!.id;
    },

    async list(filter: AuditFilter): Promise<AuditRecord[]> {
      const where: string[] = [];
      const params: (string | number)[] = [];
      // Each value gets the next $n; a condition names its values by the numbers it is given.
      const add = (condition: (...n: string[]) => string, ...values: (string | number)[]) => {
        const refs = values.map((v) => {
          params.push(v);
          return `$${params.length}`;
        });
        where.push(condition(...refs));
      };
      if (filter.since !== undefined) add((a) => `at >= ${a}`, filter.since);
      if (filter.until !== undefined) add((a) => `at < ${a}`, filter.until);
      if (filter.actor !== undefined) add((a) => `actor = ${a}`, filter.actor);
      // A prefix `user.` lists user.add, user.disable, … (left(), not LIKE: no wildcards to escape).
      if (filter.action?.endsWith('.'))
        add((n, a) => `left(action, ${n}::integer) = ${a}`, filter.action.length, filter.action);
      else if (filter.action !== undefined) add((a) => `action = ${a}`, filter.action);
      if (filter.target !== undefined) add((a) => `target = ${a}`, filter.target);
      if (filter.beforeId !== undefined) add((a) => `id < ${a}`, filter.beforeId);
      params.push(filter.limit);
      const sql =
        'SELECT id, at, actor, source, action, target, detail FROM audit_log' +
        (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
        ` ORDER BY id DESC LIMIT $${params.length}`;
      const rows = await db.all<AuditRow>(sql, params);
      return rows.map((r) => ({ ...r, detail: parseDetail(r.detail) }));
    },
  };
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
