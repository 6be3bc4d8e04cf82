import type { PgQueryable } from './PgDatabase.ts';

/** An incoming webhook joined with its room and bot account. */
export interface HookRow {
  id: number;
  bot_id: number;
  bot_login: string;
  conversation_id: number;
  room_name: string;
  name: string;
  allow_override: number;
  created_at: number;
  revoked_at: number | null;
}

const select = `SELECT h.id, h.bot_id, u.login AS bot_login, h.conversation_id, c.name AS room_name, h.name,
  h.allow_override, h.created_at, h.revoked_at
  FROM hooks h JOIN users u ON u.id = h.bot_id JOIN conversations c ON c.id = h.conversation_id`;

/**
 * Stores a hook under the SHA-256 of its secret with the id `nextHookId` gave; returns it. The id
 * is given, not drawn from the identity: SQLite's new rowid is max(id) + 1, which the hook's bot
 * (`hook-N`) is named after, and a sequence skips numbers after a rollback. Two concurrent calls
 * with the same id: the second fails the primary key and is retried (integrationTx).
 */
export async function insertHook(
  q: PgQueryable,
  h: {
    id: number;
    secretHash: Buffer;
    botId: number;
    conversationId: number;
    name: string;
    allowOverride: boolean;
    now: number;
  },
): Promise<number> {
  const row = await q.one<{ id: number }>(
    `INSERT INTO hooks (id, secret_hash, bot_id, conversation_id, name, allow_override, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [h.id, h.secretHash, h.botId, h.conversationId, h.name, h.allowOverride ? 1 : 0, h.now],
  );
  return row!.id;
}

/** The live (not revoked) hook with this secret hash. */
export function findLiveHookBySecretHash(q: PgQueryable, secretHash: Buffer): Promise<HookRow | undefined> {
  return q.one<HookRow>(`${select} WHERE h.secret_hash = $1 AND h.revoked_at IS NULL`, [secretHash]);
}

/** The hook with this id. */
export function findHook(q: PgQueryable, id: number): Promise<HookRow | undefined> {
  return q.one<HookRow>(`${select} WHERE h.id = $1`, [id]);
}

/** Every hook, revoked ones too. */
export function listHooks(q: PgQueryable): Promise<HookRow[]> {
  return q.all<HookRow>(`${select} ORDER BY h.id`);
}

/** The next free id, used to name a new hook's bot account. */
export async function nextHookId(q: PgQueryable): Promise<number> {
  const row = await q.one<{ n: number }>('SELECT coalesce(max(id), 0) + 1 AS n FROM hooks');
  return row?.n ?? 1;
}

/** Revokes a hook; returns whether it was live. */
export async function revokeHook(q: PgQueryable, id: number, now: number): Promise<boolean> {
  return (await q.run('UPDATE hooks SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id])) > 0;
}
