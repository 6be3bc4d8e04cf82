import { createHash, createHmac, randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { FileRef } from '../../common/protocol/model.ts';
import type { FileVariant } from '../../common/protocol/fileUrls.ts';
import { BlobStore, BlobTooLargeError, type CopiedBlobs, DiskFullError } from '../files/BlobStore.ts';
import { inspectUpload } from '../files/inspectUpload.ts';
import { downloadType } from '../files/servedFileType.ts';
import type { FileUsage, StoredFile } from '../store/FileStore.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import type { CollectReport, FileStorageHealth, HubFiles, OpenedFile, UploadInput } from './HubFiles.ts';
import { UserRateLimit } from './UserRateLimit.ts';
import { toHubError } from './toHubError.ts';
import { type SessionLifetime, sessionExpired } from '../identity/sessionLifetime.ts';

/** IT's file settings (config: filesDir, maxFileBytes, fileQuotaBytesPerDay, filesMaxTotalBytes). */
export interface FileSettings {
  /** The blob folder (`<dataDir>/files` unless configured). */
  dir: string;
  /** Bytes one user may upload in any 24 hours. */
  quotaBytesPerDay: number;
  /** Bytes all distinct blobs together may take; null: only the disk limits them. */
  maxTotalBytes: number | null;
  /** How often the orphan sweep runs; 0 turns it off. Default one hour. */
  sweepIntervalMs?: number;
  /** Session lifetimes: a download key dies with its session's time too (issue 16). */
  sessionLifetime?: SessionLifetime;
  /** This node's id when several hub nodes share the folder: its own temporary folder (BlobStore). */
  node?: string;
}

const day = 24 * 60 * 60 * 1000;
/** How long /healthz reuses the file usage it read. */
const usageCacheMs = 5000;
/** Uploads one person may start: 5 a second, 50 at once (a folder of scans dropped in one go). */
const uploadsPerSecond = 5;
const uploadBurst = 50;
const fileKeyPattern = /^[A-Za-z0-9_-]{43}$/;
/** The longest file name kept, in characters (longer names are refused, not cut). */
const maxNameLength = 255;

/** The hub's {@link HubFiles}: blobs on disk, metadata through the store. */
export class Files implements HubFiles {
  private readonly blobs: BlobStore;
  private fullSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Uploads per person: many small (or empty) files cannot flood the hub with records. */
  private readonly uploads: UserRateLimit;
  /** Bytes of uploads in progress, per user and in all (reserved against the limits). */
  private readonly inProgress = new Map<number, number>();
  private inProgressTotal = 0;
  /** The last usage read for /healthz (uploads and collections drop it). */
  private usage: { at: number; value: FileUsage } | null = null;
  /** Sessions whose download key is stored already (a reconnect does not write it again). */
  private readonly keyStored = new Set<number>();

  private constructor(
    private readonly ctx: HubContext,
    private readonly settings: FileSettings,
  ) {
    this.blobs = new BlobStore(settings.dir, settings.node);
    this.uploads = new UserRateLimit(
      { perSecond: uploadsPerSecond, burst: uploadBurst },
      'too many uploads: slow down',
      { limits: ctx.sharedLimits, kind: 'upload' },
    );
  }

  /** Opens the blob folder (removing what a crash left in tmp) and starts the periodic sweep. */
  static async open(ctx: HubContext, settings: FileSettings): Promise<Files> {
    const files = new Files(ctx, settings);
    await files.blobs.open();
    const every = settings.sweepIntervalMs ?? 60 * 60 * 1000;
    if (every > 0) {
      files.timer = setInterval(() => {
        files.collect().catch((err: unknown) => ctx.log.warn({ err }, 'file sweep failed'));
      }, every);
      files.timer.unref();
    }
    return files;
  }

  async upload(actor: Actor, input: UploadInput): Promise<FileRef> {
    const { ctx } = this;
    const name = checkName(input.name);
    await this.uploads.take(actor.userId, ctx.clock());
    const max = ctx.limits.maxFileBytes;
    if (input.length !== null && input.length > max) throw tooLarge(input.length, max);
    const now = ctx.clock();
    // Checked before the body is read (where its size is known), and again once it is; the bytes
    // stay reserved until the upload is recorded, so parallel uploads cannot pass a limit together.
    let release = await this.reserveRoom(actor.userId, input.length ?? 0, now);
    try {
      input.beforeBody?.();
      return await this.store(actor, input, name, now, async (size) => {
        release();
        release = await this.reserveRoom(actor.userId, size, now);
      });
    } finally {
      release();
    }
  }

  /** Streams the body into a blob, inspects it and records the upload. */
  private async store(
    actor: Actor,
    input: UploadInput,
    name: string,
    now: number,
    accept: (size: number) => Promise<void>,
  ): Promise<FileRef> {
    const { ctx } = this;
    const max = ctx.limits.maxFileBytes;
    let blob;
    try {
      blob = await this.blobs.write(input.body, max, accept);
    } catch (err) {
      if (err instanceof BlobTooLargeError) throw tooLarge(null, max);
      if (err instanceof DiskFullError) {
        this.fullSince ??= ctx.clock();
        ctx.log.error({ userId: actor.userId }, 'file store is full');
      }
      throw err;
    }
    this.fullSince = null;
    const pinned = [blob.sha256];
    try {
      const verdict = await inspectUpload(this.blobs.pathOf(blob.sha256), input.declaredType, name);
      if (verdict.kind === 'file' && verdict.reason)
        ctx.log.info({ userId: actor.userId, reason: verdict.reason }, 'upload kept as a plain file');
      const file: StoredFile = {
        id: `f${randomBytes(16).toString('base64url')}`,
        name,
        size: blob.size,
        type: verdict.type,
        kind: verdict.kind,
        sha256: blob.sha256,
        previewSha256: null,
        previewType: null,
        uploaderId: actor.userId,
        createdAt: now,
      };
      if (verdict.kind === 'image') {
        const preview = await this.blobs.writeBuffer(verdict.preview);
        pinned.push(preview.sha256);
        Object.assign(file, { width: verdict.width, height: verdict.height, previewSha256: preview.sha256 });
        file.previewType = verdict.previewType;
        if (verdict.animated) file.animated = true;
      }
      await ctx.store.files.insert(file);
      this.usage = null;
      ctx.log.info({ userId: actor.userId, fileId: file.id, size: file.size, kind: file.kind }, 'file uploaded');
      const { sha256: _s, previewSha256: _p, previewType: _t, uploaderId: _u, createdAt: _c, ...ref } = file;
      return ref;
    } catch (err) {
      // The blob stays for the sweep: an identical upload may be naming it at this moment.
      throw toHubError(err, ctx.log, 'upload');
    } finally {
      for (const sha of pinned) this.blobs.unpin(sha);
    }
  }

  async open(actor: Actor, fileId: string, variant: FileVariant): Promise<OpenedFile> {
    const { store } = this.ctx;
    const file = await store.files.get(fileId);
    // Unknown and not allowed answer the same: an id proves nothing about the file.
    if (!file || !(await store.files.mayRead(fileId, actor.userId))) throw noSuchFile();
    const { sha256: _s, previewSha256, previewType, uploaderId: _u, createdAt: _c, ...ref } = file;
    if (variant === 'download') return this.opened(ref, file.sha256, downloadType(file.type, file.kind));
    // Inline only for raster bytes the image pipeline verified; SVG, HTML and the rest never.
    if (file.kind !== 'image' || !/^image\/(png|jpeg|gif|webp)$/.test(file.type)) throw noSuchFile();
    if (variant === 'view') return this.opened(ref, file.sha256, file.type);
    if (!previewSha256 || !previewType || !/^image\/(webp|jpeg|png)$/.test(previewType)) throw noSuchFile();
    return this.opened(ref, previewSha256, previewType);
  }

  async fileKey(actor: Actor, token: string): Promise<string> {
    // A one-way function of the session token: every socket of the session gets the same key,
    // the key does not reveal the token, and only its hash is stored.
    const key = createHmac('sha256', token).update('beseda file key v1').digest('base64url');
    if (actor.sessionId > 0 && !this.keyStored.has(actor.sessionId)) {
      try {
        await this.ctx.store.files.setSessionFileKey(actor.sessionId, hashKey(key));
        if (this.keyStored.size > 100_000) this.keyStored.clear();
        this.keyStored.add(actor.sessionId);
      } catch (err) {
        // A full disk must not stop people from connecting: the key works once it can be stored.
        this.ctx.log.warn({ err, sessionId: actor.sessionId }, 'could not store the download key');
      }
    }
    return key;
  }

  async authenticateKey(key: string): Promise<Actor | null> {
    if (!fileKeyPattern.test(key)) return null;
    const session = await this.ctx.store.files.findSessionByFileKey(hashKey(key));
    if (!session || session.revoked || session.disabled) return null;
    const lifetime = this.settings.sessionLifetime;
    if (lifetime && sessionExpired(session, lifetime, this.ctx.clock())) return null;
    const { sessionId, userId, isBot } = session;
    // Downloads only: the actor never carries administrator rights.
    return { userId, sessionId, isAdmin: false, isBot, chatOnly: session.scope === 'chat' };
  }

  async releaseBlobs(sha256s: readonly string[]): Promise<void> {
    if (sha256s.length === 0) return;
    const removed = await this.blobs.removeUnused(sha256s, () => this.ctx.store.files.referencedBlobs());
    this.usage = null;
    if (removed.blobs > 0) this.ctx.log.info(removed, 'files of a deleted message removed');
  }

  async collect(unattachedForMs = day): Promise<CollectReport> {
    const { ctx } = this;
    const now = ctx.clock();
    const files = await ctx.store.files.deleteUnattached(now - unattachedForMs);
    this.usage = null;
    // A blob younger than the upload age may belong to an upload being recorded; the sweep also
    // skips pinned blobs, this is the margin for a hub restarted mid-upload.
    const removed = await this.blobs.sweep(
      () => ctx.store.files.referencedBlobs(),
      now - Math.min(unattachedForMs, day),
    );
    if (files > 0 || removed.blobs > 0) ctx.log.info({ files, ...removed }, 'unused files collected');
    return { files, ...removed };
  }

  async health(): Promise<FileStorageHealth> {
    // Monitoring asks every few seconds; the sum over every upload is reused for a while.
    const now = this.ctx.clock();
    if (!this.usage || now - this.usage.at > usageCacheMs)
      this.usage = { at: now, value: await this.ctx.store.files.usage() };
    const usage = this.usage.value;
    return { ...usage, maxTotalBytes: this.settings.maxTotalBytes, fullSince: this.fullSince };
  }

  backupBlobs(dir: string, reuseFrom: string | null = null): Promise<CopiedBlobs> {
    return this.blobs.copyTo(dir, reuseFrom);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async opened(file: FileRef, sha256: string, type: string): Promise<OpenedFile> {
    const path = this.blobs.pathOf(sha256);
    const info = await stat(path).catch(() => null);
    if (!info) {
      this.ctx.log.error({ fileId: file.id }, 'a file has no blob on disk');
      throw noSuchFile();
    }
    return { file, path, size: info.size, type, sha256 };
  }

  /**
   * Refuses an upload of `size` more bytes over the user's daily quota or the total limit, counting
   * the uploads in progress; otherwise reserves the bytes and returns what releases them. The
   * check and the reservation run in one turn of the event loop.
   */
  private async reserveRoom(userId: number, size: number, now: number): Promise<() => void> {
    const { store } = this.ctx;
    const quota = this.settings.quotaBytesPerDay;
    const total = this.settings.maxTotalBytes;
    const recorded = await store.files.uploadedBytesSince(userId, now - day);
    const stored = total === null ? 0 : (await store.files.usage()).bytes;
    const used = recorded + (this.inProgress.get(userId) ?? 0);
    if (used + size > quota)
      throw new HubError(
        'quota_exceeded',
        `daily upload quota reached: ${used} of ${quota} bytes used in the last 24 hours` +
          (size > 0 ? `, this file is ${size} bytes` : ''),
      );
    const bytes = stored + this.inProgressTotal;
    if (total !== null && bytes + size > total)
      throw new HubError(
        'storage_full',
        `the hub's file storage limit is reached (${bytes} of ${total} bytes): ask IT to raise filesMaxTotalBytes`,
      );
    this.inProgress.set(userId, (this.inProgress.get(userId) ?? 0) + size);
    this.inProgressTotal += size;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inProgress.get(userId) ?? size) - size;
      if (left > 0) this.inProgress.set(userId, left);
      else this.inProgress.delete(userId);
      this.inProgressTotal -= size;
    };
  }
}

/** The same answer for a file that does not exist and one the caller may not see. */
function noSuchFile(): HubError {
  return new HubError('not_found', 'no such file');
}

function tooLarge(size: number | null, max: number): HubError {
  return new HubError(
    'file_too_large',
    size === null
      ? `the file is larger than ${max} bytes, the limit`
      : `the file is ${size} bytes; the limit is ${max}`,
  );
}

function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * The name to keep: the last path segment (NFC), 1 to 255 characters, no control characters.
 * Text-direction controls stay (clients show them as markers such as ⟨RLO⟩, so the trick is
 * visible); downloads save the file without them (contentDisposition).
 */
function checkName(raw: string | null): string {
  if (raw === null) throw new HubError('bad_request', 'the file needs a name: POST /api/v1/files?name=<name>');
  const base = raw.slice(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
  const name = base.normalize('NFC').trim();
  if (name.length === 0 || name === '.' || name === '..') throw new HubError('bad_request', 'the file name is empty');
  if ([...name].length > maxNameLength)
    throw new HubError('bad_request', `the file name is longer than ${maxNameLength} characters`);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name))
    throw new HubError('bad_request', 'the file name has control characters');
  return name;
}
