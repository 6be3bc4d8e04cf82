import { createHash } from 'node:crypto';
import { readFileSync, type Stats } from 'node:fs';

/** Files up to this size get an ETag from their content; larger ones from size and time (no long read). */
const hashLimit = 8 * 1024 * 1024;
/** The cache holds one entry per served file of the web client; this only stops it growing without end. */
const cacheLimit = 4096;

interface Entry {
  size: number;
  mtimeMs: number;
  ino: number;
  etag: string;
}

const cache = new Map<string, Entry>();

/**
 * A strong ETag for the file at `file` (already `stat`ed): a hash of its bytes, so the same
 * build gives the same tag on every hub and after a reinstall, and each precompressed sibling
 * (different bytes) has its own — a strong tag must differ between content codings. Computed
 * once per file version (path, size, mtime, inode) and remembered.
 */
export function fileEtag(file: string, stat: Stats): string {
  const known = cache.get(file);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.ino === stat.ino) return known.etag;
  const etag =
    stat.size <= hashLimit
      ? `"${createHash('sha256').update(readFileSync(file)).digest('base64url').slice(0, 27)}"`
      : `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, ino: stat.ino, etag });
  return etag;
}

/**
 * Whether an `If-None-Match` header matches `etag` (RFC 9110 13.1.2: weak comparison, so a
 * `W/` prefix a proxy added still matches; `*` matches any current representation).
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === etag);
}
