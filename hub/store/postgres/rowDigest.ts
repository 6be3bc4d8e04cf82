import { createHash, type Hash } from 'node:crypto';
import type { CopyValue } from '../TableSource.ts';

/**
 * One value written the same way whichever store it came from: integers as decimal (a bigint
 * from either driver and an integral number are one thing), other numbers as JavaScript's
 * shortest exact form, text with its UTF-8 length first (so no text can imitate a value boundary),
 * bytes as hex, null as itself. Each value ends with ';'.
 */
export function encodeValue(value: CopyValue): string {
  if (value === null) return 'n;';
  if (typeof value === 'bigint') return `i${value};`;
  if (typeof value === 'number') return Number.isInteger(value) ? `i${value};` : `r${value};`;
  if (typeof value === 'string') return `t${Buffer.byteLength(value)}:${value};`;
  return `b${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')};`;
}

/**
 * The checksum of a table as `migrate-store` compares it: SHA-256 over its rows in primary-key
 * order, each row the encoded values of its columns (encodeValue) and a newline, with the number
 * of rows. Fed from SQLite and from PostgreSQL by the same code, so equal digests mean equal rows.
 */
export class RowDigest {
  rows = 0;
  private readonly hash: Hash = createHash('sha256');

  add(row: readonly CopyValue[]): void {
    this.rows++;
    this.hash.update(row.map(encodeValue).join('') + '\n');
  }

  /** The SHA-256 in hex; the digest is finished (call once). */
  hex(): string {
    return this.hash.digest('hex');
  }
}
