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
  /**
   * Opened around an older message: the hub has newer messages than the last one held, so new
   * messages are not appended (the run would have a gap) until `loadNewer` reaches the newest.
   */
  hasNewer: boolean;
  loadingNewer: boolean;
  /** Bumped whenever the held run is replaced: a page asked for before belongs to another run. */
  epoch: number;
}

/**
 * The loaded message windows of all conversations. Each holds a contiguous run of stored messages
 * ending at the newest one, followed by the conversation's outbox entries (pending, failed); older
 * messages are dropped beyond a bound and fetched again with `history` when the user scrolls back.
 * A window opened around an older message (`replaceRun`) is a contiguous run that ends before the
 * newest (`hasNewer`): it grows forward with `addNewerPage` and is live again once it reaches the end.
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
    this.windows.set(conversationId, emptyWindow(hasOlder));
    this.publish(conversationId);
  }

  /** Whether the window was opened around an older message and has not reached the newest yet. */
  isDetached(conversationId: number): boolean {
    return this.windows.get(conversationId)?.hasNewer ?? false;
  }

  /** Bumped whenever the window's run is replaced (or the window made anew): pages asked for before are stale. */
  epoch(conversationId: number): number {
    return this.windows.get(conversationId)?.epoch ?? -1;
  }

  /** The held run's ends (undefined when empty) and the state of loading newer messages. */
  newerState(conversationId: number): {
    first: number | undefined;
    last: number | undefined;
    hasNewer: boolean;
    loading: boolean;
  } {
    const w = this.windows.get(conversationId);
    return {
      first: w?.sent[0]?.seq,
      last: w?.sent.at(-1)?.seq,
      hasNewer: w?.hasNewer ?? false,
      loading: w?.loadingNewer ?? false,
    };
  }

  /** The stored messages held after `seq`, as the hub sent them (without the user's queued changes). */
  heldAfter(conversationId: number, seq: number): Message[] {
    const sent = this.windows.get(conversationId)?.sent ?? [];
    return sent.filter((m) => m.seq > seq).map(({ status: _status, ...m }) => m as Message);
  }

  /**
   * Replaces the held run by a page around an older message (a search result, a link): `newer`
   * says whether the hub has messages after it (the window is then detached from the live end).
   */
  replaceRun(conversationId: number, messages: readonly Message[], more: boolean, newer: boolean): void {
    const w = this.windows.get(conversationId) ?? emptyWindow(more);
    this.windows.set(conversationId, w);
    w.sent = mergeBySeq([], messages);
    w.hasOlder = more;
    w.hasNewer = newer;
    w.loadingOlder = false;
    w.loadingNewer = false;
    w.loaded = true;
    w.scrolledBack = conversationId === this.active;
    w.epoch = ++epochs;
    this.trim(conversationId, w);
    this.publish(conversationId);
  }

  /** Adds the page after the held run (`history after`); `newer` false: the window reached the newest and is live. */
  addNewerPage(conversationId: number, messages: readonly Message[], newer: boolean): void {
    const w = this.windows.get(conversationId);
    if (!w) return;
    w.sent = mergeBySeq(w.sent, messages);
    w.hasNewer = newer;
    w.loadingNewer = false;
    this.trim(conversationId, w);
    this.publish(conversationId);
  }

  setLoadingNewer(conversationId: number, loading: boolean): void {
    const w = this.windows.get(conversationId);
    if (!w || w.loadingNewer === loading) return;
    w.loadingNewer = loading;
    this.publish(conversationId);
  }

  /**
   * Adds stored messages of one conversation (new ones, or a page), ignoring those it has. Only to
   * existing windows. A detached window (`hasNewer`) takes none after its last one: they would
   * leave a gap (they come with `loadNewer` in order).
   */
  merge(conversationId: number, messages: readonly Message[]): void {
    const w = this.windows.get(conversationId);
    if (!w || messages.length === 0) return;
    if (w.hasNewer) {
      const last = w.sent.at(-1)?.seq ?? 0;
      messages = messages.filter((m) => m.seq <= last);
      if (messages.length === 0) return;
    }
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

  /**
   * The conversation on screen changed: the one left is trimmed back to the usual bound, or
   * dropped when it was opened around an older message (it opens at the newest next time).
   */
  setActive(conversationId: number | null): void {
    const previous = this.active;
    this.active = conversationId;
    if (previous !== null && previous !== conversationId) {
      const w = this.windows.get(previous);
      if (w?.hasNewer) {
        this.windows.delete(previous);
        this.store.setWindow(previous, null);
        this.refresh(previous);
      } else if (w) {
        w.scrolledBack = false;
        if (this.trim(previous, w)) this.publish(previous);
      }
    }
  }

  /** Re-reads the conversation's outbox entries into its window (creating the window if needed). */
  refresh(conversationId: number): void {
    if (!this.windows.has(conversationId)) {
      if (this.outboxViews(conversationId).length === 0) return;
      this.windows.set(conversationId, emptyWindow(true));
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
      // Absent means false (the usual window, live at the newest).
      ...(w.hasNewer ? { hasNewer: true } : {}),
      ...(w.loadingNewer ? { loadingNewer: true } : {}),
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

let epochs = 0;

function emptyWindow(hasOlder: boolean): WindowData {
  // Epochs are unique across windows, so a window made anew never repeats an older one's.
  return {
    sent: [],
    hasOlder,
    loadingOlder: false,
    loaded: false,
    scrolledBack: false,
    hasNewer: false,
    loadingNewer: false,
    epoch: ++epochs,
  };
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
