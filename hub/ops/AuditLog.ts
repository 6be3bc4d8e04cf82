import type { AuditEntry, AuditFilter, AuditRecord, AuditSource } from '../store/AuditStore.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';

/** Most entries one `list` answers. */
export const maxAuditPage = 10_000;

/** Argument and result keys whose values are never written to the audit log. */
const secretKeys = new Set(['password', 'token', 'secret', 'csv', 'text', 'generatedPassword', 'authorization']);

/**
 * The audit log (issue 15): who changed which account, bot, hook or room, kept in the database
 * and shown by `beseda-hub audit`. Admin commands are recorded where they run (the admin socket
 * or the CLI's direct path: actor `cli:<os user>`); the operations record changes made through
 * the HTTP API and the apps only when they have an actor, so a CLI change is never written twice.
 * Nothing secret is ever written: {@link auditDetail} drops passwords, tokens, hook secrets, CSV
 * bodies and message texts (counts or lengths instead).
 */
export class AuditLog {
  constructor(private readonly ctx: HubContext) {}

  /** Appends one entry (at: now); a failure is logged, never thrown: the change it describes is done. */
  async record(entry: Omit<AuditEntry, 'at'>): Promise<void> {
    await writeAudit(this.ctx, entry);
  }

  /** Entries matching the filter, newest first (`limit` at most {@link maxAuditPage}). */
  list(filter: AuditFilter): Promise<AuditRecord[]> {
    return this.ctx.store.audit.list({ ...filter, limit: Math.max(1, Math.min(filter.limit, maxAuditPage)) });
  }
}

/** Appends one entry through the store; a failure is logged and swallowed (the change itself is done). */
export async function writeAudit(ctx: HubContext, entry: Omit<AuditEntry, 'at'>): Promise<void> {
  try {
    await ctx.store.audit.record({ ...entry, at: ctx.clock(), detail: auditDetail(entry.detail) });
  } catch (err) {
    ctx.log.error({ err, action: entry.action }, 'could not write the audit log entry');
  }
}

/**
 * Records a change an operation made for `actor` (a person through the app, a bot or a person
 * through the HTTP API). The actor is named by login (`bot:<login>` for a bot), looked up now.
 */
export async function recordAudit(
  ctx: HubContext,
  actor: Actor,
  source: AuditSource,
  action: string,
  target: string | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  let login: string;
  try {
    login = (await ctx.store.accounts.findUserById(actor.userId))?.login ?? `#${actor.userId}`;
  } catch {
    login = `#${actor.userId}`;
  }
  await writeAudit(ctx, { actor: actor.isBot ? `bot:${login}` : login, source, action, target, detail });
}

/** A room as an audit target: `#name`, or `#<id>` for one without a name. */
export function roomTarget(room: { id: number; name: string }): string {
  return room.name ? `#${room.name}` : `#${room.id}`;
}

/**
 * A copy of `detail` fit for the audit log: secret keys dropped at every depth (a CSV body and a
 * text become their line count and length), long strings cut, deep or long structures summarised.
 */
export function auditDetail(detail: Record<string, unknown>): Record<string, unknown> {
  return clean(detail, 0) as Record<string, unknown>;
}

function clean(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (depth >= 3) return '…';
  if (Array.isArray(value))
    return value.length > 50
      ? { count: value.length }
      : value.map((v) => clean(v, depth + 1)).filter((v) => v !== undefined);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (secretKeys.has(key)) {
      if (key === 'csv' && typeof v === 'string') out.csvLines = v.split('\n').filter((l) => l.trim() !== '').length;
      if (key === 'text' && typeof v === 'string') out.textLength = v.length;
      if (key === 'password') out.passwordGiven = typeof v === 'string' && v !== '';
      continue;
    }
    const c = clean(v, depth + 1);
    if (c !== undefined) out[key] = c;
  }
  return out;
}
