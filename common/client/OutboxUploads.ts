import type { OutgoingFile } from './Backend.ts';
import type { FileStash } from './FileStash.ts';
import type { FileUploader } from './FileUploader.ts';
import { newClientId } from './newClientId.ts';
import type { OutboxEntry, OutboxFile } from './OutboxEntry.ts';
import { LocalErrorCode, RequestError } from './RequestError.ts';
import type { Timers } from './Timers.ts';
import { uploadFile, type FileUpload, type UploadTarget } from './uploadFile.ts';

/** What the outbox's file part works with. */
export interface OutboxUploadsOptions {
  stash: FileStash;
  /** The host's transport (null: this host cannot send files). */
  uploader: FileUploader | null;
  /** Where to upload now, and as whom (null: signed out). */
  target(): UploadTarget | null;
  timers: Timers;
  now: () => number;
  /** An upload that neither progresses nor gets an answer for this long is given up (and tried again later). */
  stallMs: number;
  /** Progress is published at most this often per message. */
  progressEveryMs: number;
  /** An entry's upload progress changed: its conversation's window shows it. */
  onProgress(conversationId: number): void;
}

/**
 * The files of the outbox's messages: keeps their bytes in the {@link FileStash} until the hub has
 * the message, uploads them one by one with throttled progress, and aborts an upload the user
 * cancels. What an upload's failure means for the message is the {@link Outbox}'s decision.
 */
export class OutboxUploads {
  /** Bytes the hub has received, per local file id, for the file being uploaded. */
  private readonly loadedBytes = new Map<string, number>();
  /** The upload under way per message (one at a time per message). */
  private readonly tasks = new Map<string, FileUpload>();
  private readonly publishedAt = new Map<string, number>();
  private readonly trailing = new Map<string, unknown>();

  constructor(private readonly options: OutboxUploadsOptions) {}

  /** Whether this host can send files at all. */
  get available(): boolean {
    return this.options.uploader !== null;
  }

  /**
   * Puts the files' bytes in the stash and describes them for the entry. Resolves once every byte
   * is durable; on failure nothing of them is left and a `stash_failed` error is thrown.
   */
  async keep(files: readonly OutgoingFile[]): Promise<OutboxFile[]> {
    const kept: OutboxFile[] = [];
    try {
      for (const file of files) {
        const record: OutboxFile = {
          localId: newClientId(),
          name: file.name,
          size: file.bytes.length,
          type: file.type,
        };
        kept.push(record);
        await this.options.stash.put(record.localId, file.bytes);
      }
    } catch (err) {
      await this.drop(kept);
      throw new RequestError(
        LocalErrorCode.StashFailed,
        `could not keep the file on this device: ${(err as Error)?.message ?? String(err)}`,
      );
    }
    return kept;
  }

  /** Bytes of the file the hub has so far (its whole size once uploaded). */
  loaded(file: OutboxFile): number {
    return file.fileId ? file.size : (this.loadedBytes.get(file.localId) ?? 0);
  }

  /** Whether an upload of this message is under way. */
  isUploading(clientId: string): boolean {
    return this.tasks.has(clientId);
  }

  /**
   * Uploads the entry's files that have no hub id yet, one by one, handing each new id to `save`
   * (which persists it) before the next. `current` reads the entry as the outbox has it now.
   * Resolves true when every file is on the hub, false when the entry went away meanwhile
   * (discarded, delivered, signed out); throws a RequestError when an upload failed.
   */
  async run(
    clientId: string,
    current: () => OutboxEntry | undefined,
    save: (files: OutboxFile[]) => Promise<void>,
  ): Promise<boolean> {
    for (;;) {
      const entry = current();
      if (!entry || entry.status !== 'pending') return false;
      const files = entry.files ?? [];
      const index = files.findIndex((f) => !f.fileId);
      if (index < 0) return true;
      const file = files[index]!;
      const bytes = await this.options.stash.get(file.localId).catch(() => null);
      if (!current()) return false;
      if (!bytes) {
        throw new RequestError(LocalErrorCode.FileMissing, `the file «${file.name}» is no longer on this device`);
      }
      const fileId = await this.uploadOne(entry, file, bytes, current);
      if (fileId === null) return false;
      const now = current();
      if (!now?.files) return false;
      await save(now.files.map((f) => (f.localId === file.localId ? { ...f, fileId } : f)));
    }
  }

  private async uploadOne(
    entry: OutboxEntry,
    file: OutboxFile,
    bytes: Uint8Array,
    current: () => OutboxEntry | undefined,
  ): Promise<string | null> {
    const { uploader, timers, stallMs } = this.options;
    const target = this.options.target();
    if (!uploader) throw new RequestError(LocalErrorCode.SignedOut, 'this app cannot send files');
    if (!target) throw new RequestError(LocalErrorCode.SignedOut, 'not signed in');
    this.loadedBytes.set(file.localId, 0);
    const upload = uploadFile(
      uploader,
      target,
      { name: file.name, type: file.type, bytes },
      (loaded) => this.progress(entry, file, loaded),
      timers,
      stallMs,
    );
    this.tasks.set(entry.clientId, upload);
    try {
      const ref = await upload.done;
      return current() ? ref.id : null;
    } catch (err) {
      // Cancelled by discard: the entry is gone and the error means nothing.
      if (!current()) return null;
      throw err;
    } finally {
      if (this.tasks.get(entry.clientId) === upload) this.tasks.delete(entry.clientId);
      this.loadedBytes.delete(file.localId);
      this.stopTrailing(entry.clientId);
      this.publishedAt.delete(entry.clientId);
    }
  }

  /** Records progress; publishes it at most every `progressEveryMs` per message, and the last value too. */
  private progress(entry: OutboxEntry, file: OutboxFile, loaded: number): void {
    // A late report after the upload ended or was aborted changes nothing.
    if (!this.loadedBytes.has(file.localId)) return;
    this.loadedBytes.set(file.localId, Math.min(Math.max(loaded, 0), file.size));
    const { now, progressEveryMs, timers } = this.options;
    const since = now() - (this.publishedAt.get(entry.clientId) ?? -Infinity);
    if (since >= progressEveryMs) {
      this.stopTrailing(entry.clientId);
      this.publishedAt.set(entry.clientId, now());
      this.options.onProgress(entry.conversationId);
    } else if (!this.trailing.has(entry.clientId)) {
      const timer = timers.setTimeout(() => {
        this.trailing.delete(entry.clientId);
        this.publishedAt.set(entry.clientId, now());
        this.options.onProgress(entry.conversationId);
      }, progressEveryMs - since);
      this.trailing.set(entry.clientId, timer);
    }
  }

  private stopTrailing(clientId: string): void {
    const timer = this.trailing.get(clientId);
    if (timer === undefined) return;
    this.options.timers.clearTimeout(timer);
    this.trailing.delete(clientId);
  }

  /** Aborts the message's upload under way, if any (the hub keeps nothing of an interrupted upload). */
  abort(clientId: string): void {
    const task = this.tasks.get(clientId);
    this.tasks.delete(clientId);
    this.stopTrailing(clientId);
    task?.abort();
  }

  /** Aborts every upload (the client stops, or the account signs out). */
  abortAll(): void {
    for (const clientId of [...this.tasks.keys()]) this.abort(clientId);
    for (const clientId of [...this.trailing.keys()]) this.stopTrailing(clientId);
  }

  /** Deletes the files' bytes (the message was delivered or discarded, and that is saved). */
  async drop(files: readonly OutboxFile[] | undefined): Promise<void> {
    for (const file of files ?? []) {
      // No id yet: discarded while its bytes were still being kept (that write drops them itself).
      if (!file.localId) continue;
      this.loadedBytes.delete(file.localId);
      await this.options.stash.delete(file.localId).catch((err: unknown) => {
        console.warn('beseda: could not delete a sent file from the outbox stash', err);
      });
    }
  }

  /** Deletes the stashed bytes no entry refers to (left by a crash between keeping them and saving the entry). */
  async prune(entries: () => readonly OutboxEntry[]): Promise<void> {
    let ids: string[];
    try {
      ids = await this.options.stash.list();
    } catch (err) {
      console.warn('beseda: could not list the outbox stash', err);
      return;
    }
    // Read after the listing: a file kept meanwhile belongs to an entry already in the list.
    const used = new Set(entries().flatMap((e) => (e.files ?? []).map((f) => f.localId)));
    await this.drop(ids.filter((id) => !used.has(id)).map((localId) => ({ localId, name: '', size: 0, type: '' })));
  }

  /** Deletes every stashed file (sign-out, another account). */
  async wipe(): Promise<void> {
    this.abortAll();
    this.loadedBytes.clear();
    await this.options.stash.clear().catch((err: unknown) => {
      console.warn('beseda: could not clear the outbox stash', err);
    });
  }
}
