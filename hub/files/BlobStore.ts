import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, statSync, unlinkSync } from 'node:fs';
import { chmod, copyFile, link, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { HubError } from '../ops/HubError.ts';
import { BatchedFileWriter } from './BatchedFileWriter.ts';

/** Mode of blob files and folders: readable by the hub's account only (they are people's documents). */
const fileMode = 0o600;
const dirMode = 0o700;
const hashPattern = /^[0-9a-f]{64}$/;

/** A blob written: its SHA-256 (hex, its name) and size. */
export interface WrittenBlob {
  sha256: string;
  size: number;
  /** False when identical bytes were stored already (the new copy was dropped). */
  created: boolean;
}

/** What {@link BlobStore.copyTo} put into a backup's blob folder. */
export interface CopiedBlobs {
  /** Every blob, and their bytes. */
  blobs: number;
  bytes: number;
  /** Those written anew (the rest are hard links: to the files folder, or to an earlier backup's). */
  copiedBlobs: number;
  copiedBytes: number;
  /** Blobs of the earlier backup that did not match their name (copied afresh instead of linked). */
  damagedEarlier: number;
}

/** The disk holding the blobs is full (`storage_full`): a state /healthz reports until a write succeeds. */
export class DiskFullError extends HubError {
  constructor() {
    super('storage_full', 'the hub cannot store files right now: its disk is full');
  }
}

/** Thrown while streaming when the body passes `maxBytes` (the caller answers `file_too_large`). */
export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`larger than ${maxBytes} bytes`);
  }
}

/**
 * Content-addressed blobs under one folder: `<dir>/ab/<sha256>` for a blob whose hash starts with
 * `ab`. A blob is streamed into `<dir>/tmp/<random>` while hashed, fsynced, and only then renamed
 * into place, so a crash, an aborted upload or a full disk never leaves a half-written blob under
 * a hash name; identical content is kept once. Never holds a whole file in memory.
 */
export class BlobStore {
  readonly tmpDir: string;
  /** Blobs written but not yet recorded by their upload: a sweep never removes these. */
  private readonly pins = new Map<string, number>();
  /** Blobs unpinned since the current sweep began (their record may be newer than what it read). */
  private readonly unpinnedDuringSweep = new Set<string>();
  /** The same for each {@link removeUnused} in progress. */
  private readonly unpinWatchers = new Set<Set<string>>();

  /**
   * @param node the hub node writing here when several share the folder (`--node-id`): its
   *   temporary files go to `tmp/<node>/`, so a node cleaning up after its own crash never removes
   *   an upload another node is streaming right now.
   */
  constructor(
    readonly dir: string,
    node?: string,
  ) {
    this.tmpDir = node === undefined ? path.join(dir, 'tmp') : path.join(dir, 'tmp', tmpFolderOf(node));
  }

  /**
   * Creates the folders (0700) and removes the temporary files a crash left behind: everything in
   * this node's temporary folder (a single hub's `tmp/` holds only its own, other nodes' folders
   * are left alone).
   */
  async open(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true, mode: dirMode });
    const shared = path.join(this.dir, 'tmp');
    for (const name of await readdir(this.tmpDir, { withFileTypes: true })) {
      // A single hub's tmp/ holds the nodes' folders only if the folder was once shared: keep them.
      if (this.tmpDir === shared && name.isDirectory()) continue;
      await rm(path.join(this.tmpDir, name.name), { force: true, recursive: true });
    }
  }

  /** Where the blob with this hash lives (whether or not it exists). */
  pathOf(sha256: string): string {
    if (!hashPattern.test(sha256)) throw new Error(`not a blob hash: ${sha256.slice(0, 80)}`);
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Whether the blob exists. */
  async has(sha256: string): Promise<boolean> {
    return stat(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Streams `source` into a blob. Throws {@link BlobTooLargeError} as soon as it passes `maxBytes`,
   * `storage_full` when the disk is full, and the source's own error when it fails (a client that
   * went away); `accept`, given the final size, may refuse too (a quota). In every case the
   * temporary file is removed and no blob appears. The blob comes back pinned: call
   * {@link unpin} once the upload naming it is recorded. The source must not reuse a chunk's
   * memory after yielding it (request bodies, busboy parts and file streams do not): chunks are
   * gathered into larger writes.
   */
  async write(
    source: AsyncIterable<Uint8Array>,
    maxBytes = Number.POSITIVE_INFINITY,
    accept?: (size: number) => Promise<void>,
  ): Promise<WrittenBlob> {
    const temp = path.join(this.tmpDir, randomBytes(12).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    const handle = await open(temp, 'wx', fileMode).catch(rethrowFull);
    // Written in batches of about 1 MiB, one in flight: waiting on it pauses reading the source,
    // so memory stays at about two batches per upload.
    const writer = new BatchedFileWriter(handle);
    let closed = false;
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
        hash.update(chunk);
        await writer.push(chunk);
      }
      await writer.finish();
      await handle.sync();
      closed = true;
      await handle.close();
      await accept?.(size);
      return await this.install(temp, hash.digest('hex'), size);
    } catch (err) {
      await writer.abandon();
      if (!closed) await handle.close().catch(() => {});
      await rm(temp, { force: true });
      return rethrowFull(err);
    }
  }

  /** Stores a small buffer (a preview) as a blob (pinned like {@link write}). */
  async writeBuffer(bytes: Uint8Array): Promise<WrittenBlob> {
    return this.write(once(bytes));
  }

  /** Ends the protection {@link write} gave a blob, once its upload is recorded (or abandoned). */
  unpin(sha256: string): void {
    const count = (this.pins.get(sha256) ?? 1) - 1;
    if (count > 0) this.pins.set(sha256, count);
    else this.pins.delete(sha256);
    this.unpinnedDuringSweep.add(sha256);
    for (const watcher of this.unpinWatchers) watcher.add(sha256);
  }

  /**
   * Deletes these blobs unless `loadKeep` names them, with the same guards as {@link sweep} (a blob
   * pinned, or unpinned since the call began, belongs to an upload being recorded) but no age
   * margin: for blobs the caller knows were just freed (a deleted message's files).
   */
  async removeUnused(
    sha256s: readonly string[],
    loadKeep: () => Promise<ReadonlySet<string>>,
  ): Promise<{ blobs: number; bytes: number }> {
    const unpinned = new Set<string>();
    this.unpinWatchers.add(unpinned);
    try {
      const keep = await loadKeep();
      let blobs = 0;
      let bytes = 0;
      for (const sha256 of new Set(sha256s)) {
        if (keep.has(sha256) || this.pins.has(sha256) || unpinned.has(sha256)) continue;
        try {
          const file = this.pathOf(sha256);
          const info = statSync(file);
          unlinkSync(file);
          blobs++;
          bytes += info.size;
        } catch {
          // gone already (or not a hash: nothing to remove)
        }
      }
      return { blobs, bytes };
    } finally {
      this.unpinWatchers.delete(unpinned);
    }
  }

  /** Deletes a blob if it exists. */
  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  /**
   * Deletes every blob that `loadKeep` does not name and that was last written before `before`
   * (ms since the epoch). `loadKeep` is read after the listing, and each check and removal is one
   * synchronous step, so a blob an upload is recording right now (pinned, or unpinned since the
   * sweep began) is never removed.
   */
  async sweep(loadKeep: () => Promise<ReadonlySet<string>>, before: number): Promise<{ blobs: number; bytes: number }> {
    this.unpinnedDuringSweep.clear();
    const present = await this.list();
    const keep = await loadKeep();
    let blobs = 0;
    let bytes = 0;
    for (const { sha256, file } of present) {
      if (keep.has(sha256) || this.pins.has(sha256) || this.unpinnedDuringSweep.has(sha256)) continue;
      try {
        const info = statSync(file);
        if (info.mtimeMs >= before) continue;
        unlinkSync(file);
        blobs++;
        bytes += info.size;
      } catch {
        // gone already
      }
    }
    return { blobs, bytes };
  }

  /** Every blob present. */
  async list(): Promise<{ sha256: string; file: string }[]> {
    const found: { sha256: string; file: string }[] = [];
    for (const prefix of await readdir(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of await readdir(path.join(this.dir, prefix)).catch(() => [] as string[]))
        if (hashPattern.test(name) && name.startsWith(prefix))
          found.push({ sha256: name, file: path.join(this.dir, prefix, name) });
    }
    return found;
  }

  /**
   * Copies every blob into `target` (same layout, 0600/0700). Blobs never change, so a hard link
   * is a full copy: each is linked from here where `target` is on the same disk; else from
   * `reuseFrom` (the newest earlier backup's blob folder, on the target's disk) when the blob there
   * has the same size and its bytes hash to its name, so unchanged files take no new space; only
   * the rest is copied. A damaged blob there is not linked (the new backup gets a fresh copy).
   */
  async copyTo(target: string, reuseFrom: string | null = null): Promise<CopiedBlobs> {
    const done: CopiedBlobs = { blobs: 0, bytes: 0, copiedBlobs: 0, copiedBytes: 0, damagedEarlier: 0 };
    await mkdir(target, { recursive: true, mode: dirMode });
    for (const { sha256, file } of await this.list()) {
      const dest = path.join(target, sha256.slice(0, 2), sha256);
      await mkdir(path.dirname(dest), { recursive: true, mode: dirMode });
      // Any failed link (another disk, EMLINK, the earlier backup removed meanwhile) falls back to a copy.
      let placed = await linked(file, dest);
      if (!placed && reuseFrom !== null) {
        const earlier = await this.reusable(file, path.join(reuseFrom, sha256.slice(0, 2), sha256), sha256);
        if (earlier === 'damaged') done.damagedEarlier++;
        else if (earlier) placed = await linked(earlier, dest);
      }
      if (!placed) {
        await copyFile(file, dest).catch(rethrowFull);
        await chmod(dest, fileMode);
      }
      const info = await stat(dest);
      done.blobs++;
      done.bytes += info.size;
      if (!placed) {
        done.copiedBlobs++;
        done.copiedBytes += info.size;
      }
    }
    return done;
  }

  /**
   * Adds the blobs of a backup folder ({@link copyTo}) that are missing here, each checked against
   * its hash while copied (a damaged blob is skipped and reported, never installed).
   */
  async restoreFrom(source: string): Promise<{ added: number; present: number; damaged: string[] }> {
    const from = new BlobStore(source);
    let added = 0;
    let present = 0;
    const damaged: string[] = [];
    for (const { sha256, file } of await from.list()) {
      if (await this.has(sha256)) {
        present++;
        continue;
      }
      const blob = await this.write(createReadStream(file));
      this.unpin(blob.sha256);
      if (blob.sha256 !== sha256) {
        if (blob.created) await this.remove(blob.sha256);
        damaged.push(sha256);
      } else added++;
    }
    return { added, present, damaged };
  }

  /**
   * The earlier backup's copy of a blob, when it can stand for this one: a file of the same size
   * whose bytes hash to the name (read once, no writes: cheaper than the copy it saves, and a
   * damaged copy is never linked into another backup). Null when absent; 'damaged' when it differs.
   */
  private async reusable(file: string, earlier: string, sha256: string): Promise<string | null | 'damaged'> {
    const [mine, theirs] = await Promise.all([stat(file), stat(earlier).catch(() => null)]);
    if (!theirs) return null;
    if (!theirs.isFile() || theirs.size !== mine.size) return 'damaged';
    const hash = createHash('sha256');
    try {
      for await (const chunk of createReadStream(earlier, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
    } catch {
      return null;
    }
    return hash.digest('hex') === sha256 ? earlier : 'damaged';
  }

  /**
   * Renames a finished temporary file to its hash name. Identical bytes already there are simply
   * replaced (one copy stays). The hash is pinned first, synchronously: a sweep running now skips
   * it until the caller has recorded the upload and called {@link unpin}.
   */
  private async install(temp: string, sha256: string, size: number): Promise<WrittenBlob> {
    const target = this.pathOf(sha256);
    this.pins.set(sha256, (this.pins.get(sha256) ?? 0) + 1);
    try {
      const existed = await this.has(sha256);
      await mkdir(path.dirname(target), { recursive: true, mode: dirMode }).catch(rethrowFull);
      // Renamed even over an identical blob: should a sweep have removed that one a moment ago,
      // the bytes are back in place before the upload is recorded.
      await rename(temp, target);
      await syncFolder(path.dirname(target));
      return { sha256, size, created: !existed };
    } catch (err) {
      this.unpin(sha256);
      throw err;
    }
  }
}

/**
 * Whether `dest` is now a hard link to `from`, or was there already (a blob is named by its bytes);
 * false: the link could not be made (another disk, too many links, `from` gone).
 */
async function linked(from: string, dest: string): Promise<boolean> {
  return link(from, dest).then(
    () => true,
    (err: NodeJS.ErrnoException) => err.code === 'EEXIST',
  );
}

/** A one-chunk source. */
async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/** Makes a rename durable. */
async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A full disk (or quota) becomes `storage_full`; anything else is thrown as it is. */
function rethrowFull(err: unknown): never {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') throw new DiskFullError();
  throw err;
}

/**
 * A node id as a folder name: letters, digits, `.`, `_` and `-` kept, anything else (`:` of
 * `host:port` is not allowed on Windows) as `_`, plus a short hash so two ids never share a folder.
 */
export function tmpFolderOf(node: string): string {
  const readable = node.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
  return `${readable}-${createHash('sha256').update(node).digest('hex').slice(0, 8)}`;
}
