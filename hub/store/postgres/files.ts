import type { FileRef } from '../../../common/protocol/model.ts';
import type { StoredFile } from '../FileStore.ts';
import type { PgQueryable } from './PgDatabase.ts';

/**
 * The PostgreSQL twin of sqlite/files.ts: the same functions, async, on a {@link PgQueryable}
 * (the pool, or the caller's transaction — attaching and detaching run inside the message's).
 */

/** A row of the `files` table. */
interface FileRow {
  id: string;
  sha256: string;
  size: number;
  name: string;
  type: string;
  kind: 'image' | 'file';
  width: number | null;
  height: number | null;
  animated: number;
  preview_sha256: string | null;
  preview_type: string | null;
  uploader_id: number;
  created_at: number;
}

/** What readers of a message see of a file (optional fields only when present). */
function toFileRef(row: FileRow): FileRef {
  const ref: FileRef = { id: row.id, name: row.name, size: row.size, type: row.type, kind: row.kind };
  if (row.width !== null) ref.width = row.width;
  if (row.height !== null) ref.height = row.height;
  if (row.animated === 1) ref.animated = true;
  return ref;
}

function toStoredFile(row: FileRow): StoredFile {
  return {
    ...toFileRef(row),
    sha256: row.sha256,
    previewSha256: row.preview_sha256,
    previewType: row.preview_type,
    uploaderId: row.uploader_id,
    createdAt: row.created_at,
  };
}

/** Records one upload. */
export async function insertFile(q: PgQueryable, f: StoredFile): Promise<void> {
  await q.run(
    `INSERT INTO files (id, sha256, size, name, type, kind, width, height, animated, preview_sha256, preview_type, uploader_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      f.id,
      f.sha256,
      f.size,
      f.name,
      f.type,
      f.kind,
      f.width ?? null,
      f.height ?? null,
      f.animated ? 1 : 0,
      f.previewSha256,
      f.previewType,
      f.uploaderId,
      f.createdAt,
    ],
  );
}

/** The upload with this id. */
export async function findFile(q: PgQueryable, id: string): Promise<StoredFile | undefined> {
  const row = await q.one<FileRow>('SELECT * FROM files WHERE id = $1', [id]);
  return row && toStoredFile(row);
}

/** Uploads of `senderId` checked for attaching: their rows, or the first id refused (unknown, or someone else's). */
export type CheckedFiles = { ok: true; rows: readonly unknown[] } | { ok: false; fileId: string };

/** Checks that every id is an upload of `senderId`, before the message is written. */
export async function checkOwnFiles(
  q: PgQueryable,
  senderId: number,
  fileIds: readonly string[],
): Promise<CheckedFiles> {
  const found = await q.all<FileRow>('SELECT * FROM files WHERE id = ANY($1::text[])', [fileIds]);
  const byId = new Map(found.map((row) => [row.id, row]));
  const rows: FileRow[] = [];
  // In the order asked, refusing the first bad id, as SQLite's one-by-one look-ups do.
  for (const id of fileIds) {
    const row = byId.get(id);
    if (!row || row.uploader_id !== senderId) return { ok: false, fileId: id };
    rows.push(row);
  }
  return { ok: true, rows };
}

/** Attaches checked files ({@link checkOwnFiles}) to a stored message, in order; returns their references. */
export async function attachFiles(
  q: PgQueryable,
  seq: number,
  checked: { rows: readonly unknown[] },
): Promise<FileRef[]> {
  const rows = checked.rows as FileRow[];
  if (rows.length > 0)
    await q.run(
      `INSERT INTO message_files (seq, file_id, position)
       SELECT $1, f.id, f.position - 1 FROM unnest($2::text[]) WITH ORDINALITY AS f(id, position)`,
      [seq, rows.map((row) => row.id)],
    );
  return rows.map(toFileRef);
}

const messageFilesSql =
  'SELECT f.* FROM message_files mf JOIN files f ON f.id = mf.file_id WHERE mf.seq = $1 ORDER BY mf.position';

/**
 * The files a message carries, as checked rows for {@link attachFiles}: a forward links the same
 * uploads to its copy (whoever uploaded them; reading follows the conversations that carry them).
 */
export async function filesToForward(q: PgQueryable, seq: number): Promise<{ ok: true; rows: readonly unknown[] }> {
  return { ok: true, rows: await q.all<FileRow>(messageFilesSql, [seq]) };
}

/**
 * Takes a deleted message's files away: its `message_files` rows, then every upload among them
 * that no other message carries. Returns the blob hashes (files and previews) that no upload names
 * any more, for the blob store to remove (identical uploads share one blob, so a blob another
 * upload names stays).
 */
export async function detachDeletedFiles(q: PgQueryable, seq: number): Promise<string[]> {
  const detached = await q.all<{ file_id: string }>('DELETE FROM message_files WHERE seq = $1 RETURNING file_id', [
    seq,
  ]);
  if (detached.length === 0) return [];
  const candidates = new Set<string>();
  for (const id of new Set(detached.map((r) => r.file_id))) {
    const stillCarried = await q.one('SELECT 1 FROM message_files WHERE file_id = $1 LIMIT 1', [id]);
    if (stillCarried) continue;
    const row = await q.one<{ sha256: string; preview_sha256: string | null }>(
      'DELETE FROM files WHERE id = $1 RETURNING sha256, preview_sha256',
      [id],
    );
    if (!row) continue;
    candidates.add(row.sha256);
    if (row.preview_sha256 !== null) candidates.add(row.preview_sha256);
  }
  if (candidates.size === 0) return [];
  const named = await q.all<{ hash: string }>(
    `SELECT h.hash FROM unnest($1::text[]) AS h(hash)
     WHERE EXISTS (SELECT 1 FROM files WHERE sha256 = h.hash) OR EXISTS (SELECT 1 FROM files WHERE preview_sha256 = h.hash)`,
    [[...candidates]],
  );
  const stillNamed = new Set(named.map((r) => r.hash));
  return [...candidates].filter((hash) => !stillNamed.has(hash));
}

/** The files a message carries, in order (empty when none). */
export async function filesOfMessage(q: PgQueryable, seq: number): Promise<FileRef[]> {
  return (await q.all<FileRow>(messageFilesSql, [seq])).map(toFileRef);
}

/** Whether the user uploaded the file or is now a member (people: of the general room too) of a conversation it was posted in. */
export async function mayReadFile(q: PgQueryable, id: string, userId: number): Promise<boolean> {
  const row = await q.one(
    `SELECT 1 FROM files f WHERE f.id = $1 AND (
       f.uploader_id = $2 OR EXISTS (
         SELECT 1 FROM message_files mf
         JOIN messages m ON m.seq = mf.seq
         JOIN conversations c ON c.id = m.conversation_id
         WHERE mf.file_id = f.id AND (
           EXISTS (SELECT 1 FROM members mm WHERE mm.conversation_id = c.id AND mm.user_id = $2)
           OR (c.kind = 'general' AND EXISTS (SELECT 1 FROM users u WHERE u.id = $2 AND u.is_bot = 0))
         )
       )
     )`,
    [id, userId],
  );
  return row !== undefined;
}

/** Bytes the user uploaded at or after `since`. */
export async function uploadedBytesSince(q: PgQueryable, userId: number, since: number): Promise<number> {
  const row = await q.one<{ bytes: number }>(
    'SELECT coalesce(sum(size), 0) AS bytes FROM files WHERE uploader_id = $1 AND created_at >= $2',
    [userId, since],
  );
  return row!.bytes;
}

/** Distinct blob bytes and counts. */
export async function fileUsage(q: PgQueryable): Promise<{ bytes: number; blobs: number; files: number }> {
  const row = await q.one<{ bytes: number; blobs: number; files: number }>(
    `SELECT coalesce(sum(size), 0) AS bytes, count(*) AS blobs, (SELECT count(*) FROM files) AS files
     FROM (SELECT sha256, max(size) AS size FROM files GROUP BY sha256) AS b`,
  );
  return { bytes: row!.bytes, blobs: row!.blobs, files: row!.files };
}

/** Deletes uploads older than `before` that no message carries; returns how many. */
export function deleteUnattachedFiles(q: PgQueryable, before: number): Promise<number> {
  return q.run(
    'DELETE FROM files WHERE created_at < $1 AND NOT EXISTS (SELECT 1 FROM message_files mf WHERE mf.file_id = files.id)',
    [before],
  );
}

/** Every blob hash an upload names. */
export async function referencedBlobs(q: PgQueryable): Promise<Set<string>> {
  const rows = await q.all<{ hash: string }>(
    'SELECT sha256 AS hash FROM files UNION SELECT preview_sha256 FROM files WHERE preview_sha256 IS NOT NULL',
  );
  return new Set(rows.map((r) => r.hash));
}

/**
 * Fills in `files` of the messages that carry some, in one query for the whole page (history and
 * sync pages hold up to 1000 messages). Returns the same array.
 */
export async function withFiles<T extends { seq: number; files?: FileRef[] }>(
  q: PgQueryable,
  messages: T[],
): Promise<T[]> {
  if (messages.length === 0) return messages;
  const rows = await q.all<FileRow & { message_seq: number }>(
    `SELECT mf.seq AS message_seq, f.* FROM message_files mf JOIN files f ON f.id = mf.file_id
     WHERE mf.seq = ANY($1::bigint[]) ORDER BY mf.seq, mf.position`,
    [messages.map((m) => m.seq)],
  );
  if (rows.length === 0) return messages;
  const bySeq = new Map<number, FileRef[]>();
  for (const row of rows) {
    let list = bySeq.get(row.message_seq);
    if (!list) bySeq.set(row.message_seq, (list = []));
    list.push(toFileRef(row));
  }
  for (const message of messages) {
    const files = bySeq.get(message.seq);
    if (files) message.files = files;
  }
  return messages;
}
