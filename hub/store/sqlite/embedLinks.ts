import type { Database } from 'better-sqlite3';
import { statement } from './statement.ts';

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
export function insertEmbedLink(
  db: Database,
  l: { secretHash: Buffer; userId: number; createdBy: number; expiresAt: number },
): number {
  return Number(
    statement(db, 'INSERT INTO embed_links (secret_hash, user_id, created_by, expires_at) VALUES (?, ?, ?, ?)').run(
      l.secretHash,
      l.userId,
      l.createdBy,
      l.expiresAt,
    ).lastInsertRowid,
  );
}

/**
 * Marks a link opened and stores the one-time code it hands out, only if it was neither opened
 * nor expired: the UPDATE's condition makes a second opening (even a concurrent one) fail.
 * Returns the link's user id, or undefined when it cannot be used.
 */
export function openEmbedLink(
  db: Database,
  secretHash: Buffer,
  codeHash: Buffer,
  now: number,
  codeExpiresAt: number,
): number | undefined {
  return statement(
    db,
    `UPDATE embed_links SET opened_at = ?, code_hash = ?, code_expires_at = ?
     WHERE secret_hash = ? AND opened_at IS NULL AND expires_at > ? RETURNING user_id`,
  )
    .pluck()
    .get(now, codeHash, codeExpiresAt, secretHash, now) as number | undefined;
}

/** Marks a code redeemed if it is live; returns the user id it signs in, or undefined. */
export function redeemEmbedCode(db: Database, codeHash: Buffer, now: number): number | undefined {
  return statement(
    db,
    `UPDATE embed_links SET redeemed_at = ?
     WHERE code_hash = ? AND redeemed_at IS NULL AND code_expires_at > ? RETURNING user_id`,
  )
    .pluck()
    .get(now, codeHash, now) as number | undefined;
}

/** Forgets links that expired long ago (they can never be used again). */
export function deleteExpiredEmbedLinks(db: Database, before: number): void {
  statement(
    db,
    'DELETE FROM embed_links WHERE expires_at < ? AND (code_expires_at IS NULL OR code_expires_at < ?)',
  ).run(before, before);
}
