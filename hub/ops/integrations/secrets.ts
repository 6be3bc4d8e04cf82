import { randomBytes } from 'node:crypto';
import { hashToken } from '../tokens.ts';

/** What a bot token starts with, so a leaked one is recognisable (and a secret scanner can find it). */
export const botTokenPrefix = 'bot_';

/**
 * A new secret: 256 bits from the CSPRNG as 43 base64url characters (after an optional prefix),
 * and the SHA-256 that is stored instead of it — a copy of the database reveals no usable secret.
 */
export function newSecret(prefix = ''): { secret: string; hash: Buffer } {
  const secret = prefix + randomBytes(32).toString('base64url');
  return { secret, hash: hashToken(secret) };
}

/** The stored form of a secret. */
export function hashSecret(secret: string): Buffer {
  return hashToken(secret);
}

/** Whether a string has the shape of a secret from {@link newSecret} (cheap refusal of junk). */
export function isWellFormedSecret(secret: string, prefix = ''): boolean {
  return secret.startsWith(prefix) && /^[A-Za-z0-9_-]{43}$/.test(secret.slice(prefix.length));
}
