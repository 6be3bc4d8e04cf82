import type { Message } from '../protocol/model.ts';
import { ActionQueue } from './ActionQueue.ts';
import type { OutgoingFile } from './Backend.ts';
import type { MessageView } from './ClientState.ts';
import type { KeyValueStorage } from './KeyValueStorage.ts';
import { ConversationPauses } from './ConversationPauses.ts';
import { newClientId } from './newClientId.ts';
import type { OutboxAction, OutboxEntry, OutboxExtras, OutboxOwner } from './OutboxEntry.ts';
import { asRequestError, recoveryFor, refusesStoredFiles } from './outboxErrors.ts';
import type { OutboxUploads } from './OutboxUploads.ts';
import { outboxViews } from './outboxViews.ts';
import { parseSavedOutbox, type SavedOutbox } from './parseSavedOutbox.ts';
import type { RequestError } from './RequestError.ts';
import type { Timers } from './Timers.ts';

/** What the outbox needs from its client. */
export interface OutboxOptions {
  storage: KeyValueStorage;
  storageKey: string;
  timers: Timers;
  now: () => number;
  /** Sends one entry (the `send` request) and resolves with the stored message. */
  send(entry: OutboxEntry): Promise<Message>;
  /** A reason to refuse an entry without asking the hub (e.g. over the size limit), or null. */
  check(entry: OutboxEntry): { code: string; message: string } | null;
  /** The entries of these conversations changed (added, failed, removed). */
  onChange(conversationId: number): void;
  /** The hub acknowledged an entry: here is the stored message. */
  onDelivered(entry: OutboxEntry, message: Message): void;
  /** The entries' files: their bytes, and their uploads. */
  uploads: OutboxUploads;
  /** Sends one queued change to a stored message; resolves with the message as the hub has it after it. */
  act(action: OutboxAction): Promise<Message>;
  /** The hub acknowledged a change: here is the message as it is now. */
  onActed(action: OutboxAction, message: Message): void;
}

/**
 * The messages the user wrote that the hub has not stored yet. Every change is written to storage
 * at once, so a message survives a crash or restart of the app, and is sent again (with the same
 * clientId, which makes the hub store it exactly once) until acknowledged. Per conversation one
 * message is in flight at a time, so they arrive in the order written. A message's files are kept
 * (by {@link OutboxUploads}) and uploaded before its `send`, each hub file id saved as it comes.
 */
export class Outbox {
  private entries: OutboxEntry[] = [];
  private owner: OutboxOwner | null = null;
  private online = false;
  private readonly inFlight = new Set<number>();
  /** Conversations waiting for a pause (rate limit, hub unavailable) to end. */
  private readonly paused: ConversationPauses;
  private persistChain: Promise<void> = Promise.resolve();
  /** Bumped by clear/load, so replies for a previous account's entries are ignored. */
  private epoch = 0;
  /** Messages whose files are still being put in the stash (not sent before that is done). */
  private readonly keeping = new Set<string>();
  /** Failed uploads in a row per message (the wait before the next try grows). */
  private readonly uploadFailures = new Map<string, number>();
  /** Changes to stored messages (edit, delete, react, pin), saved with the messages. */
  readonly actions: ActionQueue;

  constructor(private readonly options: OutboxOptions) {
    this.paused = new ConversationPauses(options.timers, () => this.pump());
    this.actions = new ActionQueue({ ...options, save: () => this.persist() });
  }

  /**
   * Loads the saved outbox if it belongs to `owner`. Another account's saved outbox is deleted:
   * its unsent texts must not linger on a machine someone else now signs in on.
   */
  async load(owner: OutboxOwner): Promise<void> {
    this.stop();
    await this.persistChain;
    this.owner = owner;
    this.entries = [];
    this.actions.load([]);
    let raw: string | null = null;
    try {
      raw = await this.options.storage.get(this.options.storageKey);
    } catch (err) {
      console.warn('beseda: could not read the saved outbox', err);
    }
    const saved = parseSavedOutbox(raw);
    if (saved && saved.hubUrl === owner.hubUrl && saved.userId === owner.userId) {
      // A message that was in flight when the app stopped is pending again; the clientId keeps it single.
      this.entries = saved.entries;
      this.actions.load(saved.actions);
    } else if (saved) {
      await this.options.storage.delete(this.options.storageKey).catch(() => undefined);
      // Another account's files must not linger either.
      await this.options.uploads.wipe();
    }
    if (this.owner !== owner) return;
    await this.options.uploads.prune(() => this.entries);
    if (this.owner !== owner) return;
    for (const id of new Set(this.entries.map((e) => e.conversationId))) this.options.onChange(id);
    this.pump();
  }

  /**
   * Queues a message; it is shown at once and saved, with its files' bytes, before this resolves.
   * When the files cannot be kept on this device the message is dropped and a `stash_failed`
   * RequestError thrown (the composer still has them).
   */
  async add(
    conversationId: number,
    text: string,
    files: readonly OutgoingFile[] = [],
    extras: OutboxExtras = {},
  ): Promise<OutboxEntry> {
    const entry: OutboxEntry = {
      clientId: newClientId(),
      conversationId,
      text,
      createdAt: this.options.now(),
      status: 'pending',
      ...extras,
    };
    if (files.length > 0) {
      entry.files = files.map((f) => ({ localId: '', name: f.name, size: f.bytes.length, type: f.type }));
    }
    const refusal = this.options.check(entry);
    if (refusal) {
      entry.status = 'failed';
      entry.error = refusal;
    }
    this.entries.push(entry);
    this.options.onChange(conversationId);
    if (files.length > 0) await this.keepFiles(entry, files);
    await this.persist();
    this.pump();
    return entry;
  }

  /** Puts the entry's files in the stash (its entry is not sent meanwhile). */
  private async keepFiles(entry: OutboxEntry, files: readonly OutgoingFile[]): Promise<void> {
    const epoch = this.epoch;
    this.keeping.add(entry.clientId);
    let kept;
    try {
      kept = await this.options.uploads.keep(files);
    } catch (err) {
      this.keeping.delete(entry.clientId);
      const current = this.find(entry.clientId);
      if (current) this.remove(current);
      throw err;
    }
    this.keeping.delete(entry.clientId);
    const index = this.entries.findIndex((e) => e.clientId === entry.clientId);
    if (index < 0 || epoch !== this.epoch) {
      // Discarded (or signed out) while the bytes were being written.
      await this.options.uploads.drop(kept);
      return;
    }
    this.entries[index] = { ...this.entries[index]!, files: kept };
  }

  /** Sends a failed message again (it moves to the end of the queue). */
  async retry(clientId: string): Promise<void> {
    const index = this.entries.findIndex((e) => e.clientId === clientId);
    const entry = this.entries[index];
    if (!entry || entry.status !== 'failed') return;
    const again: OutboxEntry = { ...entry, status: 'pending' };
    delete again.error;
    this.entries.splice(index, 1);
    this.entries.push(again);
    this.options.onChange(entry.conversationId);
    await this.persist();
    this.pump();
  }

  /**
   * Removes a failed message, or a pending one that is not on its way to the hub right now. An
   * upload under way is aborted; the files' bytes are deleted once the removal is saved.
   */
  async discard(clientId: string): Promise<void> {
    const entry = this.entries.find((e) => e.clientId === clientId);
    if (!entry) return;
    if (entry.status === 'pending' && this.isSending(entry)) return;
    this.remove(entry);
    this.options.uploads.abort(clientId);
    await this.persistThenDrop(entry);
  }

  /** The hub stored a message with this clientId (its reply, or the message seen live or in catch-up). */
  delivered(clientId: string): OutboxEntry | undefined {
    const entry = this.entries.find((e) => e.clientId === clientId);
    if (!entry) return undefined;
    this.remove(entry);
    this.options.uploads.abort(clientId);
    void this.persistThenDrop(entry);
    return entry;
  }

  /** The conversation's entries as message views for its window. */
  viewsFor(conversationId: number, senderId: number): MessageView[] {
    return outboxViews(this.entries, conversationId, senderId, (file) => this.options.uploads.loaded(file));
  }

  /** Connected (hello received): start sending. Uploads that failed for want of a hub start again now. */
  resume(): void {
    this.online = true;
    this.paused.endHelloPauses();
    this.pump();
    this.actions.resume();
  }

  /** Disconnected: stop sending until {@link Outbox.resume}. */
  suspend(): void {
    this.online = false;
    this.actions.suspend();
  }

  /** Forgets every entry, here and in storage (sign-out). */
  async clear(): Promise<void> {
    this.stop();
    this.owner = null;
    const ids = new Set(this.entries.map((e) => e.conversationId));
    this.entries = [];
    this.actions.clear();
    this.keeping.clear();
    this.uploadFailures.clear();
    for (const id of ids) this.options.onChange(id);
    this.persistChain = this.persistChain.then(async () => {
      await this.options.storage.delete(this.options.storageKey).catch((err) => {
        console.warn('beseda: could not clear the saved outbox', err);
      });
      await this.options.uploads.wipe();
    });
    await this.persistChain;
  }

  /** Stops timers (dispose); storage is left as it is. */
  stop(): void {
    this.epoch++;
    this.online = false;
    this.actions.stop();
    this.paused.clear();
    this.inFlight.clear();
    this.sending.clear();
    this.options.uploads.abortAll();
  }

  /** Resolves when every change so far has been written. */
  flushed(): Promise<void> {
    return this.persistChain;
  }

  private isSending(entry: OutboxEntry): boolean {
    return this.sending.has(entry.clientId);
  }

  private readonly sending = new Set<string>();

  private pump(): void {
    if (!this.online) return;
    const seen = new Set<number>();
    for (const entry of this.entries) {
      if (entry.status !== 'pending') continue;
      const id = entry.conversationId;
      // Only the first pending entry of each conversation may go: order within a conversation holds.
      if (seen.has(id)) continue;
      seen.add(id);
      if (this.inFlight.has(id) || this.paused.has(id) || this.keeping.has(entry.clientId)) continue;
      void this.sendOne(entry);
    }
  }

  private async sendOne(entry: OutboxEntry): Promise<void> {
    const epoch = this.epoch;
    const id = entry.conversationId;
    const refusal = this.options.check(entry);
    if (refusal) {
      this.fail(entry, refusal);
      void this.persist();
      this.pump();
      return;
    }
    this.inFlight.add(id);
    if (entry.files?.some((f) => !f.fileId)) {
      const ready = await this.uploadFiles(entry.clientId, epoch);
      if (epoch !== this.epoch) return;
      const uploaded = ready ? this.find(entry.clientId) : undefined;
      if (!uploaded) {
        this.inFlight.delete(id);
        this.pump();
        return;
      }
      entry = uploaded;
    }
    this.sending.add(entry.clientId);
    let message: Message | null = null;
    let error: RequestError | null = null;
    try {
      message = await this.options.send(entry);
    } catch (err) {
      error = asRequestError(err);
    }
    if (epoch !== this.epoch) return;
    this.inFlight.delete(id);
    this.sending.delete(entry.clientId);
    const current = this.find(entry.clientId);
    if (message) {
      if (current) {
        this.remove(current);
        void this.persistThenDrop(current);
        this.options.onDelivered(current, message);
      }
    } else if (error && current) {
      if (refusesStoredFiles(current, error)) {
        // The hub no longer has the files (an upload left unsent for a day is collected): upload them again, once.
        this.replace(current, {
          ...current,
          reuploaded: true,
          files: current.files!.map(({ fileId: _gone, ...file }) => file),
        });
        void this.persist();
      } else {
        this.recover(current, error, 'send');
      }
    }
    this.pump();
  }

  /**
   * Uploads the entry's files that are not on the hub yet. True when all are; false when the entry
   * went away, or an upload failed (then the entry failed, or waits to be tried again).
   */
  private async uploadFiles(clientId: string, epoch: number): Promise<boolean> {
    try {
      const done = await this.options.uploads.run(
        clientId,
        () => (epoch === this.epoch ? this.find(clientId) : undefined),
        async (files) => {
          const current = this.find(clientId);
          if (!current || epoch !== this.epoch) return;
          this.replace(current, { ...current, files });
          await this.persist();
        },
      );
      if (done) this.uploadFailures.delete(clientId);
      return done;
    } catch (err) {
      const current = this.find(clientId);
      if (epoch === this.epoch && current) this.recover(current, asRequestError(err), 'upload');
      return false;
    }
  }

  /** After a failed send or upload: the entry fails, or waits (a pause, or the next hello). */
  private recover(entry: OutboxEntry, error: RequestError, phase: 'send' | 'upload'): void {
    const failures = phase === 'upload' ? (this.uploadFailures.get(entry.clientId) ?? 0) + 1 : 0;
    const recovery = recoveryFor(error, phase, failures);
    if (recovery.fail) {
      this.uploadFailures.delete(entry.clientId);
      this.fail(entry, { code: error.code, message: error.message });
      void this.persist();
      return;
    }
    if (phase === 'upload') this.uploadFailures.set(entry.clientId, failures);
    // No pause: it waits for resume(), which comes with the next hello.
    if (recovery.pauseMs !== null) this.paused.pause(entry.conversationId, recovery.pauseMs, recovery.endsOnHello);
  }

  private find(clientId: string): OutboxEntry | undefined {
    return this.entries.find((e) => e.clientId === clientId);
  }

  private replace(entry: OutboxEntry, next: OutboxEntry): void {
    const index = this.entries.indexOf(entry);
    if (index < 0) return;
    this.entries[index] = next;
    this.options.onChange(entry.conversationId);
  }

  private fail(entry: OutboxEntry, error: { code: string; message: string }): void {
    this.replace(entry, { ...entry, status: 'failed', error });
  }

  private remove(entry: OutboxEntry): void {
    const index = this.entries.indexOf(entry);
    if (index < 0) return;
    this.entries.splice(index, 1);
    this.options.onChange(entry.conversationId);
  }

  /**
   * Writes the outbox as it is when the write runs; writes never overlap or reorder. A write
   * still runs after {@link Outbox.stop} (quitting must not lose a message), but not after the
   * outbox changed hands (clear, or load for another account).
   */
  private persist(): Promise<void> {
    const owner = this.owner;
    this.persistChain = this.persistChain.then(async () => {
      if (!owner || owner !== this.owner) return;
      // An entry is saved only once its files' bytes are: a restart never finds one without them.
      const entries = this.entries.filter((e) => !this.keeping.has(e.clientId));
      const saved: SavedOutbox = { v: 1, ...owner, entries, actions: this.actions.list() };
      try {
        await this.options.storage.set(this.options.storageKey, JSON.stringify(saved));
      } catch (err) {
        console.warn('beseda: could not save the outbox', err);
      }
    });
    return this.persistChain;
  }

  /** Saves the outbox, then deletes the files of an entry it no longer holds (never the other way round). */
  private async persistThenDrop(entry: OutboxEntry): Promise<void> {
    await this.persist();
    if (entry.files) await this.options.uploads.drop(entry.files);
  }
}
