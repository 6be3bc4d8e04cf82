import type { PgQueryable } from './PgDatabase.ts';

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
export async function insertBot(
  q: PgQueryable,
  b: { userId: number; tokenHash: Buffer; canEmbed: boolean; canManageUsers: boolean; now: number },
): Promise<void> {
  await q.run(
    `INSERT INTO bots (user_id, token_hash, can_embed, can_manage_users, created_at, token_issued_at)
     VALUES ($1, $2, $3, $4, $5, $5)`,
    [b.userId, b.tokenHash, b.canEmbed ? 1 : 0, b.canManageUsers ? 1 : 0, b.now],
  );
}

/** The bot holding this token hash (revoked tokens are not stored, so they are not found). */
export function findBotByTokenHash(q: PgQueryable, tokenHash: Buffer): Promise<BotRow | undefined> {
  return q.one<BotRow>(`${select} WHERE b.token_hash = $1`, [tokenHash]);
}

/** The bot with this account login. */
export function findBotByLogin(q: PgQueryable, login: string): Promise<BotRow | undefined> {
  return q.one<BotRow>(`${select} WHERE u.login = $1`, [login]);
}

/** The bot with this account id. */
export function findBotByUserId(q: PgQueryable, userId: number): Promise<BotRow | undefined> {
  return q.one<BotRow>(`${select} WHERE b.user_id = $1`, [userId]);
}

/** Every bot with a token of its own (hooks' identities are plain bot accounts, listed with the hooks). */
export function listBots(q: PgQueryable): Promise<BotRow[]> {
  // COLLATE "C": SQLite orders text by bytes; the database's default collation may not.
  return q.all<BotRow>(`${select} ORDER BY u.login COLLATE "C"`);
}

/** The rooms (general, open, closed) a user is a member of, by name. */
export function roomsOf(q: PgQueryable, userId: number): Promise<{ id: number; name: string }[]> {
  return q.all<{ id: number; name: string }>(
    `SELECT c.id, c.name FROM members m JOIN conversations c ON c.id = m.conversation_id
     WHERE m.user_id = $1 AND c.kind <> 'direct' ORDER BY c.id`,
    [userId],
  );
}

/** Grants (never withdraws) a bot's rights. */
export async function grantBotRights(
  q: PgQueryable,
  userId: number,
  r: { canEmbed: boolean; canManageUsers: boolean },
): Promise<void> {
  await q.run(
    'UPDATE bots SET can_embed = GREATEST(can_embed, $1), can_manage_users = GREATEST(can_manage_users, $2) WHERE user_id = $3',
    [r.canEmbed ? 1 : 0, r.canManageUsers ? 1 : 0, userId],
  );
}

/** Replaces a bot's token (a rotation) and clears any revocation. */
export async function setBotToken(q: PgQueryable, userId: number, tokenHash: Buffer, now: number): Promise<void> {
  await q.run('UPDATE bots SET token_hash = $1, token_issued_at = $2, revoked_at = NULL WHERE user_id = $3', [
    tokenHash,
    now,
    userId,
  ]);
}

/** Forgets a bot's token: it stops working at once. */
export async function revokeBotToken(q: PgQueryable, userId: number, now: number): Promise<void> {
  await q.run('UPDATE bots SET token_hash = NULL, revoked_at = $1 WHERE user_id = $2', [now, userId]);
}
