import type { FileRef } from '../../common/protocol/model.ts';
import type { FileVariant } from '../../common/protocol/fileUrls.ts';
import type { CopiedBlobs } from '../files/BlobStore.ts';
import type { Actor } from './Hub.ts';

/** One upload as the HTTP route hands it over: the body is streamed, never buffered. */
export interface UploadInput {
  /** The file's name (`?name=`), null when missing. */
  name: string | null;
  /** The uploader's Content-Type (a hint only: the bytes decide what the hub serves). */
  declaredType: string;
  /** Content-Length, or null for a chunked body. */
  length: number | null;
  body: AsyncIterable<Uint8Array>;
  /** Called once the upload is accepted, before the body is read (HTTP: `100 Continue`). */
  beforeBody?: () => void;
}

/** A file ready to be served: where its bytes are and what to call them. */
export interface OpenedFile {
  file: FileRef;
  /** The blob on disk (immutable). */
  path: string;
  size: number;
  /** The Content-Type to serve it as (already made safe for the variant). */
  type: string;
  /** SHA-256 of the bytes served (the strong ETag). */
  sha256: string;
}

/** File storage use, for /healthz and the admin CLI. */
export interface FileStorageHealth {
  bytes: number;
  blobs: number;
  files: number;
  /** IT's total limit (`filesMaxTotalBytes`), null when none. */
  maxTotalBytes: number | null;
  /** When a blob write last failed for a full disk, until a write succeeds again. */
  fullSince: number | null;
}

/** What an orphan collection removed. */
export interface CollectReport {
  /** Upload records never attached to a message. */
  files: number;
  /** Blobs no upload names any more, and their bytes. */
  blobs: number;
  bytes: number;
}

/**
 * Uploaded files (docs/protocol.md, "Files"): upload, authorised download, the sessions'
 * read-only download keys, orphan collection and backups of the blobs. Every method checks that
 * the actor may do it and throws HubError for expected failures.
 */
export interface HubFiles {
  /** Streams an upload into the blob store and records it; answers what readers will see. */
  upload(actor: Actor, input: UploadInput): Promise<FileRef>;
  /** A file the actor may read NOW, as the variant asks; `not_found` for unknown and not allowed alike. */
  open(actor: Actor, fileId: string, variant: FileVariant): Promise<OpenedFile>;
  /** The session's download key (derived from its token, so every connection gets the same key). */
  fileKey(actor: Actor, token: string): Promise<string>;
  /** The actor of a live session with this download key, or null. */
  authenticateKey(key: string): Promise<Actor | null>;
  /**
   * Removes these blobs from disk now unless an upload names them (again) or is writing them: the
   * files and previews a deleted message freed (the store's `freedBlobs`).
   */
  releaseBlobs(sha256s: readonly string[]): Promise<void>;
  /** Removes uploads unattached for `unattachedForMs` (default 24 h) and blobs nothing names. */
  collect(unattachedForMs?: number): Promise<CollectReport>;
  health(): Promise<FileStorageHealth>;
  /**
   * Copies every blob into `dir` (beside a database backup): hard links where the disk allows,
   * else links to the same blob in `reuseFrom` (the newest earlier backup's files folder) once
   * checked, else copies.
   */
  backupBlobs(dir: string, reuseFrom?: string | null): Promise<CopiedBlobs>;
  /** Stops the periodic sweep. */
  close(): Promise<void>;
}
