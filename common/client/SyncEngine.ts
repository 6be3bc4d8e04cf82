import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import type { Limits, Message, MessageUpdate, User } from '../protocol/model.ts';
import { overlayActions } from './actionOverlay.ts';
import type { ResultMap, ServerFrame, ServerFrameOf } from '../protocol/serverFrame.ts';
import type { ConnectionState } from './ClientState.ts';
import type { Connection, LinkStatus } from './Connection.ts';
import type { ConnectionError } from './connectionErrors.ts';
import { defaultWindowSizes, MessageWindows } from './MessageWindows.ts';
import type { Outbox } from './Outbox.ts';
import { ReadMarkers } from './ReadMarkers.ts';
import { StateIntake, type IncomingSource, type MessageSource } from './StateIntake.ts';
import type { StateStore } from './StateStore.ts';
import type { Timers } from './Timers.ts';
import { TypingTracker } from './TypingTracker.ts';
import { UserDirectory } from './UserDirectory.ts';
import { WindowLoader } from './WindowLoader.ts';

/** The timings and sizes the sync engine uses (part of the client's tuning). */
export interface SyncTuning {
  /** Messages per `sync` page. */
  syncPage: number;
  /** Messages per `history` page. */
  historyPage: number;
  /** After more than this many hub-wide sequence numbers away, windows are dropped rather than caught up. */
  maxCatchUp: number;
}

/** What the {@link SyncEngine} works with: the client core's parts, and who is signed in. */
export interface SyncEngineOptions {
  store: StateStore;
  connection: Connection;
  outbox: Outbox;
  timers: Timers;
  tuning: SyncTuning;
  /** The signed-in user now (null: signed out, and whatever still arrives is ignored). */
  me(): User | null;
  /** Hello brought the user's own record (the session keeper saves it if it changed). */
  helloMe(me: User): void;
  /** A request to the hub that fails with `signed_out` while nobody is signed in. */
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
}

/**
 * Keeps the client state in step with the hub for one signed-in session: applies hello, catches up
 * by sequence after a reconnect and takes in live events. What arrives lands in the state through
 * {@link StateIntake}; message windows load through {@link WindowLoader}; read markers move through
 * {@link ReadMarkers}. Work for an older connection (a catch-up, a history page) stops when a new
 * hello arrives.
 */
export class SyncEngine {
  /** Messages, conversations, presence and users into the state. */
  readonly intake: StateIntake;
  /** Message windows opened and scrolled back. */
  readonly loader: WindowLoader;
  /** Read markers, and whether the UI is visible. */
  readonly reads: ReadMarkers;
  private readonly store: StateStore;
  private readonly connection: Connection;
  /** The loaded message windows (what is held, and where a window starts). */
  readonly windows: MessageWindows;
  private readonly directory: UserDirectory;
  private readonly typingTracker: TypingTracker;

  private limits: Limits | null = null;
  /** Every message with seq <= syncedSeq that the user may see has been received (once `synced`). */
  private syncedSeq = 0;
  /** A hello has set `syncedSeq` in this session (so the next connection catches up from it). */
  private synced = false;
  /** Bumped on every hello: work for an older connection stops. */
  private link = 0;
  private catchingUp = false;
  /** Highest seq received live on the current connection (what the catch-up ends at). */
  private liveMaxSeq = 0;
  /** Seqs received live while a catch-up runs (the catch-up does not report them again). */
  private readonly liveDuringCatchUp = new Set<number>();

  constructor(private readonly options: SyncEngineOptions) {
    const { store, connection, outbox, timers } = options;
    this.store = store;
    this.connection = connection;
    this.windows = new MessageWindows(
      store,
      (conversationId) => outbox.viewsFor(conversationId, options.me()?.id ?? 0),
      defaultWindowSizes,
      (conversationId, sent) =>
        overlayActions(
          sent,
          outbox.actions.forConversation(conversationId),
          outbox.actions.errorsFor(conversationId),
          options.me()?.id ?? 0,
        ),
    );
    this.directory = new UserDirectory({
      timers,
      fetch: async (ids) => (await connection.request('users.get', { ids })).users,
      isKnown: (id) => id in store.state.users,
      onUsers: (users) => this.intake.putUsers(users),
    });
    this.typingTracker = new TypingTracker(timers, (conversationId, userIds) =>
      store.setTyping(conversationId, userIds),
    );
    this.reads = new ReadMarkers(store, connection);
    const { windows, reads, directory, typingTracker } = this;
    this.intake = new StateIntake({ ...options, windows, reads, typingTracker, directory });
    this.loader = new WindowLoader({
      ...options,
      windows,
      reads,
      directory,
      historyPage: options.tuning.historyPage,
      limits: () => this.limits,
      link: () => this.link,
    });
  }

  /** What the hub's last hello allowed (null before the first hello of the session). */
  currentLimits(): Limits | null {
    return this.limits;
  }

  /** The outbox changed in this conversation: its window shows the change. */
  outboxChanged(conversationId: number): void {
    this.windows.refresh(conversationId);
  }

  /** Forgets everything about the session (a new one starts, or none). */
  reset(): void {
    this.limits = null;
    this.syncedSeq = 0;
    this.synced = false;
    this.link++;
    this.catchingUp = false;
    this.liveMaxSeq = 0;
    this.liveDuringCatchUp.clear();
    this.reads.forget();
    this.loader.forget();
    this.directory.reset();
    this.typingTracker.clear();
    this.windows.clear();
  }

  /** Stops every timer and listener (the client is closed). */
  dispose(): void {
    this.directory.reset();
    this.typingTracker.clear();
    this.intake.dispose();
  }

  /** The link went up or down ('connected' is announced by {@link SyncEngine.hello}, once the state is in place). */
  linkChanged(status: LinkStatus, error: ConnectionError | null): void {
    if (!this.options.me()) return;
    if (status !== 'connected') {
      this.options.outbox.suspend();
      this.typingTracker.clear();
    }
    if (status !== 'connected') this.setConnection(status, error);
  }

  private setConnection(state: ConnectionState, error: string | null): void {
    this.store.set('connection', state);
    this.store.set('connectionError', error);
  }

  /**
   * A new connection said hello: its conversations, counts and limits replace ours; catch up if
   * needed — always when the hub closed the last socket asking for it (`catchUpAsked`, 4002).
   */
  hello(hello: ServerFrameOf<'hello'>, catchUpAsked = false): void {
    if (!this.options.me()) return;
    const link = ++this.link;
    this.limits = hello.limits;
    this.liveMaxSeq = 0;
    this.liveDuringCatchUp.clear();
    this.reads.forget();

    this.options.helloMe(hello.me);
    this.store.set('me', hello.me);
    // Each connection's hello names the key (the same for the whole session): file URLs use it.
    this.store.set('fileKey', hello.fileKey ?? null);
    // The UI checks attached files against these before sending (the outbox checks again).
    this.store.set('limits', hello.limits);
    this.store.setUser(hello.me.id, hello.me);

    const state = this.store.state;
    const listed = new Set(hello.conversations.map((c) => c.id));
    for (const id of Object.keys(state.conversations).map(Number)) {
      if (!listed.has(id)) this.intake.conversationGone(id);
    }
    for (const c of hello.conversations) this.store.setConversation(c.id, c);

    const catchUpFrom = this.catchUpFrom(hello.lastSeq, catchUpAsked);

    this.setConnection('connected', null);
    this.options.outbox.resume();
    const peers = hello.conversations.flatMap((c) => (c.peerId ? [c.peerId] : []));
    // Users already known (a reconnect) are fetched again: presence missed while away, and the hub
    // tells each connection the presence only of the users it looked up. The rest as wanted.
    const known = Object.keys(this.store.state.users)
      .map(Number)
      .filter((id) => id !== hello.me.id);
    if (known.length > 0) void this.directory.refresh(known);
    this.directory.want(peers);
    let active = this.store.state.activeConversationId;
    if (active !== null && !listed.has(active)) {
      this.store.set('activeConversationId', (active = null));
      this.windows.setActive(null);
    }
    if (active !== null) {
      if (!this.windows.isLoaded(active)) void this.loader.loadNewest(active).catch(() => undefined);
      this.reads.markSeen(active);
    }
    if (catchUpFrom !== null) void this.catchUp(link, catchUpFrom);
    void this.loadPendingAnnouncements(link);
  }

  /** Where a catch-up starts after a hello at `lastSeq` (null: none, hello's counts are enough). */
  private catchUpFrom(lastSeq: number, asked: boolean): number | null {
    if (!this.synced || lastSeq < this.syncedSeq || lastSeq - this.syncedSeq > this.options.tuning.maxCatchUp) {
      // First connection of this session, a hub restored from an older backup, or too long away:
      // hello's unread counts say what is new; message windows load again when opened.
      if (this.synced) this.windows.clear();
      this.syncedSeq = lastSeq;
      this.synced = true;
      return null;
    }
    // Asked (4002 after an event-bus gap): what was missed may lie below our cursor; the hub serves
    // this sync from where the gap began, even when nothing is newer than the cursor.
    return lastSeq > this.syncedSeq || asked ? this.syncedSeq : null;
  }

  /** Fetches everything after `since` page by page (after a reconnect): messages, and updates of messages. */
  private async catchUp(link: number, since: number): Promise<void> {
    this.catchingUp = true;
    let from = since;
    try {
      for (;;) {
        const limit = Math.min(this.options.tuning.syncPage, this.limits?.syncPageMax ?? 1000);
        const page = await this.connection.request('sync', { since: from, limit });
        if (link !== this.link) return;
        // An older hub sends no updates.
        const updates = page.updates ?? [];
        this.applyMessages(page.messages, 'catchup');
        this.applyUpdates(updates, 'catchup');
        // Messages and updates share one sequence: the next page starts after the highest of either.
        const last = Math.max(page.messages.at(-1)?.seq ?? 0, updates.at(-1)?.seq ?? 0);
        from = Math.max(from, last);
        if (!page.more || last === 0) break;
      }
      this.syncedSeq = Math.max(this.syncedSeq, from, this.liveMaxSeq);
    } catch {
      // The connection dropped: the next hello catches up from syncedSeq again.
    } finally {
      if (link === this.link) {
        this.catchingUp = false;
        this.liveDuringCatchUp.clear();
      }
    }
  }

  /** Reloads the announcements still to confirm (after every hello: some may have come meanwhile). */
  private async loadPendingAnnouncements(link: number): Promise<void> {
    let messages: Message[];
    try {
      ({ messages } = await this.options.request('announcements.pending', {}));
    } catch {
      return; // an older hub without announcements, or the connection dropped: hello retries
    }
    if (link !== this.link) return;
    const keep = new Set(messages.map((m) => m.seq));
    for (const seq of Object.keys(this.store.state.announcements).map(Number))
      if (!keep.has(seq)) this.store.setAnnouncement(seq, null);
    for (const m of messages) this.store.setAnnouncement(m.seq, m);
    this.directory.want(messages.map((m) => m.senderId));
  }

  /**
   * Takes in stored messages (live, catch-up pages, replies to send), keeping track of what the
   * live stream brought so that a catch-up neither misses nor repeats it.
   */
  applyMessages(messages: readonly Message[], source: MessageSource): void {
    if (!this.options.me() || messages.length === 0) return;
    if (source === 'live') this.noteLive(messages);
    this.intake.messages(messages, source, this.liveDuringCatchUp);
  }

  /**
   * Takes in changes to stored messages (live, catch-up pages); like messages, what the live stream
   * brought moves the sync cursor (they are in the same sequence).
   */
  applyUpdates(updates: readonly MessageUpdate[], source: IncomingSource): void {
    if (!this.options.me() || updates.length === 0) return;
    if (source === 'live') this.noteLive(updates);
    this.intake.updates(updates, source);
  }

  private noteLive(items: readonly { seq: number }[]): void {
    for (const { seq } of items) {
      this.liveMaxSeq = Math.max(this.liveMaxSeq, seq);
      if (this.catchingUp) this.liveDuringCatchUp.add(seq);
      else if (this.connection.isReady) this.syncedSeq = Math.max(this.syncedSeq, seq);
    }
  }

  /** One event frame from the hub (not hello, not a reply). */
  event(frame: ServerFrame): void {
    const me = this.options.me();
    if (!me) return;
    switch (frame.type) {
      case 'message':
        this.applyMessages([frame.message], 'live');
        if (frame.message.kind === 'announcement' && frame.message.senderId !== me.id)
          this.store.setAnnouncement(frame.message.seq, frame.message);
        return;
      case 'message.updated':
        this.applyUpdates([frame.update], 'live');
        return;
      case 'conversation':
        this.intake.conversationChanged(frame.conversation);
        return;
      case 'conversation.removed':
        this.intake.conversationGone(frame.conversationId);
        return;
      case 'unread': {
        const c = this.store.state.conversations[frame.conversationId];
        if (!c) return;
        // A marker behind ours is stale (our own read is on its way); the hub's counts win otherwise.
        if (frame.readSeq < c.readSeq) return;
        this.store.setConversation(c.id, {
          ...c,
          readSeq: frame.readSeq,
          unread: frame.unread,
          mentions: frame.mentions,
        });
        this.reads.markSeen(c.id);
        return;
      }
      case 'presence':
        this.intake.presenceChanged(frame);
        return;
      case 'presence.batch':
        for (const update of frame.updates) this.intake.presenceChanged(update);
        return;
      case 'typing':
        if (frame.userId !== me.id && frame.conversationId in this.store.state.conversations) {
          this.typingTracker.add(frame.conversationId, frame.userId);
          // "Someone is typing" reads badly: fetch the name of a typist the client does not know yet.
          this.directory.want([frame.userId]);
        }
        return;
      case 'announcement.confirmed':
        this.store.setAnnouncement(frame.seq, null);
        return;
      case 'members': {
        const c = this.store.state.conversations[frame.conversationId];
        if (!c) return;
        const memberCount = Math.max(0, c.memberCount + frame.added.length - frame.removed.length);
        this.store.setConversation(c.id, { ...c, memberCount });
        for (const userId of frame.removed) this.typingTracker.remove(c.id, userId);
        return;
      }
      default:
        return;
    }
  }
}
