import { ErrorCode } from '../protocol/errors.ts';
import type { Message } from '../protocol/model.ts';
import type { MessageView } from './ClientState.ts';
import type { KeyValueStorage } from './KeyValueStorage.ts';
import { newClientId } from './newClientId.ts';
import { LocalErrorCode, RequestError } from './RequestError.ts';
import type { Timers } from './Timers.ts';

/** One message the user wrote that the hub has not acknowledged (pending) or refused (failed). */
export interface OutboxEntry {
  clientId: string;
  conversationId: number;
  text: string;
  /** When the user sent it (shown until the hub's time replaces it). */
  createdAt: number;
  status: 'pending' | 'failed';
  error?: { code: string; message: string };
}

/** Whose outbox it is: entries are resumed only for the same account on the same hub. */
export interface OutboxOwner {
  hubUrl: string;
  userId: number;
}

interface Saved extends OutboxOwner {
  v: 1;
  entries: OutboxEntry[];
}

/** Errors after which a message stays pending and is sent again later. */
const transientCodes = new Set<string>([
  ErrorCode.RateLimited,
  ErrorCode.Unavailable,
  ErrorCode.Unauthorized,
  LocalErrorCode.Timeout,
  LocalErrorCode.Disconnected,
  LocalErrorCode.Offline,
  LocalErrorCode.SignedOut,
]);
/** Errors that say the connection is gone: wait for {@link Outbox.resume} rather than a timer. */
const connectionCodes = new Set<string>([
  ErrorCode.Unauthorized,
  LocalErrorCode.Timeout,
  LocalErrorCode.Disconnected,
  LocalErrorCode.Offline,
  LocalErrorCode.SignedOut,
]);

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
}

/**
 * The messages the user wrote that the hub has not stored yet. Every change is written to storage
 * at once, so a message survives a crash or restart of the app, and is sent again (with the same
 * clientId, which makes the hub store it exactly once) until acknowledged. Per conversation one
 * message is in flight at a time, so they arrive in the order written.
 */
export class Outbox {
  private entries: OutboxEntry[] = [];
  private owner: OutboxOwner | null = null;
  private online = false;
  private readonly inFlight = new Set<number>();
  /** Conversations waiting for a rate-limit pause to end. */
  private readonly paused = new Map<number, unknown>();
  private persistChain: Promise<void> = Promise.resolve();
  /** Bumped by clear/load, so replies for a previous account's entries are ignored. */
  private epoch = 0;

  constructor(private readonly options: OutboxOptions) {}

  /**
   * Loads the saved outbox if it belongs to `owner`. Another account's saved outbox is deleted:
   * its unsent texts must not linger on a machine someone else now signs in on.
   */
  async load(owner: OutboxOwner): Promise<void> {
    this.stop();
    await this.persistChain;
    this.owner = owner;
    this.entries = [];
    let raw: string | null = null;
    try {
      raw = await this.options.storage.get(this.options.storageKey);
    } catch (err) {
      console.warn('beseda: could not read the saved outbox', err);
    }
    const saved = parseSaved(raw);
    if (saved && saved.hubUrl === owner.hubUrl && saved.userId === owner.userId) {
      // A message that was in flight when the app stopped is pending again; the clientId keeps it single.
      this.entries = saved.entries;
    } else if (saved) {
      await this.options.storage.delete(this.options.storageKey).catch(() => undefined);
    }
    for (const id of new Set(this.entries.map((e) => e.conversationId))) this.options.onChange(id);
    this.pump();
  }

  /** Queues a message; it is shown at once and saved before this resolves. */
  async add(conversationId: number, text: string): Promise<OutboxEntry> {
    const entry: OutboxEntry = {
      clientId: newClientId(),
      conversationId,
      text,
      createdAt: this.options.now(),
      status: 'pending',
    };
    const refusal = this.options.check(entry);
    if (refusal) {
      entry.status = 'failed';
      entry.error = refusal;
    }
    this.entries.push(entry);
    this.options.onChange(conversationId);
    await this.persist();
    this.pump();
    return entry;
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

  /** Removes a failed message, or a pending one that is not on its way to the hub right now. */
  async discard(clientId: string): Promise<void> {
    const entry = this.entries.find((e) => e.clientId === clientId);
    if (!entry) return;
    if (entry.status === 'pending' && this.isSending(entry)) return;
    this.remove(entry);
    await this.persist();
  }

  /** The hub stored a message with this clientId (its reply, or the message seen live or in catch-up). */
  delivered(clientId: string): OutboxEntry | undefined {
    const entry = this.entries.find((e) => e.clientId === clientId);
    if (!entry) return undefined;
    this.remove(entry);
    void this.persist();
    return entry;
  }

  has(clientId: string): boolean {
    return this.entries.some((e) => e.clientId === clientId);
  }

  /** The conversation's entries, in order. */
  entriesFor(conversationId: number): OutboxEntry[] {
    return this.entries.filter((e) => e.conversationId === conversationId);
  }

  /** Every entry, in order. */
  all(): readonly OutboxEntry[] {
    return this.entries;
  }

  /** The conversation's entries as message views for its window. */
  viewsFor(conversationId: number, senderId: number): MessageView[] {
    const views: MessageView[] = [];
    for (const e of this.entries) {
      if (e.conversationId !== conversationId) continue;
      const view: MessageView = {
        seq: 0,
        conversationId,
        senderId,
        clientId: e.clientId,
        kind: 'text',
        text: e.text,
        ts: e.createdAt,
        mentions: [],
        mentionsAll: false,
        status: e.status,
      };
      if (e.error) view.error = e.error;
      views.push(view);
    }
    return views;
  }

  /** Connected (hello received): start sending. */
  resume(): void {
    this.online = true;
    this.pump();
  }

  /** Disconnected: stop sending until {@link Outbox.resume}. */
  suspend(): void {
    this.online = false;
  }

  /** Forgets every entry, here and in storage (sign-out). */
  async clear(): Promise<void> {
    this.epoch++;
    this.owner = null;
    this.online = false;
    const ids = new Set(this.entries.map((e) => e.conversationId));
    this.entries = [];
    this.inFlight.clear();
    for (const timer of this.paused.values()) this.options.timers.clearTimeout(timer);
    this.paused.clear();
    for (const id of ids) this.options.onChange(id);
    this.persistChain = this.persistChain.then(() =>
      this.options.storage.delete(this.options.storageKey).catch((err) => {
        console.warn('beseda: could not clear the saved outbox', err);
      }),
    );
    await this.persistChain;
  }

  /** Stops timers (dispose); storage is left as it is. */
  stop(): void {
    this.epoch++;
    this.online = false;
    for (const timer of this.paused.values()) this.options.timers.clearTimeout(timer);
    this.paused.clear();
    this.inFlight.clear();
    this.sending.clear();
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
      if (this.inFlight.has(id) || this.paused.has(id)) continue;
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
    this.sending.add(entry.clientId);
    let message: Message | null = null;
    let error: RequestError | null = null;
    try {
      message = await this.options.send(entry);
    } catch (err) {
      error =
        err instanceof RequestError
          ? err
          : new RequestError(LocalErrorCode.Disconnected, (err as Error)?.message ?? '');
    }
    if (epoch !== this.epoch) return;
    this.inFlight.delete(id);
    this.sending.delete(entry.clientId);
    const current = this.entries.find((e) => e.clientId === entry.clientId);
    if (message) {
      if (current) {
        this.remove(current);
        void this.persist();
        this.options.onDelivered(current, message);
      }
    } else if (error && current) {
      if (!transientCodes.has(error.code)) {
        this.fail(current, { code: error.code, message: error.message });
        void this.persist();
      } else if (!connectionCodes.has(error.code)) {
        this.pause(id, error.retryAfterMs ?? 1000);
      }
      // A lost connection: the entry waits for resume(), which comes with the next hello.
    }
    this.pump();
  }

  private pause(conversationId: number, ms: number): void {
    const timer = this.options.timers.setTimeout(
      () => {
        this.paused.delete(conversationId);
        this.pump();
      },
      Math.min(Math.max(ms, 100), 60_000),
    );
    this.paused.set(conversationId, timer);
  }

  private fail(entry: OutboxEntry, error: { code: string; message: string }): void {
    const index = this.entries.indexOf(entry);
    if (index < 0) return;
    this.entries[index] = { ...entry, status: 'failed', error };
    this.options.onChange(entry.conversationId);
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
      const saved: Saved = { v: 1, ...owner, entries: this.entries };
      try {
        await this.options.storage.set(this.options.storageKey, JSON.stringify(saved));
      } catch (err) {
        console.warn('beseda: could not save the outbox', err);
      }
    });
    return this.persistChain;
  }
}

function parseSaved(raw: string | null): Saved | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Saved>;
    if (value.v !== 1 || typeof value.hubUrl !== 'string' || typeof value.userId !== 'number') return null;
    if (!Array.isArray(value.entries)) return null;
    const entries = value.entries.filter(
      (e): e is OutboxEntry =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.clientId === 'string' &&
        typeof e.conversationId === 'number' &&
        typeof e.text === 'string' &&
        typeof e.createdAt === 'number' &&
        (e.status === 'pending' || e.status === 'failed'),
    );
    return { v: 1, hubUrl: value.hubUrl, userId: value.userId, entries };
  } catch {
    return null;
  }
}
