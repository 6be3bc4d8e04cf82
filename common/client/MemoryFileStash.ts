import type { FileStash } from './FileStash.ts';

/**
 * A {@link FileStash} in memory: for hosts without durable storage (files then do not survive a
 * restart of the app, text still does) and for tests.
 */
export class MemoryFileStash implements FileStash {
  private readonly files = new Map<string, Uint8Array>();

  async put(localId: string, bytes: Uint8Array): Promise<void> {
    // A copy: the caller's buffer may be reused or transferred.
    this.files.set(localId, bytes.slice());
  }

  async get(localId: string): Promise<Uint8Array | null> {
    return this.files.get(localId) ?? null;
  }

  async delete(localId: string): Promise<void> {
    this.files.delete(localId);
  }

  async list(): Promise<string[]> {
    return [...this.files.keys()];
  }

  async clear(): Promise<void> {
    this.files.clear();
  }
}
