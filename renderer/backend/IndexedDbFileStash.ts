import type { FileStash } from '../../common/client/FileStash.ts';
import { MemoryFileStash } from '../../common/client/MemoryFileStash.ts';

const dbName = 'beseda-outbox-files';
const storeName = 'files';

/** A request's result as a promise. */
function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** A transaction's end: its changes are committed (and, asked for `strict` durability, on disk). */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/**
 * The outbox's files in the web client: IndexedDB in this browser profile, one Blob per file
 * (browsers keep large blobs as files, not in memory), written with `strict` durability so a
 * file is on disk before the message counts as kept. A browser that refuses IndexedDB (some
 * private modes) gets memory instead: files are still sent, but do not survive a reload.
 */
export class IndexedDbFileStash implements FileStash {
  private db: Promise<IDBDatabase | null> | null = null;
  private readonly fallback = new MemoryFileStash();

  constructor(private readonly idb: IDBFactory | undefined = globalThis.indexedDB) {}

  async put(localId: string, bytes: Uint8Array): Promise<void> {
    const db = await this.open();
    if (!db) return this.fallback.put(localId, bytes);
    const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
    tx.objectStore(storeName).put(new Blob([bytes as Uint8Array<ArrayBuffer>]), localId);
    await committed(tx);
  }

  async get(localId: string): Promise<Uint8Array | null> {
    const db = await this.open();
    if (!db) return this.fallback.get(localId);
    const value = await done(db.transaction(storeName, 'readonly').objectStore(storeName).get(localId));
    if (value instanceof Blob) return new Uint8Array(await value.arrayBuffer());
    return value instanceof Uint8Array ? value : null;
  }

  async delete(localId: string): Promise<void> {
    await this.write(
      (store) => store.delete(localId),
      () => this.fallback.delete(localId),
    );
  }

  async list(): Promise<string[]> {
    const db = await this.open();
    if (!db) return this.fallback.list();
    const keys = await done(db.transaction(storeName, 'readonly').objectStore(storeName).getAllKeys());
    return keys.filter((k): k is string => typeof k === 'string');
  }

  async clear(): Promise<void> {
    await this.write(
      (store) => store.clear(),
      () => this.fallback.clear(),
    );
  }

  private async write(change: (store: IDBObjectStore) => void, instead: () => Promise<void>): Promise<void> {
    const db = await this.open();
    if (!db) return instead();
    const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
    change(tx.objectStore(storeName));
    await committed(tx);
  }

  private open(): Promise<IDBDatabase | null> {
    this.db ??= this.connect().catch((err: unknown) => {
      console.warn('beseda: IndexedDB is not available; unsent files are kept in memory only', err);
      return null;
    });
    return this.db;
  }

  private async connect(): Promise<IDBDatabase> {
    if (!this.idb) throw new Error('no IndexedDB in this browser');
    const request = this.idb.open(dbName, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(storeName)) request.result.createObjectStore(storeName);
    };
    const db = await done(request);
    // Another tab upgrading the database later: let it (this tab reopens on its next use).
    db.onversionchange = () => {
      db.close();
      this.db = null;
    };
    return db;
  }
}
