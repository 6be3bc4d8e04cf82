import type { Conversation, Message, User } from '../protocol/model.ts';
import { emptyClientState, type ClientState, type MessageWindow, type StatePatch } from './ClientState.ts';

type Scalars = Pick<
  ClientState,
  | 'connection'
  | 'connectionError'
  | 'hubUrl'
  | 'fileKey'
  | 'limits'
  | 'me'
  | 'activeConversationId'
  | 'totalUnread'
  | 'totalMentions'
  | 'settings'
>;
type RecordKey = 'conversations' | 'users' | 'messages' | 'typing' | 'announcements' | 'pins' | 'drafts';

/**
 * Holds the {@link ClientState} and tells subscribers what changed as {@link StatePatch}es.
 * Changes made in one burst (a catch-up page of 500 messages, a hello) are coalesced into one
 * patch delivered in a microtask. Entries (a conversation, a user, a message window) are never
 * changed in place, only replaced, so a patch can carry them as they are.
 */
export class StateStore {
  private current: ClientState = emptyClientState();
  private pending: StatePatch | null = null;
  private totalsStale = false;
  private readonly listeners = new Set<(patch: StatePatch) => void>();

  /** The state now (read-only: change it through the methods). */
  get state(): Readonly<ClientState> {
    this.settleTotals();
    return this.current;
  }

  /** A copy of the state that later changes do not touch (what `Backend.getState` hands out). */
  snapshot(): ClientState {
    const s = this.state;
    return {
      ...s,
      conversations: { ...s.conversations },
      users: { ...s.users },
      messages: { ...s.messages },
      typing: { ...s.typing },
      announcements: { ...s.announcements },
      pins: { ...s.pins },
      drafts: { ...s.drafts },
    };
  }

  /** Calls `listener` with every patch from now on; returns the unsubscribe function. */
  subscribe(listener: (patch: StatePatch) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sets one of the plain top-level fields. */
  set<K extends keyof Scalars>(key: K, value: Scalars[K]): void {
    if (this.current[key] === value) return;
    this.current[key] = value as ClientState[K];
    (this.open() as Record<string, unknown>)[key] = value;
  }

  setConversation(id: number, conversation: Conversation | null): void {
    this.setEntry('conversations', id, conversation);
    this.totalsStale = true;
  }

  setUser(id: number, user: User | null): void {
    this.setEntry('users', id, user);
  }

  setWindow(id: number, window: MessageWindow | null): void {
    this.setEntry('messages', id, window);
  }

  setTyping(id: number, userIds: number[] | null): void {
    this.setEntry('typing', id, userIds && userIds.length > 0 ? userIds : null);
  }

  setAnnouncement(seq: number, message: Message | null): void {
    this.setEntry('announcements', seq, message);
  }

  /** A conversation's pinned messages, newest pin first (null: not loaded, or forgotten). */
  setPins(conversationId: number, messages: Message[] | null): void {
    this.setEntry('pins', conversationId, messages);
  }

  /** A conversation's unsent composer text ('' or null removes it). */
  setDraft(conversationId: number, text: string | null): void {
    this.setEntry('drafts', conversationId, text ? text : null);
  }

  /** Replaces the whole state (sign-in, sign-out): subscribers get one `reset` patch with all of it. */
  reset(fields: Partial<ClientState> = {}): void {
    this.current = { ...emptyClientState(), ...fields };
    this.totalsStale = true;
    this.settleTotals();
    this.pending = { reset: true, ...this.snapshot() };
    this.schedule();
  }

  /** Delivers the pending patch now (normally a microtask does it). */
  flush(): void {
    const patch = this.pending;
    if (!patch) return;
    this.settleTotals();
    this.pending = null;
    for (const listener of [...this.listeners]) {
      try {
        listener(patch);
      } catch (err) {
        console.error('beseda: a state listener failed', err);
      }
    }
  }

  private setEntry<K extends RecordKey>(key: K, id: number, value: ClientState[K][number] | null): void {
    const record = this.current[key] as Record<number, unknown>;
    if (value === null) {
      if (!(id in record)) return;
      delete record[id];
    } else {
      if (record[id] === value) return;
      record[id] = value;
    }
    const patch = this.open();
    const changes = (patch[key] ??= {}) as Record<number, unknown>;
    changes[id] = value;
  }

  private settleTotals(): void {
    if (!this.totalsStale) return;
    this.totalsStale = false;
    let unread = 0;
    let mentions = 0;
    for (const c of Object.values(this.current.conversations)) {
      if (c.archived) continue;
      unread += c.unread;
      mentions += c.mentions;
    }
    this.set('totalUnread', unread);
    this.set('totalMentions', mentions);
  }

  private open(): StatePatch {
    if (!this.pending) {
      this.pending = {};
      this.schedule();
    }
    return this.pending;
  }

  private scheduled = false;

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.flush();
    });
  }
}
