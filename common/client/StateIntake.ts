import type { Conversation, Message, MessageUpdate, User } from '../protocol/model.ts';
import type { Connection } from './Connection.ts';
import { revOf, type MessageWindows } from './MessageWindows.ts';
import type { Outbox } from './Outbox.ts';
import { withPinChange } from './pinList.ts';
import type { ReadMarkers } from './ReadMarkers.ts';
import type { StateStore } from './StateStore.ts';
import type { Timers } from './Timers.ts';
import type { TypingTracker } from './TypingTracker.ts';
import type { UserDirectory } from './UserDirectory.ts';

/** Where new messages came from: the live stream, or the catch-up after a reconnect. */
export type IncomingSource = 'live' | 'catchup';

/** Where stored messages come from inside the client (`ack`: the reply to our own `send`). */
export type MessageSource = IncomingSource | 'ack';

/** Someone put a reaction on one of the user's messages, or took one off (`message` as it is now). */
export interface ReactionNews {
  message: Message;
  actorId: number;
}

/** The parts of the client core that what the hub sends lands in. */
export interface StateIntakeParts {
  store: StateStore;
  connection: Connection;
  outbox: Outbox;
  windows: MessageWindows;
  reads: ReadMarkers;
  typingTracker: TypingTracker;
  directory: UserDirectory;
  timers: Timers;
  /** The signed-in user now (null: signed out, and whatever still arrives is ignored). */
  me(): User | null;
}

/**
 * Takes what the hub sends into the client state: stored messages (into windows, the outbox,
 * unread counts, typing and the incoming listeners), conversations that changed or went away,
 * presence and users. The order of events is the sync engine's concern, not this one's.
 */
export class StateIntake {
  private readonly incomingListeners = new Set<(messages: Message[], source: IncomingSource) => void>();
  private readonly editMentionListeners = new Set<(messages: Message[], source: IncomingSource) => void>();
  private readonly reactionListeners = new Set<(reactions: ReactionNews[], source: IncomingSource) => void>();
  /** Updates (by seq) that already told the listeners the user was mentioned: a repeat tells nobody. */
  private readonly mentionedBy = new Set<number>();
  private refreshTimer: unknown = null;

  constructor(private readonly parts: StateIntakeParts) {}

  /** Listens for other people's new messages (for notifications); returns the unsubscribe function. */
  onIncoming(listener: (messages: Message[], source: IncomingSource) => void): () => void {
    this.incomingListeners.add(listener);
    return () => this.incomingListeners.delete(listener);
  }

  /**
   * Listens for edits of other people's messages that mention the user for the first time (to
   * notify once; they never count as unread); returns the unsubscribe function.
   */
  onEditMention(listener: (messages: Message[], source: IncomingSource) => void): () => void {
    this.editMentionListeners.add(listener);
    return () => this.editMentionListeners.delete(listener);
  }

  /** Listens for reactions others change on the user's messages (the desktop may notify them). */
  onReaction(listener: (reactions: ReactionNews[], source: IncomingSource) => void): () => void {
    this.reactionListeners.add(listener);
    return () => this.reactionListeners.delete(listener);
  }

  /** Stops the pending conversation refresh and drops the listeners (the client is closed). */
  dispose(): void {
    if (this.refreshTimer !== null) this.parts.timers.clearTimeout(this.refreshTimer);
    this.incomingListeners.clear();
    this.editMentionListeners.clear();
    this.reactionListeners.clear();
  }

  /**
   * Takes in changes to stored messages (live `message.updated`, a catch-up's `updates`): each
   * message as it is now replaces the copies held (windows, pins, announcements) when newer. An
   * edit that mentions the user for the first time is told to the edit-mention listeners, once
   * per update however often it arrives. Unread counts and read markers never move.
   */
  updates(updates: readonly MessageUpdate[], source: IncomingSource): void {
    const me = this.parts.me()?.id;
    if (me === undefined) return;
    const mentioned: Message[] = [];
    const reacted: ReactionNews[] = [];
    for (const u of updates) {
      this.messageChanged(u.message);
      if (u.kind === 'react' && u.actorId !== me && u.message.senderId === me)
        reacted.push({ message: u.message, actorId: u.actorId });
      if (u.kind !== 'edit' || u.actorId === me || !u.newMentions?.includes(me) || this.mentionedBy.has(u.seq))
        continue;
      this.mentionedBy.add(u.seq);
      // Bounded: an update comes again only within one catch-up of its arrival.
      if (this.mentionedBy.size > 1000) this.mentionedBy.delete(this.mentionedBy.values().next().value!);
      mentioned.push(u.message);
    }
    if (mentioned.length > 0) this.tell(this.editMentionListeners, mentioned, source);
    if (reacted.length > 0) this.tell(this.reactionListeners, reacted, source);
  }

  /**
   * One stored message as the hub has it now (an update, the answer to the user's change): the
   * window's copy, the conversation's loaded pins and a pending announcement follow it when it is
   * newer than what they hold.
   */
  messageChanged(message: Message): void {
    const { store, windows } = this.parts;
    const id = message.conversationId;
    windows.replace(id, message);
    const pins = store.state.pins[id];
    if (pins) {
      const next = withPinChange(pins, message);
      if (next !== pins) store.setPins(id, [...next]);
    }
    const announcement = store.state.announcements[message.seq];
    if (announcement && revOf(message) > revOf(announcement)) {
      // A deleted announcement no longer asks to be confirmed.
      store.setAnnouncement(message.seq, message.deleted ? null : message);
    }
    // Reactions list who put them there, by name.
    const people = new Set<number>(message.reactions?.flatMap((r) => r.userIds) ?? []);
    if (message.pinned) people.add(message.pinned.by);
    if (people.size > 0) this.parts.directory.want(people);
  }

  /**
   * Takes in stored messages (live, catch-up pages, replies to send): windows, the outbox,
   * unread counts, typing, unknown senders, read markers and incoming listeners. `reportedLive`:
   * the seqs the live stream already reported while a catch-up ran (not reported again).
   */
  messages(messages: readonly Message[], source: MessageSource, reportedLive: ReadonlySet<number>): void {
    const { store, windows, reads, typingTracker } = this.parts;
    const user = this.parts.me();
    if (!user || messages.length === 0) return;
    const me = user.id;
    const incoming: Message[] = [];
    const byConversation = new Map<number, Message[]>();
    const senders = new Set<number>();
    let unknownConversation = false;

    for (const m of messages) {
      const own = m.senderId === me;
      if (own) this.parts.outbox.delivered(m.clientId);
      const c = store.state.conversations[m.conversationId];
      if (!c) {
        unknownConversation = true;
        continue;
      }
      const known = windows.holds(c.id, m.seq);
      const isNew = m.seq > c.lastSeq;
      let next = c;
      if (isNew) {
        next = { ...next, lastSeq: m.seq, lastTs: m.ts };
        if (own) {
          // Writing in a conversation means having read it (the hub moves the marker too).
          next = { ...next, readSeq: Math.max(next.readSeq, m.seq), unread: 0, mentions: 0 };
        } else if (m.kind !== 'system' && !reads.isSeen(c.id) && m.seq > c.readSeq) {
          const mentioned = c.kind === 'direct' || m.mentionsAll || m.mentions.includes(me);
          next = { ...next, unread: next.unread + 1, mentions: next.mentions + (mentioned ? 1 : 0) };
        }
      }
      if (next !== c) store.setConversation(c.id, next);
      if (!own) {
        typingTracker.remove(c.id, m.senderId);
        const fresh = source === 'catchup' ? m.seq > c.readSeq && !known && !reportedLive.has(m.seq) : isNew && !known;
        if (fresh && m.kind !== 'system') incoming.push(m);
      }
      senders.add(m.senderId);
      // Mentioned people too: their @login shows as their name.
      for (const id of m.mentions) senders.add(id);
      if (m.system) {
        for (const id of m.system.targetIds ?? []) senders.add(id);
        senders.add(m.system.actorId);
      }
      let list = byConversation.get(c.id);
      if (!list) byConversation.set(c.id, (list = []));
      list.push(m);
    }

    for (const [conversationId, list] of byConversation) {
      windows.merge(conversationId, list);
      reads.markSeen(conversationId);
    }
    this.parts.directory.want(senders);
    if (unknownConversation) this.refreshConversationsSoon();
    if (incoming.length > 0 && source !== 'ack') this.tellIncoming(incoming, source);
  }

  private tellIncoming(incoming: Message[], source: IncomingSource): void {
    this.tell(this.incomingListeners, incoming, source);
  }

  private tell<T>(
    listeners: ReadonlySet<(items: T[], source: IncomingSource) => void>,
    incoming: T[],
    source: IncomingSource,
  ): void {
    for (const listener of [...listeners]) {
      try {
        listener(incoming, source);
      } catch (err) {
        console.error('beseda: an incoming-message listener failed', err);
      }
    }
  }

  /** A message for a conversation the client does not know: ask for the list (once per burst). */
  private refreshConversationsSoon(): void {
    if (this.refreshTimer !== null) return;
    this.refreshTimer = this.parts.timers.setTimeout(() => {
      this.refreshTimer = null;
      this.parts.connection.request('conversations.list', {}).then(
        (result) => {
          for (const c of result.conversations) this.conversationChanged(c);
        },
        () => undefined,
      );
    }, 50);
  }

  /** A conversation as the hub sent it (an event, or the reply to our own change). */
  conversationChanged(incoming: Conversation): void {
    const { store } = this.parts;
    const local = store.state.conversations[incoming.id];
    let next = incoming;
    if (local) {
      const lastSeq = Math.max(local.lastSeq, incoming.lastSeq);
      const lastTs = lastSeq === incoming.lastSeq ? incoming.lastTs : local.lastTs;
      next =
        incoming.readSeq < local.readSeq
          ? { ...incoming, lastSeq, lastTs, readSeq: local.readSeq, unread: local.unread, mentions: local.mentions }
          : { ...incoming, lastSeq, lastTs };
    } else if (incoming.peerId) {
      this.parts.directory.want([incoming.peerId]);
    }
    store.setConversation(incoming.id, next);
    this.parts.reads.markSeen(incoming.id);
  }

  /** The user is no longer in this conversation (left, removed, or it was deleted). */
  conversationGone(conversationId: number): void {
    const { store, windows } = this.parts;
    store.setConversation(conversationId, null);
    windows.remove(conversationId);
    // Unsent messages stay visible (they fail when the hub refuses them) rather than vanish.
    windows.refresh(conversationId);
    this.parts.typingTracker.clear(conversationId);
    if (store.state.activeConversationId === conversationId) {
      store.set('activeConversationId', null);
      windows.setActive(null);
    }
  }

  /** Someone's presence changed (for ourselves, `me` too). */
  presenceChanged(change: { userId: number; status: User['presence']; lastSeen: number | null }): void {
    const { store } = this.parts;
    const me = this.parts.me();
    const user = store.state.users[change.userId];
    if (!me || !user) return;
    const next = { ...user, presence: change.status, lastSeen: change.lastSeen };
    store.setUser(user.id, next);
    if (user.id === me.id) store.set('me', next);
  }

  /** Users the hub sent (looked up, searched): the state's directory and, for ourselves, `me`. */
  putUsers(users: readonly User[]): void {
    const { store } = this.parts;
    const me = this.parts.me()?.id;
    for (const user of users) {
      store.setUser(user.id, user);
      if (user.id === me) store.set('me', user);
    }
  }

  /** Looks up the users the client does not know yet (null: it knows them all; a failure is ignored). */
  loadUnknownUsers(ids: readonly number[]): Promise<void> | null {
    const unknown = ids.filter((id) => !(id in this.parts.store.state.users));
    return unknown.length > 0 ? this.parts.directory.load(unknown).catch(() => undefined) : null;
  }
}
