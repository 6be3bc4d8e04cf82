import type { Message } from '../protocol/model.ts';
import { quoteOf } from './quoteOf.ts';
import type { MessageView } from './ClientState.ts';
import type { StateStore } from './StateStore.ts';

/** How many stored messages a conversation keeps loaded. */
export interface WindowSizes {
  /** In conversations not on screen (older ones are dropped, and loaded again on demand). */
  keep: number;
  /** In the conversation on screen, so that new messages do not push out what the user reads. */
  activeMax: number;
  /** Scrolling back stops here (what the user loaded stays while the conversation is on screen). */
  hardMax: number;
}

/** 300 messages per conversation; 3000 in the one on screen, or up to 10 000 when scrolled back. */
export const defaultWindowSizes: WindowSizes = { keep: 300, activeMax: 3000, hardMax: 10_000 };

interface WindowData {
  /** Stored messages, by seq ascending, contiguous up to the newest the client has. */
  sent: MessageView[];
  hasOlder: boolean;
  loadingOlder: boolean;
  /** The newest page has been loaded from the hub (until then the window may hold only live messages). */
  loaded: boolean;
  /** The user scrolled back while on screen: nothing is trimmed (up to the hard bound) until they leave. */
  scrolledBack: boolean;
}

/**
 * The loaded message windows of all conversations. Each holds a contiguous run of stored messages
 * ending at the newest one, followed by the conversation's outbox entries (pending, failed); older
 * messages are dropped beyond a bound and fetched again with `history` when the user scrolls back.
 */
export class MessageWindows {
  private readonly windows = new Map<number, WindowData>();
  private active: number | null = null;

  constructor(
    private readonly store: StateStore,
    private readonly outboxViews: (conversationId: number) => MessageView[],
    private readonly sizes: WindowSizes = defaultWindowSizes,
    /** The user's queued changes (and the hub's refusals of them) shown on the stored messages. */
    private readonly overlay: (conversationId: number, sent: MessageView[]) => MessageView[] = (_id, sent) => sent,
  ) {}

  has(conversationId: number): boolean {
    return this.windows.has(conversationId);
  }

  /** Whether the newest page of the conversation has been loaded. */
  isLoaded(conversationId: number): boolean {
    return this.windows.get(conversationId)?.loaded ?? false;
  }

  /** Whether a window holds this stored message. */
  holds(conversationId: number, seq: number): boolean {
    const sent = this.windows.get(conversationId)?.sent;
    return !!sent && sent.length > 0 && seq >= sent[0]!.seq && findSeq(sent, seq) >= 0;
  }

  /** The stored message with this seq as the window holds it (without the user's queued changes). */
  find(conversationId: number, seq: number): MessageView | undefined {
    const sent = this.windows.get(conversationId)?.sent;
    const index = sent ? findSeq(sent, seq) : -1;
    return index >= 0 ? sent![index] : undefined;
  }

  /**
   * A message as it is now (an update, the answer to a change): replaces the held copy when its
   * `rev` is newer (never with an older one), and refreshes the quotes of held replies to it.
   * False when the window does not hold it or holds it as new already.
   */
  replace(conversationId: number, message: Message): boolean {
    const w = this.windows.get(conversationId);
    if (!w) return false;
    const index = findSeq(w.sent, message.seq);
    if (index < 0 || revOf(message) <= revOf(w.sent[index]!)) return false;
    const sent = [...w.sent];
    sent[index] = toView(message);
    for (let i = index + 1; i < sent.length; i++) {
      const reply = sent[i]!;
      if (reply.replyTo?.seq === message.seq) sent[i] = { ...reply, replyTo: quoteOf(message, reply.replyTo) };
    }
    w.sent = sent;
    this.publish(conversationId);
    return true;
  }

  /** The window's state for loading older messages. */
  olderState(conversationId: number): {
    before: number | undefined;
    hasOlder: boolean;
    loading: boolean;
    count: number;
  } {
    const w = this.windows.get(conversationId);
    if (!w) return { before: undefined, hasOlder: true, loading: false, count: 0 };
    return {
      before: w.sent[0]?.seq,
      // At the hard bound, scrolling back stops (the window would otherwise grow without end).
      hasOlder: w.hasOlder && w.sent.length < this.sizes.hardMax,
      loading: w.loadingOlder,
      count: w.sent.length,
    };
  }

  /** Creates an empty window (nothing loaded yet) if there is none. */
  ensure(conversationId: number, hasOlder = true): void {
    if (this.windows.has(conversationId)) return;
    this.windows.set(conversationId, { sent: [], hasOlder, loadingOlder: false, loaded: false, scrolledBack: false });
    this.publish(conversationId);
  }

  /** Adds stored messages of one conversation (new ones, or a page), ignoring those it has. Only to existing windows. */
  merge(conversationId: number, messages: readonly Message[]): void {
    const w = this.windows.get(conversationId);
    if (!w || messages.length === 0) return;
    w.sent = mergeBySeq(w.sent, messages);
    this.trim(conversationId, w);
    this.publish(conversationId);
  }

  /** Adds a page from `history`: the `more` flag says whether even older messages exist. */
  addPage(conversationId: number, messages: readonly Message[], more: boolean, wasNewest: boolean): void {
    const w = this.windows.get(conversationId);
    if (!w) return;
    w.sent = mergeBySeq(w.sent, messages);
    w.loadingOlder = false;
    w.hasOlder = more;
    if (wasNewest) w.loaded = true;
    else if (conversationId === this.active) w.scrolledBack = true;
    this.trim(conversationId, w);
    this.publish(conversationId);
  }

  setLoading(conversationId: number, loading: boolean): void {
    const w = this.windows.get(conversationId);
    if (!w || w.loadingOlder === loading) return;
    w.loadingOlder = loading;
    this.publish(conversationId);
  }

  /** The conversation on screen changed: the one left is trimmed back to the usual bound. */
  setActive(conversationId: number | null): void {
    const previous = this.active;
    this.active = conversationId;
    if (previous !== null && previous !== conversationId) {
      const w = this.windows.get(previous);
      if (w) {
        w.scrolledBack = false;
        if (this.trim(previous, w)) this.publish(previous);
      }
    }
  }

  /** Re-reads the conversation's outbox entries into its window (creating the window if needed). */
  refresh(conversationId: number): void {
    if (!this.windows.has(conversationId)) {
      if (this.outboxViews(conversationId).length === 0) return;
      this.windows.set(conversationId, {
        sent: [],
        hasOlder: true,
        loadingOlder: false,
        loaded: false,
        scrolledBack: false,
      });
    }
    this.publish(conversationId);
  }

  remove(conversationId: number): void {
    if (!this.windows.delete(conversationId)) return;
    this.store.setWindow(conversationId, null);
  }

  /** Drops every loaded message (after a long time away); outbox entries stay. */
  clear(): void {
    for (const id of [...this.windows.keys()]) {
      this.windows.delete(id);
      if (this.outboxViews(id).length > 0) this.refresh(id);
      else this.store.setWindow(id, null);
    }
  }

  private trim(conversationId: number, w: WindowData): boolean {
    const limit =
      conversationId === this.active ? (w.scrolledBack ? this.sizes.hardMax : this.sizes.activeMax) : this.sizes.keep;
    if (w.sent.length <= limit) return false;
    w.sent = w.sent.slice(w.sent.length - limit);
    w.hasOlder = true;
    return true;
  }

  private publish(conversationId: number): void {
    const w = this.windows.get(conversationId);
    if (!w) return;
    const outbox = this.outboxViews(conversationId);
    const sent = this.overlay(conversationId, w.sent);
    this.store.setWindow(conversationId, {
      items: outbox.length > 0 ? [...sent, ...outbox] : sent,
      hasOlder: w.hasOlder,
      loadingOlder: w.loadingOlder,
    });
  }
}

/**
 * Merges messages into a seq-ordered list without duplicates (new list; the inputs are not
 * changed). A message already held is replaced only by a copy with a newer `rev` (edited,
 * deleted, reacted to or pinned since).
 */
export function mergeBySeq(existing: readonly MessageView[], incoming: readonly Message[]): MessageView[] {
  const last = existing.length > 0 ? existing[existing.length - 1]!.seq : 0;
  // The usual case: new messages after the newest one, already in order.
  let ordered = true;
  let prev = last;
  for (const m of incoming) {
    if (m.seq <= prev) {
      ordered = false;
      break;
    }
    prev = m.seq;
  }
  if (ordered) return [...existing, ...incoming.map(toView)];
  const bySeq = new Map<number, MessageView>();
  for (const m of existing) bySeq.set(m.seq, m);
  for (const m of incoming) {
    const held = bySeq.get(m.seq);
    if (!held || revOf(m) > revOf(held)) bySeq.set(m.seq, toView(m));
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The newest update applied to a message (0: never changed). */
export function revOf(message: { rev?: number | undefined }): number {
  return message.rev ?? 0;
}

function toView(message: Message): MessageView {
  return { ...message, status: 'sent' };
}

function findSeq(sorted: readonly MessageView[], seq: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sorted[mid]!.seq;
    if (s === seq) return mid;
    if (s < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
