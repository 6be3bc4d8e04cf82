import { createHash, randomBytes } from 'node:crypto';

/** A new session token (32 bytes from the CSPRNG, base64url) and the hash that is stored. */
export function newToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** The SHA-256 of a token: only this is stored, so a database copy cannot be used to sign in. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Whether a string looks like a token this hub issues (43 base64url characters). */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
