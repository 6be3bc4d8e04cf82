import type { FileRef } from '../../common/protocol/model.ts';
import type { SessionAuth } from './AccountStore.ts';

/** One upload as the hub keeps it: what readers see ({@link FileRef}) plus where its bytes are and whose it is. */
export interface StoredFile extends FileRef {
  /** SHA-256 (hex) of the bytes: the blob's name in the files folder, and the download's ETag. */
  sha256: string;
  /** The preview's blob and media type (images only). */
  previewSha256: string | null;
  previewType: string | null;
  uploaderId: number;
  createdAt: number;
}

/** How much the file store holds: distinct blobs (identical uploads counted once) and upload rows. */
export interface FileUsage {
  /** Bytes of distinct file blobs (previews not counted: small, and made by the hub). */
  bytes: number;
  /** Distinct file blobs. */
  blobs: number;
  /** Upload records (several may share one blob). */
  files: number;
}

/**
 * Metadata of uploaded files, which messages carry them, and the sessions' download keys. The bytes
 * themselves live in a blob store (hub/files/BlobStore.ts); this store only names them by hash.
 * Attaching files to a message happens inside {@link MessageStore.appendBatch}, in its transaction.
 */
export interface FileStore {
  /** Records a finished upload (its blob, and preview blob if any, are already written). */
  insert(file: StoredFile): Promise<void>;
  /** The upload with this id, whoever may read it. */
  get(id: string): Promise<StoredFile | undefined>;
  /**
   * Whether the user may download the file NOW: they uploaded it, or they are a member of a
   * conversation in which a message carrying it was posted (the general room: everyone).
   */
  mayRead(id: string, userId: number): Promise<boolean>;
  /** Bytes the user uploaded at or after `since` (the daily quota). */
  uploadedBytesSince(userId: number, since: number): Promise<number>;
  /** Bytes and counts held (the total limit, /healthz). */
  usage(): Promise<FileUsage>;
  /**
   * Deletes uploads created before `before` that no message carries; returns how many. Their
   * blobs are left for {@link referencedBlobs} and the blob sweep to decide.
   */
  deleteUnattached(before: number): Promise<number>;
  /** Every blob hash some upload still names (file and preview blobs). */
  referencedBlobs(): Promise<Set<string>>;
  /** Records the SHA-256 of a session's download key (the same key every time: idempotent). */
  setSessionFileKey(sessionId: number, keyHash: Buffer): Promise<void>;
  /** The session whose download key has this SHA-256 (revoked ones too), with its account's flags. */
  findSessionByFileKey(keyHash: Buffer): Promise<SessionAuth | undefined>;
}
