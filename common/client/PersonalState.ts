import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import type { User } from '../protocol/model.ts';
import type { ResultMap, ServerFrame, ServerFrameOf } from '../protocol/serverFrame.ts';
import { Drafts } from './Drafts.ts';
import type { KeyValueStorage } from './KeyValueStorage.ts';
import { ReceiptReporter } from './ReceiptReporter.ts';
import type { StateStore } from './StateStore.ts';
import type { IncomingSource } from './StateIntake.ts';
import type { Message } from '../protocol/model.ts';
import type { Timers } from './Timers.ts';

/** What {@link PersonalState} works with: the client core's parts it reads. */
export interface PersonalStateOptions {
  storage: KeyValueStorage;
  store: StateStore;
  timers: Timers;
  /** The signed-in session's hub address and user (null when signed out). */
  session(): { hub: string; me: User } | null;
  isReady(): boolean;
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
  /** Subscribes to other people's new messages (StateIntake.onIncoming). */
  onIncoming(listener: (messages: Message[], source: IncomingSource) => void): () => void;
  /** `received` is sent at most this often (default 1 s). */
  receivedDebounceMs?: number;
}

/** The device's IANA time zone, if the platform says (every browser and Node with ICU do). */
function deviceTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The user's own things in the client core, kept out of ChatClient (a thin front): drafts
 * ({@link Drafts}), settings, read receipts and the time zone ({@link ReceiptReporter}).
 */
export class PersonalState {
  private readonly drafts: Drafts;
  private readonly receipts: ReceiptReporter;

  constructor(options: PersonalStateOptions) {
    this.drafts = new Drafts({
      storage: options.storage,
      store: options.store,
      account: () => {
        const session = options.session();
        return session && { hub: session.hub, userId: session.me.id };
      },
    });
    this.receipts = new ReceiptReporter({
      store: options.store,
      timers: options.timers,
      request: options.request,
      isReady: options.isReady,
      debounceMs: options.receivedDebounceMs ?? 1000,
      timeZone: deviceTimeZone,
    });
    options.onIncoming((messages) => {
      // ✓ shows only in direct conversations: other messages are not reported (no hub write for
      // every member on every message of a busy room).
      const conversations = options.store.state.conversations;
      const direct = messages.filter((m) => conversations[m.conversationId]?.kind === 'direct');
      if (direct.length === 0) return;
      this.receipts.saw(Math.max(...direct.map((m) => m.seq)));
      this.receipts.peerWrote(direct);
    });
  }

  /** The saved drafts of the account signed in now (start-up, sign-in). */
  loadDrafts(): Promise<void> {
    return this.drafts.load().catch(() => undefined);
  }

  /** A connection's hello. */
  hello(hello: ServerFrameOf<'hello'>): void {
    this.receipts.hello(hello);
    void this.loadDrafts();
  }

  /** An event frame (`receipt`, `settings`; others are ignored). */
  event(frame: ServerFrame): void {
    this.receipts.event(frame);
  }

  saveDraft(conversationId: number, text: string): Promise<void> {
    return this.drafts.save(conversationId, text);
  }

  setReadReceipts(on: boolean): Promise<void> {
    return this.receipts.setReadReceipts(on);
  }

  /** The session is reset (sign-in, sign-out): nothing of the old one is reported or kept in memory. */
  reset(): void {
    this.receipts.stop();
    this.drafts.forget();
  }

  /** Before an explicit sign-out: the drafts are deleted from this device (it may be a shared computer). */
  signingOut(): Promise<void> {
    return this.drafts.discard().catch(() => undefined);
  }
}
