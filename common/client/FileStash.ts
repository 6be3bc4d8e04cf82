/**
 * Where the outbox keeps the bytes of files the user attached until the hub has stored the
 * message (web: IndexedDB, desktop: a folder in the app's own data, tests: a folder or memory).
 * Keys are the outbox's local file ids. A `put` must be durable when its promise resolves: the
 * outbox saves the entry that refers to it only after that, so a restart finds the bytes again.
 */
export interface FileStash {
  put(localId: string, bytes: Uint8Array): Promise<void>;
  /** The bytes, or null when there is nothing under this id (deleted, or the stash was wiped). */
  get(localId: string): Promise<Uint8Array | null>;
  /** Removes one file; removing a missing one is not an error. */
  delete(localId: string): Promise<void>;
  /** Every id stored (to drop bytes no saved entry refers to, e.g. after a crash between put and save). */
  list(): Promise<string[]>;
  /** Removes everything (sign-out, or another account signs in on this device). */
  clear(): Promise<void>;
}
