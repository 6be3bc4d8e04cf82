import { AccountSelfService } from './AccountSelfService.ts';
import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { ChosenStatus, Message, User } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { Backend, Deployment, OutgoingFile, SendOptions, SignInFailure } from './Backend.ts';
import { BotRequests } from './BotRequests.ts';
import { checkAttached } from './checkAttached.ts';
import { checkOutgoing } from './checkOutgoing.ts';
import type { ClientState, StatePatch } from './ClientState.ts';
import { Connection } from './Connection.ts';
import type { FileStash } from './FileStash.ts';
import type { FileUploader } from './FileUploader.ts';
import { HubHttp, type FetchLike } from './HubHttp.ts';
import type { KeyValueStorage as Storage } from './KeyValueStorage.ts';
import { MemoryFileStash } from './MemoryFileStash.ts';
import { MessageActions } from './MessageActions.ts';
import { Outbox } from './Outbox.ts';
import { PersonalState } from './PersonalState.ts';
import { OutboxUploads } from './OutboxUploads.ts';
import { RequestError } from './RequestError.ts';
import { RoomRequests } from './RoomRequests.ts';
import { searchMessages } from './SearchRequests.ts';
import { setNotify } from './notifySettings.ts';
import { sendAction } from './sendAction.ts';
import { sendParams } from './sendParams.ts';
import { SessionKeeper } from './SessionKeeper.ts';
import { SessionRenewal } from './SessionRenewal.ts';
import { keepInCookie } from './cookieSession.ts';
import { StateStore } from './StateStore.ts';
import type { IncomingSource, ReactionNews } from './StateIntake.ts';
import { SyncEngine, type SyncTuning } from './SyncEngine.ts';
import { globalTimers, type Timers } from './Timers.ts';
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
  /**
   * Where the outbox keeps attached files until they are sent (browser: IndexedDB, desktop: a
   * folder). Without one they are kept in memory and do not survive a restart of the app.
   */
  fileStash?: FileStash;
  /** Uploads files to the hub (browser: XMLHttpRequest, desktop: node:http). Without one, files cannot be sent. */
  uploader?: FileUploader;
  host: { openExternal(url: string): Promise<void>; deployment(): Promise<Deployment> };
  random?: () => number;
  now?: () => number;
  timers?: Timers;
  /** Tuning, mostly for tests. */
  tuning?: Partial<ChatClientTuning>;
  /**
   * The web client (not framed): the session token lives in the hub's HttpOnly, SameSite=Strict
   * cookie, never in storage nor in the page (issue 16; cookieSession.ts).
   */
  sessionCookie?: boolean;
}

/** Timings and sizes of the client (the sync engine's, and the connection's and typing's here). */
export interface ChatClientTuning extends SyncTuning {
  requestTimeoutMs: number;
  idleProbeMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** `typing` is sent at most once per this many ms per conversation. */
  typingIntervalMs: number;
  /** An upload with no progress and no answer for this long is given up and tried again. */
  uploadStallMs: number;
  /** Upload progress reaches the state at most this often per message. */
  uploadProgressMs: number;
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
  uploadStallMs: 60_000,
  uploadProgressMs: 100,
};

const outboxKey = 'beseda.outbox';

/**
 * The client core: one signed-in connection to a hub, its outbox and its state, behind the
 * {@link Backend} interface. Runs in a browser page, in Electron's main process and in Node tests;
 * the WebSocket, fetch, storage and timers are injected. The session (restore, sign-in, sign-out)
 * is kept by {@link SessionKeeper}; keeping the state in step with the hub is {@link SyncEngine}'s.
 * Saving a file to disk is the host's (`Backend.saveFile`: the page's download or the main process).
 */
export class ChatClient implements Omit<Backend, 'saveFile' | 'clipboardImage'> {
  private readonly store = new StateStore();
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly tuning: ChatClientTuning;
  private readonly connection: Connection;
  private readonly outbox: Outbox;
  private readonly uploads: OutboxUploads;
  private readonly sessions: SessionKeeper;
  private readonly renewal: SessionRenewal;
  private readonly sync: SyncEngine;
  private readonly actions: MessageActions;
  private readonly rooms: RoomRequests;
  private readonly personal: PersonalState;
  private readonly typingSentAt = new Map<number, number>();

  constructor(private readonly options: ChatClientOptions) {
    this.timers = options.timers ?? globalTimers;
    this.now = options.now ?? (() => Date.now());
    this.tuning = { ...defaultTuning, ...options.tuning };
    const http = new HubHttp(options.fetch, this.timers, this.tuning.requestTimeoutMs);
    this.connection = new Connection({
      createSocket: options.createSocket,
      timers: this.timers,
      random: options.random ?? Math.random,
      now: this.now,
      backoff: { baseMs: this.tuning.backoffBaseMs, factor: 2, capMs: this.tuning.backoffCapMs },
      requestTimeoutMs: this.tuning.requestTimeoutMs,
      idleProbeMs: this.tuning.idleProbeMs,
      checkSession: () => this.sessions.checkSession(),
      probe: () => this.probe(),
      onHello: (hello, how) => (
        this.sync.hello(hello, how.catchUp),
        this.personal.hello(hello),
        this.renewal.hello(hello)
      ),
      onEvent: (frame) => (this.sync.event(frame), this.personal.event(frame)),
      onStatus: (status, error) => this.sync.linkChanged(status, error),
      onSignedOut: (reason) => void this.sessions.ended(reason),
    });
    this.uploads = new OutboxUploads({
      stash: options.fileStash ?? new MemoryFileStash(),
      uploader: options.uploader ?? null,
      target: () => this.hubAccess(),
      timers: this.timers,
      now: this.now,
      stallMs: this.tuning.uploadStallMs,
      progressEveryMs: this.tuning.uploadProgressMs,
      onProgress: (conversationId) => this.sync.outboxChanged(conversationId),
    });
    this.outbox = new Outbox({
      storage: options.storage,
      storageKey: outboxKey,
      timers: this.timers,
      now: this.now,
      send: async (entry) => (await this.connection.request('send', sendParams(entry))).message,
      check: (entry) => checkOutgoing(entry, this.sync.currentLimits()),
      onChange: (conversationId) => this.sync.outboxChanged(conversationId),
      onDelivered: (_entry, message) => this.sync.applyMessages([message], 'ack'),
      uploads: this.uploads,
      act: (action) => sendAction((type, params) => this.connection.request(type, params), action),
      onActed: (_action, message) => this.sync.intake.messageChanged(message),
    });
    this.sessions = new SessionKeeper({
      storage: options.storage,
      store: this.store,
      http,
      connection: this.connection,
      outbox: this.outbox,
      ...(options.sessionCookie ? { keepToken: (urls, token) => keepInCookie(options.fetch, urls, token) } : {}),
      resetSessionState: () => {
        this.renewal.stop();
        this.typingSentAt.clear();
        this.sync.reset();
        this.personal.reset();
      },
    });
    this.renewal = new SessionRenewal({
      timers: this.timers,
      now: this.now,
      renew: () => this.connection.request('session.renew', {}),
      adopt: (token) => this.sessions.renewed(token),
      adoptSaved: () => this.sessions.adoptSavedToken(),
    });
    this.sync = new SyncEngine({
      store: this.store,
      connection: this.connection,
      outbox: this.outbox,
      timers: this.timers,
      tuning: this.tuning,
      me: () => this.sessions.me(),
      helloMe: (me) => this.sessions.helloMe(me),
      request: (type, params) => this.sessions.request(type, params),
    });
    this.personal = new PersonalState({
      storage: options.storage,
      store: this.store,
      timers: this.timers,
      session: () => this.sessions.current && { hub: this.sessions.current.urls.base, me: this.sessions.current.me },
      isReady: () => this.connection.isReady,
      request: (type, params) => this.sessions.request(type, params),
      onIncoming: (listener) => this.sync.intake.onIncoming(listener),
    });
    this.rooms = new RoomRequests({
      intake: this.sync.intake,
      request: (type, params) => this.sessions.request(type, params),
    });
    this.actions = new MessageActions({
      store: this.store,
      outbox: this.outbox,
      sync: this.sync,
      now: this.now,
      requireSession: () => this.sessions.requireSession(),
      outboxPending: () => this.sessions.outboxPending(),
      request: (type, params) => this.sessions.request(type, params),
    });
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /** Restores the saved session and outbox, and connects if signed in. Safe to call more than once. */
  start(): Promise<void> {
    return this.sessions.start().then(() => this.personal.loadDrafts());
  }

  /** The network came back or the machine resumed: reconnect at once (no back-off wait). */
  notifyNetworkChange(): void {
    if (this.sessions.current) this.connection.reconnectNow();
  }

  /** Listens for other people's new messages (for notifications); returns the unsubscribe function. */
  onIncoming(listener: (messages: Message[], source: IncomingSource) => void): () => void {
    return this.sync.intake.onIncoming(listener);
  }

  /** Listens for edits that mention the user for the first time (notified once, never unread). */
  onEditMention(listener: (messages: Message[], source: IncomingSource) => void): () => void {
    return this.sync.intake.onEditMention(listener);
  }

  /** Listens for reactions others change on the user's messages (the desktop may notify them). */
  onReaction(listener: (reactions: ReactionNews[], source: IncomingSource) => void): () => void {
    return this.sync.intake.onReaction(listener);
  }

  /** Closes the connection and stops every timer; storage stays as it is (a new client resumes it). */
  dispose(): void {
    this.sessions.dispose();
    this.renewal.stop();
    this.connection.stop();
    this.outbox.stop();
    this.sync.dispose();
  }

  /** Resolves when every outbox change so far is in storage (tests, and hosts before quitting). */
  flushStorage(): Promise<void> {
    return this.outbox.flushed();
  }

  /** The signed-in hub's address and token, for a host's own requests (desktop: files); null when signed out. */
  hubAccess(): { base: string; token: string } | null {
    const session = this.sessions.current;
    return session ? { base: session.urls.base, token: session.token } : null;
  }

  /** Checks that the socket still answers (idle, or after a network change). */
  private async probe(): Promise<void> {
    const me = this.sessions.me()?.id;
    if (me === undefined) return;
    await this.connection.request('users.get', { ids: [me] }, Math.min(this.tuning.requestTimeoutMs, 10_000));
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

  signIn(hubUrl: string, login: string, password: string): Promise<{ ok: true } | { ok: false; error: SignInFailure }> {
    return this.sessions.signIn(hubUrl, login, password);
  }

  /**
   * Signs in with a session token obtained elsewhere (a one-time embed link redeemed by the page),
   * saving the session exactly as {@link ChatClient.signIn} does.
   */
  signInWithToken(hubUrl: string, token: string, user: User): Promise<void> {
    return this.sessions.signInWithToken(hubUrl, token, user);
  }

  signOut(): Promise<void> {
    return this.personal.signingOut().then(() => this.sessions.signOut());
  }

  /**
   * Queues a message with its files. Resolves once the message and the files' bytes are kept on
   * this device (they survive a restart); the uploads and the send follow when connected.
   */
  async send(conversationId: number, text: string, files: OutgoingFile[] = [], options?: SendOptions): Promise<void> {
    this.sessions.requireSession();
    const attached = checkAttached(files);
    if (attached.length > 0 && !this.uploads.available) {
      throw new RequestError(ErrorCode.BadRequest, 'this app cannot send files');
    }
    if (text.trim().length === 0 && attached.length === 0) {
      throw new RequestError(ErrorCode.BadRequest, 'the message is empty');
    }
    this.typingSentAt.delete(conversationId);
    this.actions.navigator.sending(conversationId);
    // Normally loaded long ago: then the message shows synchronously, within this call.
    const loading = this.sessions.outboxPending();
    if (loading) await loading;
    await this.outbox.add(conversationId, text, attached, this.actions.sendExtras(conversationId, options));
  }

  // ---- message actions (MessageActions: queued in the outbox like sends) ----
  readonly forward: Backend['forward'] = (from, seq, to) => this.actions.forward(from, seq, to);
  readonly editMessage: Backend['editMessage'] = (id, seq, text) => this.actions.edit(id, seq, text);
  readonly deleteMessage: Backend['deleteMessage'] = (id, seq) => this.actions.delete(id, seq);
  readonly react: Backend['react'] = (id, seq, emoji, on) => this.actions.react(id, seq, emoji, on);
  readonly pin: Backend['pin'] = (id, seq, pinned) => this.actions.pin(id, seq, pinned);
  readonly loadPins: Backend['loadPins'] = (id) => this.actions.loadPins(id);
  readonly showMessage: Backend['showMessage'] = (id, seq) => this.actions.showMessage(id, seq);
  readonly dismissChangeError: Backend['dismissChangeError'] = (id, seq) => this.actions.dismissChangeError(id, seq);

  // ---- search and windows opened around a message (SearchRequests, WindowNavigator) ----
  readonly search: Backend['search'] = (params) =>
    searchMessages(
      { request: (t, p) => this.request(t, p), loadUnknownUsers: (ids) => this.sync.intake.loadUnknownUsers(ids) },
      params,
    );
  readonly loadNewer: Backend['loadNewer'] = (id) => this.actions.navigator.loadNewer(id);
  readonly jumpToLatest: Backend['jumpToLatest'] = (id) => this.actions.navigator.jumpToLatest(id);

  async retry(clientId: string): Promise<void> {
    await this.outbox.retry(clientId);
  }

  async discard(clientId: string): Promise<void> {
    await this.outbox.discard(clientId);
  }

  loadOlder(conversationId: number): Promise<void> {
    return this.sync.loader.loadOlder(conversationId);
  }

  setActiveConversation(conversationId: number | null): Promise<void> {
    return this.sync.loader.setActive(conversationId);
  }

  async setVisible(visible: boolean): Promise<void> {
    this.sync.reads.setVisible(visible);
  }

  readonly setReadReceipts: Backend['setReadReceipts'] = (on) => this.personal.setReadReceipts(on);
  readonly saveDraft: Backend['saveDraft'] = (id, text) => this.personal.saveDraft(id, text);
  readonly markSeen: Backend['markSeen'] = async (id, seq) => this.sync.reads.markSeen(id, seq);

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

  // ---- rooms and people (RoomRequests) ----

  readonly createRoom: Backend['createRoom'] = (input) => this.rooms.createRoom(input);
  readonly browseRooms: Backend['browseRooms'] = (query) => this.rooms.browseRooms(query);
  readonly joinRoom: Backend['joinRoom'] = (id) => this.rooms.joinRoom(id);
  readonly leaveRoom: Backend['leaveRoom'] = (id) => this.rooms.leaveRoom(id);
  readonly invite: Backend['invite'] = (id, userIds) => this.rooms.invite(id, userIds);
  readonly removeMember: Backend['removeMember'] = (id, userId) => this.rooms.removeMember(id, userId);
  readonly updateRoom: Backend['updateRoom'] = (id, change) => this.rooms.updateRoom(id, change);
  readonly transferOwnership: Backend['transferOwnership'] = (id, userId) => this.rooms.transferOwnership(id, userId);
  readonly members: Backend['members'] = (id) => this.rooms.members(id);
  readonly openDirect: Backend['openDirect'] = (userId) => this.rooms.openDirect(userId);
  readonly searchUsers: Backend['searchUsers'] = (query) => this.rooms.searchUsers(query);
  readonly setNotify: Backend['setNotify'] = (id, change) =>
    setNotify({ intake: this.sync.intake, request: (t, p) => this.request(t, p) }, id, change);

  // Onboarding and self-service (issue 16): common/client/AccountSelfService.ts.
  readonly checkInvitation: Backend['checkInvitation'] = (hub, code) => this.account().checkInvitation(hub, code);
  readonly redeemInvitation: Backend['redeemInvitation'] = (hub, code, pw) =>
    this.account().redeemInvitation(hub, code, pw);
  readonly setInitialPassword: Backend['setInitialPassword'] = (hub, code, pw) =>
    this.account().redeemInvitation(hub, code, pw);
  readonly changePassword: Backend['changePassword'] = (current, next) => this.account().changePassword(current, next);
  readonly listSessions: Backend['listSessions'] = () => this.account().listSessions();
  readonly endSession: Backend['endSession'] = (id) => this.account().endSession(id);
  readonly endOtherSessions: Backend['endOtherSessions'] = () => this.account().endOtherSessions();
  private accountActions?: AccountSelfService;
  private account(): AccountSelfService {
    this.accountActions ??= new AccountSelfService({
      fetch: this.options.fetch,
      request: (t, p) => this.request(t, p),
      signInWithToken: (hub, token, user) => this.sessions.signInWithToken(hub, token, user),
    });
    return this.accountActions;
  }

  // Buttons and slash commands (issue 18): common/client/BotRequests.ts.
  readonly messageAction: Backend['messageAction'] = (id, seq, actionId) =>
    this.bots().messageAction(id, seq, actionId);
  readonly commandsList: Backend['commandsList'] = () => this.bots().commandsList();
  readonly runCommand: Backend['runCommand'] = (id, command, args) => this.bots().runCommand(id, command, args);
  private botRequests?: BotRequests;
  private bots(): BotRequests {
    // Made on first use: class fields run before the constructor has set the timers.
    this.botRequests ??= new BotRequests({ request: (t, p) => this.request(t, p), timers: this.timers });
    return this.botRequests;
  }

  readonly admin: Backend['admin'] = async (command, args) =>
    (await this.request('admin', { command, args: args ?? {} })).result;

  async confirmAnnouncement(seq: number): Promise<void> {
    await this.request('announcements.confirm', { seq });
    this.store.setAnnouncement(seq, null);
  }

  async openExternal(url: string): Promise<void> {
    // Only web and mail links leave the app: never file:, javascript: or custom protocol handlers.
    if (!/^(https?:\/\/|mailto:)/i.test(url.trim()))
      throw new RequestError(ErrorCode.BadRequest, 'not a web or mail link');
    await this.options.host.openExternal(url.trim());
  }

  private request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]> {
    return this.sessions.request(type, params);
  }
}
