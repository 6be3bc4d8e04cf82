import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import type { Message, User } from '../protocol/model.ts';
import type { ResultMap, ServerFrame, ServerFrameOf } from '../protocol/serverFrame.ts';
import type { StateStore } from './StateStore.ts';
import type { Timers } from './Timers.ts';

/** What {@link ReceiptReporter} works with. */
export interface ReceiptReporterOptions {
  store: StateStore;
  timers: Timers;
  /** A request on the current connection (fails when there is none). */
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
  /** Whether a connection is up (nothing is reported without one: the next hello reports). */
  isReady(): boolean;
  /** How long arrivals are gathered before one `received` goes out. */
  debounceMs: number;
  /** This device's IANA time zone (undefined when the platform does not say). */
  timeZone(): string | undefined;
}

/**
 * Read receipts and the user's own settings on the client side: reports (debounced) the newest
 * seq this device has received (the hub shows ✓ to the sender of a direct message), keeps
 * `settings` from hello and `settings` frames, applies `receipt` frames to the conversations,
 * switches receipts, and reports the device's time zone after hello when the hub has another.
 */
export class ReceiptReporter {
  /** The newest seq known to have reached this device, not yet reported. */
  private pending = 0;
  /** The newest seq reported on this connection. */
  private reported = 0;
  private timer: ReturnType<Timers['setTimeout']> | null = null;

  constructor(private readonly options: ReceiptReporterOptions) {}

  /** Messages up to `seq` reached this device. */
  saw(seq: number): void {
    if (seq <= Math.max(this.pending, this.reported)) return;
    this.pending = seq;
    if (this.timer === null) this.timer = this.options.timers.setTimeout(() => this.flush(), this.options.debounceMs);
  }

  /** A new connection: its settings into the state, everything up to its lastSeq received, the time zone. */
  hello(hello: ServerFrameOf<'hello'>): void {
    const { store } = this.options;
    if (hello.settings) store.set('settings', hello.settings);
    this.reported = 0;
    // Hello's counts and conversation list (the sidebar's badges) reached the device. Only direct
    // conversations show ✓, so only they are reported: a busy general room costs the hub no writes.
    this.saw(Math.max(0, ...hello.conversations.filter((c) => c.kind === 'direct').map((c) => c.lastSeq)));
    const zone = this.options.timeZone();
    if (zone && zone !== hello.me.timeZone)
      void this.options.request('settings.set', { timeZone: zone }).then(
        ({ me }) => this.putMe(me),
        () => undefined, // an older hub, or a zone the hub does not know: the card shows no local time
      );
  }

  /** `receipt` and `settings` frames; others are ignored. */
  event(frame: ServerFrame): void {
    const { store } = this.options;
    if (frame.type === 'settings') store.set('settings', frame.settings);
    if (frame.type !== 'receipt') return;
    const c = store.state.conversations[frame.conversationId];
    if (!c) return;
    // Receipts only move forward (a frame overtaken by a newer conversation list changes nothing).
    const peerReadSeq = Math.max(c.peerReadSeq ?? 0, frame.peerReadSeq ?? 0);
    const peerReceivedSeq = Math.max(c.peerReceivedSeq ?? 0, frame.peerReceivedSeq ?? 0, peerReadSeq);
    if (peerReadSeq === c.peerReadSeq && peerReceivedSeq === c.peerReceivedSeq) return;
    store.setConversation(c.id, { ...c, peerReadSeq, peerReceivedSeq });
  }

  /**
   * Messages from the other person of a direct conversation: writing there moved their read
   * marker to their message (the hub does so on send), so my messages before it are read — the
   * same values the hub's conversation list gives after a reconnect. Only while receipts are on.
   */
  peerWrote(messages: readonly Message[]): void {
    const { store } = this.options;
    for (const m of messages) {
      const c = store.state.conversations[m.conversationId];
      if (c?.kind !== 'direct' || c.peerId !== m.senderId || c.peerReceivedSeq === undefined) continue;
      if ((c.peerReadSeq ?? 0) >= m.seq) continue;
      store.setConversation(c.id, { ...c, peerReadSeq: m.seq, peerReceivedSeq: Math.max(c.peerReceivedSeq, m.seq) });
    }
  }

  /** Switches the user's read receipts on every device (the hub answers with the settings). */
  async setReadReceipts(on: boolean): Promise<void> {
    const { settings, me } = await this.options.request('settings.set', { readReceipts: on });
    this.options.store.set('settings', settings);
    this.putMe(me);
  }

  /** The hub's answer about the signed-in user (presence is kept: the answer's may be older). */
  private putMe(me: User): void {
    const { store } = this.options;
    const current = store.state.me;
    if (!current || current.id !== me.id) return;
    const next = { ...me, presence: current.presence };
    store.set('me', next);
    store.setUser(me.id, next);
  }

  /** Stops the timer (sign-out, dispose); nothing more is reported. */
  stop(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
    this.pending = 0;
    this.reported = 0;
  }

  private flush(): void {
    this.timer = null;
    const seq = this.pending;
    if (seq <= this.reported || !this.options.isReady()) return;
    this.reported = seq;
    void this.options.request('received', { seq }).catch(() => {
      // Lost with the connection: the next hello reports again.
      this.reported = 0;
    });
  }
}
