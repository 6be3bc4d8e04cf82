import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { ChosenStatus, Conversation, Limits, Member, Message, RoomSummary, User } from '../protocol/model.ts';
import type { ResultMap, ServerFrame, ServerFrameOf } from '../protocol/serverFrame.ts';
import type { Backend, Deployment, SignInFailure } from './Backend.ts';
import type { ClientState, ConnectionState, StatePatch } from './ClientState.ts';
import { Connection, type LinkStatus } from './Connection.ts';
import type { ConnectionError } from './connectionErrors.ts';
import { HubHttp, type FetchLike } from './HubHttp.ts';
import { parseHubAddress, type HubUrls } from './hubUrls.ts';
import type { KeyValueStorage as Storage } from './KeyValueStorage.ts';
import { MessageWindows } from './MessageWindows.ts';
import { Outbox, type OutboxEntry } from './Outbox.ts';
import { LocalErrorCode, RequestError } from './RequestError.ts';
import { loadSession, saveSession, type SavedSession } from './SavedSession.ts';
import { StateStore } from './StateStore.ts';
import { globalTimers, type Timers } from './Timers.ts';
import { TypingTracker } from './TypingTracker.ts';
import { UserDirectory } from './UserDirectory.ts';
import type { CreateSocket, WebSocketLike as Socket } from './WebSocketLike.ts';

/** The WebSocket the client needs (defined in WebSocketLike.ts; named here too as the client's API). */
export type WebSocketLike = Socket;
/** Persistent storage for the session and the outbox (defined in KeyValueStorage.ts). */
export type KeyValueStorage = Storage;

/** What the host (browser page, Electron main process, test) provides. */
export interface ChatClientOptions {
  /** Browser: `new WebSocket(url, protocols)`; Node: the same with the `ws` package. */
  createSocket: CreateSocket;
  fetch: FetchLike;
  /** Browser: a localStorage adapter; desktop: a file. */
  storage: KeyValueStorage;
  host: { openExternal(url: string): Promise<void>; deployment(): Promise<Deployment> };
  random?: () => number;
  now?: () => number;
  timers?: Timers;
  /** Tuning, mostly for tests. */
  tuning?: Partial<ChatClientTuning>;
}

/** Timings and sizes of the client. */
export interface ChatClientTuning {
  requestTimeoutMs: number;
  idleProbeMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Messages per `sync` page. */
  syncPage: number;
  /** Messages per `history` page. */
  historyPage: number;
  /** After more than this many hub-wide sequence numbers away, windows are dropped rather than caught up. */
  maxCatchUp: number;
  /** `typing` is sent at most once per this many ms per conversation. */
  typingIntervalMs: number;
}

const defaultTuning: ChatClientTuning = {
  requestTimeoutMs: 15_000,
  idleProbeMs: 90_000,
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  syncPage: 500,
  historyPage: 50,
  maxCatchUp: 5000,
  typingIntervalMs: 3000,
};

const sessionKey = 'beseda.session';
const outboxKey = 'beseda.outbox';

/** Where new messages came from: the live stream, or the catch-up after a reconnect. */
export type IncomingSource = 'live' | 'catchup';

/** Where stored messages come from inside the client (`ack`: the reply to our own `send`). */
type MessageSource = IncomingSource | 'ack';

interface Session {
  urls: HubUrls;
  token: string;
  me: User;
}

/**
 * The client core: one signed-in connection to a hub, its outbox and its state, behind the
 * {@link Backend} interface. Runs in a browser page, in Electron's main process and in Node tests;
 * the WebSocket, fetch, storage and timers are injected.
 */
export class ChatClient implements Backend {
  private readonly store = new StateStore();
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly tuning: ChatClientTuning;
  private readonly http: HubHttp;
  private readonly connection: Connection;
  private readonly outbox: Outbox;
  private readonly windows: MessageWindows;
  private readonly directory: UserDirectory;
  private readonly typingTracker: TypingTracker;
  private readonly incomingListeners = new Set<(messages: Message[], source: IncomingSource) => void>();

  private session: Session | null = null;
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
  private visible = false;
  private readonly readInFlight = new Map<number, number>();
  private readonly typingSentAt = new Map<number, number>();
  private readonly loadingNewest = new Map<number, Promise<void>>();
  private refreshTimer: unknown = null;
  private started: Promise<void> | null = null;
  /** The session's saved outbox is loaded (a message written before that must not be lost by the load). */
  private outboxReady: Promise<void> = Promise.resolve();
  private outboxLoaded = true;
  private disposed = false;

  constructor(private readonly options: ChatClientOptions) {
    this.timers = options.timers ?? globalTimers;
    this.now = options.now ?? (() => Date.now());
    this.random = options.random ?? Math.random;
    this.tuning = { ...defaultTuning, ...options.tuning };
    this.http = new HubHttp(options.fetch, this.timers, this.tuning.requestTimeoutMs);
    this.connection = new Connection({
      createSocket: options.createSocket,
      timers: this.timers,
      random: this.random,
      now: this.now,
      backoff: { baseMs: this.tuning.backoffBaseMs, factor: 2, capMs: this.tuning.backoffCapMs },
      requestTimeoutMs: this.tuning.requestTimeoutMs,
      idleProbeMs: this.tuning.idleProbeMs,
      checkSession: () =>
        this.session ? this.http.checkSession(this.session.urls, this.session.token) : Promise.resolve('unreachable'),
      probe: () => this.probe(),
      onHello: (hello) => this.helloReceived(hello),
      onEvent: (frame) => this.eventReceived(frame),
      onStatus: (status, error) => this.linkChanged(status, error),
      onSignedOut: (reason) => void this.sessionEnded(reason),
    });
    this.outbox = new Outbox({
      storage: options.storage,
      storageKey: outboxKey,
      timers: this.timers,
      now: this.now,
      send: async (entry) =>
        (
          await this.connection.request('send', {
            conversationId: entry.conversationId,
            clientId: entry.clientId,
            text: entry.text,
          })
        ).message,
      check: (entry) => this.checkOutgoing(entry),
      onChange: (conversationId) => this.windows.refresh(conversationId),
      onDelivered: (_entry, message) => this.applyMessages([message], 'ack'),
    });
    this.windows = new MessageWindows(this.store, (conversationId) =>
      this.outbox.viewsFor(conversationId, this.session?.me.id ?? 0),
    );
    this.directory = new UserDirectory({
      timers: this.timers,
      fetch: async (ids) => (await this.connection.request('users.get', { ids })).users,
      isKnown: (id) => id in this.store.state.users,
      onUsers: (users) => this.putUsers(users),
    });
    this.typingTracker = new TypingTracker(this.timers, (conversationId, userIds) =>
      this.store.setTyping(conversationId, userIds),
    );
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Restores the saved session and outbox, and connects if signed in. Safe to call more than once. */
  start(): Promise<void> {
    this.started ??= this.restore();
    return this.started;
  }

  /** The network came back or the machine resumed: reconnect at once (no back-off wait). */
  notifyNetworkChange(): void {
    if (this.session) this.connection.reconnectNow();
  }

  /** Listens for other people's new messages (for notifications); returns the unsubscribe function. */
  onIncoming(listener: (messages: Message[], source: IncomingSource) => void): () => void {
    this.incomingListeners.add(listener);
    return () => this.incomingListeners.delete(listener);
  }

  /** Closes the connection and stops every timer; storage stays as it is (a new client resumes it). */
  dispose(): void {
    this.disposed = true;
    this.connection.stop();
    this.outbox.stop();
    this.directory.reset();
    this.typingTracker.clear();
    if (this.refreshTimer !== null) this.timers.clearTimeout(this.refreshTimer);
    this.incomingListeners.clear();
  }

  /** Resolves when every outbox change so far is in storage (tests, and hosts before quitting). */
  flushStorage(): Promise<void> {
    return this.outbox.flushed();
  }

  private async restore(): Promise<void> {
    const saved = await loadSession(this.options.storage, sessionKey);
    // signIn() before start() already set everything up.
    if (this.session) return;
    const urls = saved.hubUrl ? parseHubAddress(saved.hubUrl) : null;
    if (!urls || !saved.token || !saved.me || this.disposed) {
      if (!this.session) this.store.reset({ hubUrl: urls?.base ?? null });
      return;
    }
    await this.begin({ urls, token: saved.token, me: saved.me });
  }

  /** Starts a signed-in session: fresh state, the account's outbox, and the connection. */
  private async begin(session: Session): Promise<void> {
    this.session = session;
    this.resetSessionState();
    this.store.reset({
      connection: 'connecting',
      hubUrl: session.urls.base,
      me: session.me,
      users: { [session.me.id]: session.me },
    });
    this.outboxLoaded = false;
    this.outboxReady = this.outbox.load({ hubUrl: session.urls.base, userId: session.me.id });
    await this.outboxReady;
    if (this.session === session) this.outboxLoaded = true;
    if (this.session !== session || this.disposed) return;
    this.connection.start(session.urls.websocket, session.token);
  }

  private resetSessionState(): void {
    this.limits = null;
    this.syncedSeq = 0;
    this.synced = false;
    this.link++;
    this.catchingUp = false;
    this.liveMaxSeq = 0;
    this.liveDuringCatchUp.clear();
    this.readInFlight.clear();
    this.typingSentAt.clear();
    this.loadingNewest.clear();
    this.directory.reset();
    this.typingTracker.clear();
    this.windows.clear();
  }

  /** The session ended on the hub's side (revoked, account disabled): back to the sign-in form. */
  private async sessionEnded(reason: ConnectionError): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = null;
    this.outbox.suspend();
    // The outbox stays saved: signing in again as the same person sends it.
    this.outbox.stop();
    this.resetSessionState();
    // The token is gone from storage before the UI hears, so nothing can pick it up again.
    await saveSession(this.options.storage, sessionKey, { hubUrl: session.urls.base, token: null, me: null });
    if (this.session) return;
    this.store.reset({ connection: 'signed-out', connectionError: reason, hubUrl: session.urls.base });
  }

  // ---- connection -----------------------------------------------------------------------------

  private linkChanged(status: LinkStatus, error: ConnectionError | null): void {
    if (!this.session) return;
    if (status !== 'connected') {
      this.outbox.suspend();
      this.typingTracker.clear();
    }
    // 'connected' is announced by hello handling, once the state is in place.
    if (status !== 'connected') this.setConnection(status, error);
  }

  private setConnection(state: ConnectionState, error: string | null): void {
    this.store.set('connection', state);
    this.store.set('connectionError', error);
  }

  private helloReceived(hello: ServerFrameOf<'hello'>): void {
    const session = this.session;
    if (!session) return;
    const link = ++this.link;
    this.limits = hello.limits;
    this.liveMaxSeq = 0;
    this.liveDuringCatchUp.clear();
    this.readInFlight.clear();

    if (JSON.stringify(hello.me) !== JSON.stringify(session.me)) {
      session.me = hello.me;
      void saveSession(this.options.storage, sessionKey, {
        hubUrl: session.urls.base,
        token: session.token,
        me: hello.me,
      });
    }
    this.store.set('me', hello.me);
    this.store.setUser(hello.me.id, hello.me);

    const state = this.store.state;
    const listed = new Set(hello.conversations.map((c) => c.id));
    for (const id of Object.keys(state.conversations).map(Number)) {
      if (!listed.has(id)) this.conversationGone(id);
    }
    for (const c of hello.conversations) this.store.setConversation(c.id, c);

    let catchUpFrom: number | null = null;
    if (!this.synced || hello.lastSeq < this.syncedSeq || hello.lastSeq - this.syncedSeq > this.tuning.maxCatchUp) {
      // First connection of this session, a hub restored from an older backup, or too long away:
      // hello's unread counts say what is new; message windows load again when opened.
      if (this.synced) this.windows.clear();
      this.syncedSeq = hello.lastSeq;
      this.synced = true;
    } else if (hello.lastSeq > this.syncedSeq) {
      catchUpFrom = this.syncedSeq;
    }

    this.setConnection('connected', null);
    this.outbox.resume();
    this.directory.want(hello.conversations.flatMap((c) => (c.peerId ? [c.peerId] : [])));
    let active = this.store.state.activeConversationId;
    if (active !== null && !listed.has(active)) {
      this.store.set('activeConversationId', (active = null));
      this.windows.setActive(null);
    }
    if (active !== null) {
      if (!this.windows.isLoaded(active)) void this.loadNewest(active).catch(() => undefined);
      this.markSeen(active);
    }
    if (catchUpFrom !== null) void this.catchUp(link, catchUpFrom);
    void this.loadPendingAnnouncements(link);
  }

  /** Fetches everything after `since` page by page (after a reconnect). */
  private async catchUp(link: number, since: number): Promise<void> {
    this.catchingUp = true;
    let from = since;
    try {
      for (;;) {
        const limit = Math.min(this.tuning.syncPage, this.limits?.syncPageMax ?? 1000);
        const page = await this.connection.request('sync', { since: from, limit });
        if (link !== this.link) return;
        this.applyMessages(page.messages, 'catchup');
        const last = page.messages[page.messages.length - 1];
        if (last) from = Math.max(from, last.seq);
        if (!page.more || !last) break;
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

  /** Checks that the socket still answers (idle, or after a network change). */
  private async probe(): Promise<void> {
    const me = this.session?.me.id;
    if (me === undefined) return;
    await this.connection.request('users.get', { ids: [me] }, Math.min(this.tuning.requestTimeoutMs, 10_000));
  }

  // ---- events ---------------------------------------------------------------------------------

  private eventReceived(frame: ServerFrame): void {
    if (!this.session) return;
    switch (frame.type) {
      case 'message':
        this.applyMessages([frame.message], 'live');
        if (frame.message.kind === 'announcement' && frame.message.senderId !== this.session.me.id)
          this.store.setAnnouncement(frame.message.seq, frame.message);
        return;
      case 'conversation':
        this.conversationChanged(frame.conversation);
        return;
      case 'conversation.removed':
        this.conversationGone(frame.conversationId);
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
        this.markSeen(c.id);
        return;
      }
      case 'presence':
        this.presenceChanged(frame);
        return;
      case 'presence.batch':
        for (const update of frame.updates) this.presenceChanged(update);
        return;
      case 'typing':
        if (frame.userId !== this.session.me.id && frame.conversationId in this.store.state.conversations) {
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

  private presenceChanged(change: { userId: number; status: User['presence']; lastSeen: number | null }): void {
    const session = this.session;
    const user = this.store.state.users[change.userId];
    if (!session || !user) return;
    const next = { ...user, presence: change.status, lastSeen: change.lastSeen };
    this.store.setUser(user.id, next);
    if (user.id === session.me.id) this.store.set('me', next);
  }

  private conversationChanged(incoming: Conversation): void {
    const local = this.store.state.conversations[incoming.id];
    let next = incoming;
    if (local) {
      const lastSeq = Math.max(local.lastSeq, incoming.lastSeq);
      const lastTs = lastSeq === incoming.lastSeq ? incoming.lastTs : local.lastTs;
      next =
        incoming.readSeq < local.readSeq
          ? { ...incoming, lastSeq, lastTs, readSeq: local.readSeq, unread: local.unread, mentions: local.mentions }
          : { ...incoming, lastSeq, lastTs };
    } else if (incoming.peerId) {
      this.directory.want([incoming.peerId]);
    }
    this.store.setConversation(incoming.id, next);
    this.markSeen(incoming.id);
  }

  private conversationGone(conversationId: number): void {
    this.store.setConversation(conversationId, null);
    this.windows.remove(conversationId);
    // Unsent messages stay visible (they fail when the hub refuses them) rather than vanish.
    this.windows.refresh(conversationId);
    this.typingTracker.clear(conversationId);
    if (this.store.state.activeConversationId === conversationId) {
      this.store.set('activeConversationId', null);
      this.windows.setActive(null);
    }
  }

  /**
   * Takes in stored messages (live, catch-up pages, replies to send): windows, the outbox,
   * unread counts, typing, unknown senders, read markers and incoming listeners.
   */
  private applyMessages(messages: readonly Message[], source: MessageSource): void {
    const session = this.session;
    if (!session || messages.length === 0) return;
    const me = session.me.id;
    const incoming: Message[] = [];
    const byConversation = new Map<number, Message[]>();
    const senders = new Set<number>();
    let unknownConversation = false;

    for (const m of messages) {
      if (source === 'live') {
        this.liveMaxSeq = Math.max(this.liveMaxSeq, m.seq);
        if (this.catchingUp) this.liveDuringCatchUp.add(m.seq);
        else if (this.connection.isReady) this.syncedSeq = Math.max(this.syncedSeq, m.seq);
      }
      const own = m.senderId === me;
      if (own) this.outbox.delivered(m.clientId);
      const c = this.store.state.conversations[m.conversationId];
      if (!c) {
        unknownConversation = true;
        continue;
      }
      const known = this.windows.holds(c.id, m.seq);
      const isNew = m.seq > c.lastSeq;
      let next = c;
      if (isNew) {
        next = { ...next, lastSeq: m.seq, lastTs: m.ts };
        if (own) {
          // Writing in a conversation means having read it (the hub moves the marker too).
          next = { ...next, readSeq: Math.max(next.readSeq, m.seq), unread: 0, mentions: 0 };
        } else if (m.kind !== 'system' && !this.isSeen(c.id) && m.seq > c.readSeq) {
          const mentioned = c.kind === 'direct' || m.mentionsAll || m.mentions.includes(me);
          next = { ...next, unread: next.unread + 1, mentions: next.mentions + (mentioned ? 1 : 0) };
        }
      }
      if (next !== c) this.store.setConversation(c.id, next);
      if (!own) {
        this.typingTracker.remove(c.id, m.senderId);
        const fresh =
          source === 'catchup' ? m.seq > c.readSeq && !known && !this.liveDuringCatchUp.has(m.seq) : isNew && !known;
        if (fresh && m.kind !== 'system') incoming.push(m);
      }
      senders.add(m.senderId);
      if (m.system) {
        for (const id of m.system.targetIds ?? []) senders.add(id);
        senders.add(m.system.actorId);
      }
      let list = byConversation.get(c.id);
      if (!list) byConversation.set(c.id, (list = []));
      list.push(m);
    }

    for (const [conversationId, list] of byConversation) {
      this.windows.merge(conversationId, list);
      this.markSeen(conversationId);
    }
    this.directory.want(senders);
    if (unknownConversation) this.refreshConversationsSoon();
    if (incoming.length > 0 && source !== 'ack') {
      for (const listener of [...this.incomingListeners]) {
        try {
          listener(incoming, source);
        } catch (err) {
          console.error('beseda: an incoming-message listener failed', err);
        }
      }
    }
  }

  /** A message for a conversation the client does not know: ask for the list (once per burst). */
  private refreshConversationsSoon(): void {
    if (this.refreshTimer !== null) return;
    this.refreshTimer = this.timers.setTimeout(() => {
      this.refreshTimer = null;
      this.connection.request('conversations.list', {}).then(
        (result) => {
          for (const c of result.conversations) this.conversationChanged(c);
        },
        () => undefined,
      );
    }, 50);
  }

  // ---- reading --------------------------------------------------------------------------------

  /** The user is actually looking at this conversation now. */
  private isSeen(conversationId: number): boolean {
    return this.visible && this.store.state.activeConversationId === conversationId && this.connection.isReady;
  }

  /** Moves the read marker to the newest message if the conversation is on screen. */
  private markSeen(conversationId: number): void {
    if (!this.isSeen(conversationId)) return;
    const c = this.store.state.conversations[conversationId];
    if (!c) return;
    const target = c.lastSeq;
    if (target <= c.readSeq && c.unread === 0 && c.mentions === 0) return;
    if ((this.readInFlight.get(conversationId) ?? -1) >= target) return;
    this.readInFlight.set(conversationId, target);
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
        if (this.readInFlight.get(conversationId) === target) this.readInFlight.delete(conversationId);
      },
    );
  }

  // ---- Backend --------------------------------------------------------------------------------

  /** The full state now. */
  async getState(): Promise<ClientState> {
    return this.store.snapshot();
  }

  /** The full state now, synchronously (for hosts in the same process). */
  getStateNow(): ClientState {
    return this.store.snapshot();
  }

  subscribe(listener: (patch: StatePatch) => void): () => void {
    return this.store.subscribe(listener);
  }

  deployment(): Promise<Deployment> {
    return this.options.host.deployment();
  }

  async signIn(
    hubUrl: string,
    login: string,
    password: string,
  ): Promise<{ ok: true } | { ok: false; error: SignInFailure }> {
    const urls = parseHubAddress(hubUrl);
    if (!urls) return { ok: false, error: { code: 'bad_request', message: 'the hub address is not valid' } };
    if (!login.trim() || !password) {
      return { ok: false, error: { code: 'bad_request', message: 'login and password are required' } };
    }
    const result = await this.http.login(urls, login.trim(), password);
    if (!result.ok) return result;
    if (this.disposed) return { ok: false, error: { code: 'internal', message: 'the client was closed' } };
    if (this.session) {
      this.connection.stop();
      this.session = null;
    }
    const session: Session = { urls, token: result.token, me: result.user };
    await saveSession(this.options.storage, sessionKey, { hubUrl: urls.base, token: result.token, me: result.user });
    await this.begin(session);
    return { ok: true };
  }

  /**
   * Signs in with a session token obtained elsewhere (a one-time embed link redeemed by the page),
   * saving the session exactly as {@link ChatClient.signIn} does.
   */
  async signInWithToken(hubUrl: string, token: string, user: User): Promise<void> {
    const urls = parseHubAddress(hubUrl);
    if (!urls) throw new RequestError(ErrorCode.BadRequest, 'the hub address is not valid');
    if (this.session) {
      this.connection.stop();
      this.session = null;
    }
    await saveSession(this.options.storage, sessionKey, { hubUrl: urls.base, token, me: user });
    await this.begin({ urls, token, me: user });
  }

  async signOut(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.connection.stop();
    await this.outbox.clear();
    this.resetSessionState();
    const hubUrl = session?.urls.base ?? this.store.state.hubUrl;
    this.store.reset({ hubUrl });
    const saved: SavedSession = { hubUrl, token: null, me: null };
    await saveSession(this.options.storage, sessionKey, saved);
    if (session) await this.http.logout(session.urls, session.token);
  }

  async send(conversationId: number, text: string): Promise<void> {
    this.requireSession();
    if (text.trim().length === 0) throw new RequestError(ErrorCode.BadRequest, 'the message is empty');
    this.typingSentAt.delete(conversationId);
    // Normally loaded long ago: then the message shows synchronously, within this call.
    if (!this.outboxLoaded) await this.outboxReady;
    await this.outbox.add(conversationId, text);
  }

  async retry(clientId: string): Promise<void> {
    await this.outbox.retry(clientId);
  }

  async discard(clientId: string): Promise<void> {
    await this.outbox.discard(clientId);
  }

  async loadOlder(conversationId: number): Promise<void> {
    if (!this.windows.isLoaded(conversationId)) {
      await this.loadNewest(conversationId);
      return;
    }
    const older = this.windows.olderState(conversationId);
    if (!older.hasOlder || older.loading) return;
    this.windows.setLoading(conversationId, true);
    try {
      const page = await this.request('history', {
        conversationId,
        before: older.before,
        limit: this.historyLimit(),
      });
      this.windows.addPage(conversationId, page.messages, page.more, older.before === undefined);
      this.directory.want(page.messages.map((m) => m.senderId));
    } finally {
      this.windows.setLoading(conversationId, false);
    }
  }

  async setActiveConversation(conversationId: number | null): Promise<void> {
    // Before hello (app start) the UI may restore the last conversation the client does not list yet.
    if (conversationId !== null && this.connection.isReady && !(conversationId in this.store.state.conversations)) {
      conversationId = null;
    }
    this.store.set('activeConversationId', conversationId);
    this.windows.setActive(conversationId);
    if (conversationId === null) return;
    if (!this.windows.isLoaded(conversationId) && this.connection.isReady) {
      await this.loadNewest(conversationId).catch(() => undefined);
    }
    this.markSeen(conversationId);
  }

  async setVisible(visible: boolean): Promise<void> {
    this.visible = visible;
    const active = this.store.state.activeConversationId;
    if (visible && active !== null) this.markSeen(active);
  }

  async typing(conversationId: number): Promise<void> {
    if (!this.connection.isReady) return;
    const now = this.now();
    const last = this.typingSentAt.get(conversationId);
    if (last !== undefined && now - last < this.tuning.typingIntervalMs) return;
    this.typingSentAt.set(conversationId, now);
    await this.connection.request('typing', { conversationId }).catch(() => undefined);
  }

  /**
   * Reports whether the user is idle at this device (desktop: no input for a while, screen locked).
   * The hub shows "away" only when every device of the user is idle, and keeps the chosen status.
   * Not queued: the desktop app reports again after every reconnect.
   */
  async setIdle(idle: boolean): Promise<void> {
    if (!this.connection.isReady) return;
    this.applyOwnPresence((await this.request('presence.set', { idle })).status);
  }

  async setStatus(status: ChosenStatus): Promise<void> {
    this.applyOwnPresence((await this.request('presence.set', { status })).status);
  }

  private applyOwnPresence(status: User['presence']): void {
    const me = this.store.state.me;
    if (me && me.presence !== status) {
      const next = { ...me, presence: status };
      this.store.set('me', next);
      this.store.setUser(me.id, next);
    }
  }

  async createRoom(input: {
    name: string;
    kind: 'open' | 'closed';
    topic?: string;
    members?: number[];
  }): Promise<Conversation> {
    const params: ParamsOf<'rooms.create'> = { name: input.name, kind: input.kind };
    if (input.topic !== undefined) params.topic = input.topic;
    if (input.members !== undefined) params.members = input.members;
    const { conversation } = await this.request('rooms.create', params);
    this.conversationChanged(conversation);
    return conversation;
  }

  async browseRooms(query: string): Promise<RoomSummary[]> {
    return (await this.request('rooms.browse', { query, limit: 200 })).rooms;
  }

  async joinRoom(conversationId: number): Promise<Conversation> {
    const { conversation } = await this.request('rooms.join', { conversationId });
    this.conversationChanged(conversation);
    return conversation;
  }

  async leaveRoom(conversationId: number): Promise<void> {
    await this.request('rooms.leave', { conversationId });
    this.conversationGone(conversationId);
  }

  async invite(conversationId: number, userIds: number[]): Promise<void> {
    await this.request('rooms.invite', { conversationId, userIds });
  }

  async removeMember(conversationId: number, userId: number): Promise<void> {
    await this.request('rooms.remove', { conversationId, userId });
  }

  async updateRoom(conversationId: number, change: { name?: string; topic?: string }): Promise<void> {
    const params: ParamsOf<'rooms.update'> = { conversationId };
    if (change.name !== undefined) params.name = change.name;
    if (change.topic !== undefined) params.topic = change.topic;
    const { conversation } = await this.request('rooms.update', params);
    this.conversationChanged(conversation);
  }

  async transferOwnership(conversationId: number, userId: number): Promise<void> {
    await this.request('rooms.transfer', { conversationId, userId });
  }

  async members(conversationId: number): Promise<Member[]> {
    const { members } = await this.request('rooms.members', { conversationId });
    const unknown = members.map((m) => m.userId).filter((id) => !(id in this.store.state.users));
    if (unknown.length > 0) await this.directory.load(unknown).catch(() => undefined);
    return members;
  }

  async openDirect(userId: number): Promise<Conversation> {
    const { conversation } = await this.request('direct.open', { userId });
    this.conversationChanged(conversation);
    return conversation;
  }

  async searchUsers(query: string): Promise<User[]> {
    const { users } = await this.request('users.search', { query, limit: 50 });
    this.putUsers(users);
    return users;
  }

  async confirmAnnouncement(seq: number): Promise<void> {
    await this.request('announcements.confirm', { seq });
    this.store.setAnnouncement(seq, null);
  }

  /** Reloads the announcements still to confirm (after every hello: some may have come meanwhile). */
  private async loadPendingAnnouncements(link: number): Promise<void> {
    let messages: Message[];
    try {
      ({ messages } = await this.request('announcements.pending', {}));
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

  async openExternal(url: string): Promise<void> {
    // Only web and mail links leave the app: never file:, javascript: or custom protocol handlers.
    if (!/^(https?:\/\/|mailto:)/i.test(url.trim()))
      throw new RequestError(ErrorCode.BadRequest, 'not a web or mail link');
    await this.options.host.openExternal(url.trim());
  }

  // ---- helpers --------------------------------------------------------------------------------

  private requireSession(): Session {
    if (!this.session) throw new RequestError(LocalErrorCode.SignedOut, 'not signed in');
    return this.session;
  }

  private request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]> {
    this.requireSession();
    return this.connection.request(type, params);
  }

  private historyLimit(): number {
    return Math.min(this.tuning.historyPage, this.limits?.historyPageMax ?? 200);
  }

  /** Loads the newest page of a conversation (the first time it is opened); one load at a time. */
  private loadNewest(conversationId: number): Promise<void> {
    const running = this.loadingNewest.get(conversationId);
    if (running) return running;
    const c = this.store.state.conversations[conversationId];
    this.windows.ensure(conversationId, (c?.lastSeq ?? 1) > 0);
    const link = this.link;
    const load = (async () => {
      this.windows.setLoading(conversationId, true);
      try {
        const page = await this.request('history', { conversationId, limit: this.historyLimit() });
        if (link !== this.link && !this.windows.has(conversationId)) return;
        this.windows.addPage(conversationId, page.messages, page.more, true);
        this.directory.want(page.messages.map((m) => m.senderId));
        this.markSeen(conversationId);
      } finally {
        this.windows.setLoading(conversationId, false);
        this.loadingNewest.delete(conversationId);
      }
    })();
    this.loadingNewest.set(conversationId, load);
    return load;
  }

  private putUsers(users: readonly User[]): void {
    const me = this.session?.me.id;
    for (const user of users) {
      this.store.setUser(user.id, user);
      if (user.id === me) this.store.set('me', user);
    }
  }

  /** Refuses, before asking the hub, what the hub is known to refuse. */
  private checkOutgoing(entry: OutboxEntry): { code: string; message: string } | null {
    const limits = this.limits;
    if (!limits) return null;
    const bytes = utf8Length(entry.text);
    if (bytes > limits.maxTextBytes) {
      return {
        code: ErrorCode.TooLong,
        message: `the message is ${bytes} bytes; the limit is ${limits.maxTextBytes} bytes`,
      };
    }
    const frame = JSON.stringify({
      type: 'send',
      id: 'c0000000000',
      conversationId: entry.conversationId,
      clientId: entry.clientId,
      text: entry.text,
    });
    if (utf8Length(frame) > limits.maxFrameBytes) {
      return { code: ErrorCode.TooLong, message: 'the message is too long to send' };
    }
    return null;
  }
}

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).length;
}
