import type { MessageView } from './ClientState.ts';
import type { Connection } from './Connection.ts';
import type { StateStore } from './StateStore.ts';

/**
 * Moves read markers, only as far as the user has seen: the UI calls {@link ReadMarkers.markSeen}
 * with the seq of the newest message that was on screen for a moment or scrolled past. Opening a
 * conversation, a window becoming visible or new messages arriving mark nothing by themselves.
 * The marker moves locally at once (the counts estimated from the held messages, the hub's
 * `unread` answer corrects them) and `read` is sent once per target.
 */
export class ReadMarkers {
  private readonly inFlight = new Map<number, number>();
  /** The newest seq the user was seen to have seen, per conversation (sent again after a reconnect). */
  private readonly seen = new Map<number, number>();
  /** Whose `seen` it is: another user signing in on this client must not inherit it. */
  private seenBy: number | null = null;

  constructor(
    private readonly store: StateStore,
    private readonly connection: Connection,
  ) {}

  /** Forgets the reads on their way (a new connection, or a new session, sends them again). */
  forget(): void {
    this.inFlight.clear();
  }

  /** Whether the UI is visible to the user: nothing to do, visibility alone marks nothing read (the UI checks it). */
  setVisible(_visible: boolean): void {}

  /**
   * Whether an arriving message counts as read at once. Never: a message is unread until the UI
   * says it was seen (the user may be scrolled back, or looking away from a visible window).
   */
  isSeen(_conversationId: number): boolean {
    return false;
  }

  /**
   * With `seq`: the user has seen the conversation up to that message. The marker moves to the
   * newest stored message the window holds at or before `seq` — never back, never past what the
   * window holds, and not at all while the window lacks messages between the marker and it (a
   * window opened around an older message: what lies between was not seen).
   *
   * Without `seq` (after a hello, new messages, a conversation frame): sends again what the user
   * has already seen if the hub's marker is behind it; marks nothing new.
   */
  markSeen(conversationId: number, seq?: number): void {
    const me = this.store.state.me?.id ?? null;
    if (me !== this.seenBy) {
      this.seen.clear();
      this.seenBy = me;
    }
    if (seq !== undefined) {
      const c = this.store.state.conversations[conversationId];
      if (!c || !Number.isSafeInteger(seq) || seq <= c.readSeq) return;
      const target = this.heldTarget(conversationId, c.readSeq, c.unread, seq);
      if (target === null) return;
      if (target > (this.seen.get(conversationId) ?? 0)) this.seen.set(conversationId, target);
    }
    this.apply(conversationId);
  }

  private apply(conversationId: number): void {
    const c = this.store.state.conversations[conversationId];
    const target = this.seen.get(conversationId);
    if (!c || target === undefined || target <= c.readSeq) return;
    const { unread, mentions } = this.countsAfter(conversationId, c.readSeq, target, c);
    this.store.setConversation(conversationId, { ...c, readSeq: target, unread, mentions });
    if (!this.connection.isReady) return; // sent after the reconnect's hello
    if ((this.inFlight.get(conversationId) ?? -1) >= target) return;
    this.inFlight.set(conversationId, target);
    this.connection.request('read', { conversationId, seq: target }).then(
      () => undefined,
      () => {
        // Offline: hello's counts after the reconnect bring the marker back, and it is sent again.
        if (this.inFlight.get(conversationId) === target) this.inFlight.delete(conversationId);
      },
    );
  }

  /** The stored messages the window holds, oldest first. */
  private held(conversationId: number): MessageView[] {
    return (this.store.state.messages[conversationId]?.items ?? []).filter((m) => m.status === 'sent' && m.seq > 0);
  }

  /**
   * The newest held seq at or before `seq`, or null when there is none or the window may lack
   * messages between the marker and it.
   */
  private heldTarget(conversationId: number, readSeq: number, unread: number, seq: number): number | null {
    const win = this.store.state.messages[conversationId];
    const held = this.held(conversationId);
    let target: number | null = null;
    for (const m of held) if (m.seq <= seq) target = m.seq;
    if (target === null || target <= readSeq) return null;
    const first = held[0]!.seq;
    if (first > readSeq && win?.hasOlder) {
      // Messages older than the window and newer than the marker may exist. None do when the
      // window holds as many unread messages as the hub counts and reaches the newest.
      const me = this.store.state.me?.id;
      const heldUnread = held.filter((m) => m.seq > readSeq && m.kind !== 'system' && m.senderId !== me).length;
      if (win.hasNewer || heldUnread < unread) return null;
    }
    return target;
  }

  /** The unread and mention counts left once the marker moves from `from` to `to` (the hub's answer corrects them). */
  private countsAfter(
    conversationId: number,
    from: number,
    to: number,
    c: { unread: number; mentions: number; kind: string },
  ): { unread: number; mentions: number } {
    const me = this.store.state.me?.id;
    let unread = c.unread;
    let mentions = c.mentions;
    for (const m of this.held(conversationId)) {
      if (m.seq <= from || m.seq > to || m.kind === 'system' || m.senderId === me) continue;
      unread--;
      if (c.kind === 'direct' || m.mentionsAll || (me !== undefined && m.mentions.includes(me))) mentions--;
    }
    return { unread: Math.max(0, unread), mentions: Math.max(0, mentions) };
  }
}
