import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

/** OWASP's scrypt cost for password storage: N = 2^17, r = 8, p = 1. */
export const defaultScryptN = 2 ** 17;
const r = 8;
const p = 1;
const keyLength = 32;
const saltLength = 16;
/** Refuse to verify against absurd stored costs (a damaged database must not hang the hub). */
const maxStoredN = 2 ** 22;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** scrypt needs about 128·N·r bytes; the default 32 MiB cap is too small for N = 2^17. */
function maxmemFor(n: number, rr: number): number {
  return Math.max(256 * 1024 * 1024, 2 * 128 * n * rr);
}

/**
 * Hashes a password with scrypt and a random 16-byte salt, encoded with its parameters as
 * `scrypt$N$r$p$salt$hash` (base64url), so raising the cost later still verifies old hashes.
 */
export async function hashPassword(password: string, n: number): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await scryptAsync(password, salt, { N: n, r, p, maxmem: maxmemFor(n, r) });
  return ['scrypt', n, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against an encoded hash in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, rr, pp] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const valid = (x: number, max: number) => Number.isSafeInteger(x) && x >= 1 && x <= max;
  if (!valid(n, maxStoredN) || !valid(rr, 64) || !valid(pp, 16)) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length === 0) return false;
  const key = await new Promise<Buffer>((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      expected.length,
      { N: n, r: rr, p: pp, maxmem: maxmemFor(n, rr) },
      (err, k) => (err ? reject(err) : resolve(k)),
    );
  });
  return timingSafeEqual(key, expected);
}

// No 0/O, 1/l/I: the password is read aloud or copied from a screen by IT staff.
const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password of 20 characters (about 116 bits) from the CSPRNG. */
export function generatePassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
