import type { Database } from 'better-sqlite3';
import { statement } from './statement.ts';

/** A bot (integration identity) joined with its account. */
export interface BotRow {
  user_id: number;
  login: string;
  name: string;
  disabled: number;
  token_hash: Buffer | null;
  can_embed: number;
  can_manage_users: number;
  created_at: number;
  token_issued_at: number | null;
  revoked_at: number | null;
  callback_url: string | null;
}

const select = `SELECT b.user_id, u.login, u.name, u.disabled, b.token_hash, b.can_embed, b.can_manage_users, b.created_at,
  b.token_issued_at, b.revoked_at, b.callback_url FROM bots b JOIN users u ON u.id = b.user_id`;

/** Records that an account is a bot with this token. */
export function insertBot(
  db: Database,
  b: { userId: number; tokenHash: Buffer; canEmbed: boolean; canManageUsers: boolean; now: number },
): void {
  statement(
    db,
    `INSERT INTO bots (user_id, token_hash, can_embed, can_manage_users, created_at, token_issued_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(b.userId, b.tokenHash, b.canEmbed ? 1 : 0, b.canManageUsers ? 1 : 0, b.now, b.now);
}

/** The bot holding this token hash (revoked tokens are not stored, so they are not found). */
export function findBotByTokenHash(db: Database, tokenHash: Buffer): BotRow | undefined {
  return statement(db, `${select} WHERE b.token_hash = ?`).get(tokenHash) as BotRow | undefined;
}

/** The bot with this account login. */
export function findBotByLogin(db: Database, login: string): BotRow | undefined {
  return statement(db, `${select} WHERE u.login = ?`).get(login) as BotRow | undefined;
}

/** The bot with this account id. */
export function findBotByUserId(db: Database, userId: number): BotRow | undefined {
  return statement(db, `${select} WHERE b.user_id = ?`).get(userId) as BotRow | undefined;
}

/** Every bot with a token of its own (hooks' identities are plain bot accounts, listed with the hooks). */
export function listBots(db: Database): BotRow[] {
  return statement(db, `${select} ORDER BY u.login`).all() as BotRow[];
}

/** The rooms (general, open, closed) a user is a member of, by name. */
export function roomsOf(db: Database, userId: number): { id: number; name: string }[] {
  return statement(
    db,
    `SELECT c.id, c.name FROM members m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.user_id = ? AND c.kind <> 'direct' ORDER BY c.id`,
  ).all(userId) as { id: number; name: string }[];
}

/** Grants (never withdraws) a bot's rights. */
export function grantBotRights(db: Database, userId: number, r: { canEmbed: boolean; canManageUsers: boolean }): void {
  statement(
    db,
    'UPDATE bots SET can_embed = max(can_embed, ?), can_manage_users = max(can_manage_users, ?) WHERE user_id = ?',
  ).run(r.canEmbed ? 1 : 0, r.canManageUsers ? 1 : 0, userId);
}

/** Replaces a bot's token (a rotation) and clears any revocation. */
export function setBotToken(db: Database, userId: number, tokenHash: Buffer, now: number): void {
  statement(db, 'UPDATE bots SET token_hash = ?, token_issued_at = ?, revoked_at = NULL WHERE user_id = ?').run(
    tokenHash,
    now,
    userId,
  );
}

/** Forgets a bot's token: it stops working at once. */
export function revokeBotToken(db: Database, userId: number, now: number): void {
  statement(db, 'UPDATE bots SET token_hash = NULL, revoked_at = ? WHERE user_id = ?').run(now, userId);
}
