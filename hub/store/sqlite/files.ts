import type { Database } from 'better-sqlite3';
import type { FileRef } from '../../../common/protocol/model.ts';
import type { StoredFile } from '../FileStore.ts';
import { statement } from './statement.ts';

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
export function insertFile(db: Database, f: StoredFile): void {
  statement(
    db,
    `INSERT INTO files (id, sha256, size, name, type, kind, width, height, animated, preview_sha256, preview_type, uploader_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
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
  );
}

/** The upload with this id. */
export function findFile(db: Database, id: string): StoredFile | undefined {
  const row = statement(db, 'SELECT * FROM files WHERE id = ?').get(id) as FileRow | undefined;
  return row && toStoredFile(row);
}

/** Uploads of `senderId` checked for attaching: their rows, or the first id refused (unknown, or someone else's). */
export type CheckedFiles = { ok: true; rows: readonly unknown[] } | { ok: false; fileId: string };

/** Checks that every id is an upload of `senderId`, before the message is written. */
export function checkOwnFiles(db: Database, senderId: number, fileIds: readonly string[]): CheckedFiles {
  const rows: FileRow[] = [];
  for (const id of fileIds) {
    const row = statement(db, 'SELECT * FROM files WHERE id = ?').get(id) as FileRow | undefined;
    if (!row || row.uploader_id !== senderId) return { ok: false, fileId: id };
    rows.push(row);
  }
  return { ok: true, rows };
}

/** Attaches checked files ({@link checkOwnFiles}) to a stored message, in order; returns their references. */
export function attachFiles(db: Database, seq: number, checked: { rows: readonly unknown[] }): FileRef[] {
  const rows = checked.rows as FileRow[];
  const insert = statement(db, 'INSERT INTO message_files (seq, file_id, position) VALUES (?, ?, ?)');
  rows.forEach((row, position) => insert.run(seq, row.id, position));
  return rows.map(toFileRef);
}

/**
 * The files a message carries, as checked rows for {@link attachFiles}: a forward links the same
 * uploads to its copy (whoever uploaded them; reading follows the conversations that carry them).
 */
export function filesToForward(db: Database, seq: number): { ok: true; rows: readonly unknown[] } {
  const rows = statement(
    db,
    'SELECT f.* FROM message_files mf JOIN files f ON f.id = mf.file_id WHERE mf.seq = ? ORDER BY mf.position',
  ).all(seq) as FileRow[];
  return { ok: true, rows };
}

/**
 * Takes a deleted message's files away: its `message_files` rows, then every upload among them
 * that no other message carries. Returns the blob hashes (files and previews) that no upload names
 * any more, for the blob store to remove (identical uploads share one blob, so a blob another
 * upload names stays).
 */
export function detachDeletedFiles(db: Database, seq: number): string[] {
  const ids = statement(db, 'SELECT file_id FROM message_files WHERE seq = ?').pluck().all(seq) as string[];
  if (ids.length === 0) return [];
  statement(db, 'DELETE FROM message_files WHERE seq = ?').run(seq);
  const candidates = new Set<string>();
  for (const id of new Set(ids)) {
    const stillCarried = statement(db, 'SELECT 1 FROM message_files WHERE file_id = ? LIMIT 1').get(id) !== undefined;
    if (stillCarried) continue;
    const row = statement(db, 'DELETE FROM files WHERE id = ? RETURNING sha256, preview_sha256').get(id) as
      { sha256: string; preview_sha256: string | null } | undefined;
    if (!row) continue;
    candidates.add(row.sha256);
    if (row.preview_sha256 !== null) candidates.add(row.preview_sha256);
  }
  const named = statement(
    db,
    'SELECT EXISTS (SELECT 1 FROM files WHERE sha256 = @hash) OR EXISTS (SELECT 1 FROM files WHERE preview_sha256 = @hash)',
  ).pluck();
  return [...candidates].filter((hash) => named.get({ hash }) === 0);
}

/** The files a message carries, in order (empty when none). */
export function filesOfMessage(db: Database, seq: number): FileRef[] {
  const rows = statement(
    db,
    'SELECT f.* FROM message_files mf JOIN files f ON f.id = mf.file_id WHERE mf.seq = ? ORDER BY mf.position',
  ).all(seq) as FileRow[];
  return rows.map(toFileRef);
}

/** Whether the user uploaded the file or is now a member (people: of the general room too) of a conversation it was posted in. */
export function mayReadFile(db: Database, id: string, userId: number): boolean {
  const row = statement(
    db,
    `SELECT 1 FROM files f WHERE f.id = @id AND (
       f.uploader_id = @user OR EXISTS (
         SELECT 1 FROM message_files mf
         JOIN messages m ON m.seq = mf.seq
         JOIN conversations c ON c.id = m.conversation_id
         WHERE mf.file_id = f.id AND (
           EXISTS (SELECT 1 FROM members mm WHERE mm.conversation_id = c.id AND mm.user_id = @user)
           OR (c.kind = 'general' AND EXISTS (SELECT 1 FROM users u WHERE u.id = @user AND u.is_bot = 0))
         )
       )
     )`,
  ).get({ id, user: userId });
  return row !== undefined;
}

/** Bytes the user uploaded at or after `since`. */
export function uploadedBytesSince(db: Database, userId: number, since: number): number {
  return statement(db, 'SELECT coalesce(sum(size), 0) FROM files WHERE uploader_id = ? AND created_at >= ?')
    .pluck()
    .get(userId, since) as number;
}

/** Distinct blob bytes and counts. */
export function fileUsage(db: Database): { bytes: number; blobs: number; files: number } {
  const blobs = statement(
    db,
    'SELECT coalesce(sum(size), 0) AS bytes, count(*) AS blobs FROM (SELECT sha256, max(size) AS size FROM files GROUP BY sha256)',
  ).get() as { bytes: number; blobs: number };
  const files = statement(db, 'SELECT count(*) FROM files').pluck().get() as number;
  return { bytes: blobs.bytes, blobs: blobs.blobs, files };
}

/** Deletes uploads older than `before` that no message carries; returns how many. */
export function deleteUnattachedFiles(db: Database, before: number): number {
  return statement(
    db,
    'DELETE FROM files WHERE created_at < ? AND NOT EXISTS (SELECT 1 FROM message_files mf WHERE mf.file_id = files.id)',
  ).run(before).changes;
}

/** Every blob hash an upload names. */
export function referencedBlobs(db: Database): Set<string> {
  const hashes = statement(
    db,
    'SELECT sha256 FROM files UNION SELECT preview_sha256 FROM files WHERE preview_sha256 IS NOT NULL',
  )
    .pluck()
    .all() as string[];
  return new Set(hashes);
}

/**
 * Fills in `files` of the messages that carry some, in one query for the whole page (history and
 * sync pages hold up to 1000 messages). Returns the same array.
 */
export function withFiles<T extends { seq: number; files?: FileRef[] }>(db: Database, messages: T[]): T[] {
  if (messages.length === 0) return messages;
  const rows = statement(
    db,
    `SELECT mf.seq AS message_seq, f.* FROM message_files mf JOIN files f ON f.id = mf.file_id
     WHERE mf.seq IN (SELECT value FROM json_each(?)) ORDER BY mf.seq, mf.position`,
  ).all(JSON.stringify(messages.map((m) => m.seq))) as (FileRow & { message_seq: number })[];
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
