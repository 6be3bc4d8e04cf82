import type { Database } from 'better-sqlite3';
import type { AuditEntry, AuditFilter, AuditRecord, AuditSource, AuditStore } from '../AuditStore.ts';
import { statement } from './statement.ts';

interface AuditRow {
  id: number;
  at: number;
  actor: string;
  source: AuditSource;
  action: string;
  target: string | null;
  detail: string;
}

/** The SQLite {@link AuditStore} over the `audit_log` table (migration 11). */
export function sqliteAuditStore(db: Database): AuditStore {
  return {
    async record(entry: AuditEntry): Promise<number> {
      const info = statement(
        db,
        'INSERT INTO audit_log (at, actor, source, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(entry.at, entry.actor, entry.source, entry.action, entry.target, JSON.stringify(entry.detail));
      return Number(info.lastInsertRowid);
    },

    async list(filter: AuditFilter): Promise<AuditRecord[]> {
      const where: string[] = [];
      const params: (string | number)[] = [];
      const add = (condition: string, ...values: (string | number)[]) => {
        where.push(condition);
        params.push(...values);
      };
      if (filter.since !== undefined) add('at >= ?', filter.since);
      if (filter.until !== undefined) add('at < ?', filter.until);
      if (filter.actor !== undefined) add('actor = ?', filter.actor);
      // A prefix `user.` lists user.add, user.disable, … (substr, not LIKE: no wildcards to escape).
      if (filter.action?.endsWith('.')) add('substr(action, 1, ?) = ?', filter.action.length, filter.action);
      else if (filter.action !== undefined) add('action = ?', filter.action);
      if (filter.target !== undefined) add('target = ?', filter.target);
      if (filter.beforeId !== undefined) add('id < ?', filter.beforeId);
      const sql =
        'SELECT id, at, actor, source, action, target, detail FROM audit_log' +
        (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
        ' ORDER BY id DESC LIMIT ?';
      const rows = statement(db, sql).all(...params, filter.limit) as AuditRow[];
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
