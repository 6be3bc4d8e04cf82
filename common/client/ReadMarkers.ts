import type { Connection } from './Connection.ts';
import type { StateStore } from './StateStore.ts';

/**
 * Moves read markers: a conversation counts as read only while it is on screen, the UI is visible
 * and the link is up. The marker moves locally at once and `read` is sent once per target.
 */
export class ReadMarkers {
  private visible = false;
  private readonly inFlight = new Map<number, number>();

  constructor(
    private readonly store: StateStore,
    private readonly connection: Connection,
  ) {}

  /** Forgets the reads on their way (a new connection, or a new session, sends them again). */
  forget(): void {
    this.inFlight.clear();
  }

  /** Whether the UI is visible to the user; becoming visible reads the conversation on screen. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    const active = this.store.state.activeConversationId;
    if (visible && active !== null) this.markSeen(active);
  }

  /** The user is actually looking at this conversation now. */
  isSeen(conversationId: number): boolean {
    return this.visible && this.store.state.activeConversationId === conversationId && this.connection.isReady;
  }

  /** Moves the read marker to the newest message if the conversation is on screen. */
  markSeen(conversationId: number): void {
    if (!this.isSeen(conversationId)) return;
    const c = this.store.state.conversations[conversationId];
    if (!c) return;
    const target = c.lastSeq;
    if (target <= c.readSeq && c.unread === 0 && c.mentions === 0) return;
    if ((this.inFlight.get(conversationId) ?? -1) >= target) return;
    this.inFlight.set(conversationId, target);
    this.store.setConversation(conversationId, {
      ...c,
      readSeq: Math.max(c.readSeq, target),
      unread: 0,
      mentions: 0,
    });
    this.connection.request('read', { conversationId, seq: target }).then(
      () => undefined,
      () => {
        // Offline: hello's counts after the reconnect bring the marker back, and it is sent again.
        if (this.inFlight.get(conversationId) === target) this.inFlight.delete(conversationId);
      },
    );
  }
}
