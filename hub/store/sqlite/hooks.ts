import type { Database } from 'better-sqlite3';
import { statement } from './statement.ts';

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

/** Stores a hook under the SHA-256 of its secret; returns its id. */
export function insertHook(
  db: Database,
  h: { secretHash: Buffer; botId: number; conversationId: number; name: string; allowOverride: boolean; now: number },
): number {
  return Number(
    statement(
      db,
      `INSERT INTO hooks (secret_hash, bot_id, conversation_id, name, allow_override, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(h.secretHash, h.botId, h.conversationId, h.name, h.allowOverride ? 1 : 0, h.now).lastInsertRowid,
  );
}

/** The live (not revoked) hook with this secret hash. */
export function findLiveHookBySecretHash(db: Database, secretHash: Buffer): HookRow | undefined {
  return statement(db, `${select} WHERE h.secret_hash = ? AND h.revoked_at IS NULL`).get(secretHash) as
    HookRow | undefined;
}

/** The hook with this id. */
export function findHook(db: Database, id: number): HookRow | undefined {
  return statement(db, `${select} WHERE h.id = ?`).get(id) as HookRow | undefined;
}

/** Every hook, revoked ones too. */
export function listHooks(db: Database): HookRow[] {
  return statement(db, `${select} ORDER BY h.id`).all() as HookRow[];
}

/** The next free id, used to name a new hook's bot account. */
export function nextHookId(db: Database): number {
  return (statement(db, 'SELECT coalesce(max(id), 0) + 1 FROM hooks').pluck().get() as number) ?? 1;
}

/** Revokes a hook; returns whether it was live. */
export function revokeHook(db: Database, id: number, now: number): boolean {
  return statement(db, 'UPDATE hooks SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
}
