import type { PgQueryable } from './PgDatabase.ts';

/** A one-time embed link. */
export interface EmbedLinkRow {
  id: number;
  user_id: number;
  expires_at: number;
  opened_at: number | null;
  code_expires_at: number | null;
  redeemed_at: number | null;
}

/** Stores a new link under the SHA-256 of its secret. */
export async function insertEmbedLink(
  q: PgQueryable,
  l: { secretHash: Buffer; userId: number; createdBy: number; expiresAt: number },
): Promise<number> {
  const row = await q.one<{ id: number }>(
    'INSERT INTO embed_links (secret_hash, user_id, created_by, expires_at) VALUES ($1, $2, $3, $4) RETURNING id',
    [l.secretHash, l.userId, l.createdBy, l.expiresAt],
  );
  return row!.id;
}

/**
 * Marks a link opened and stores the one-time code it hands out, only if it was neither opened
 * nor expired: the UPDATE's condition makes a second opening (even a concurrent one: it waits for
 * the first's row lock, then re-checks the condition on the committed row) fail.
 * Returns the link's user id, or undefined when it cannot be used.
 */
export async function openEmbedLink(
  q: PgQueryable,
  secretHash: Buffer,
  codeHash: Buffer,
  now: number,
  codeExpiresAt: number,
): Promise<number | undefined> {
  const row = await q.one<{ user_id: number }>(
    `UPDATE embed_links SET opened_at = $1, code_hash = $2, code_expires_at = $3
     WHERE secret_hash = $4 AND opened_at IS NULL AND expires_at > $1 RETURNING user_id`,
    [now, codeHash, codeExpiresAt, secretHash],
  );
  return row?.user_id;
}

/** Marks a code redeemed if it is live; returns the user id it signs in, or undefined. */
export async function redeemEmbedCode(q: PgQueryable, codeHash: Buffer, now: number): Promise<number | undefined> {
  const row = await q.one<{ user_id: number }>(
    `UPDATE embed_links SET redeemed_at = $1
     WHERE code_hash = $2 AND redeemed_at IS NULL AND code_expires_at > $1 RETURNING user_id`,
    [now, codeHash],
  );
  return row?.user_id;
}

/** Forgets links that expired long ago (they can never be used again). */
export async function deleteExpiredEmbedLinks(q: PgQueryable, before: number): Promise<void> {
  await q.run('DELETE FROM embed_links WHERE expires_at < $1 AND (code_expires_at IS NULL OR code_expires_at < $1)', [
    before,
  ]);
}
