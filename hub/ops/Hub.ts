import type {
  ChosenStatus,
  Conversation,
  Limits,
  Member,
  Message,
  MessageUpdate,
  RoomSummary,
  SearchHit,
  User,
  UserSettings,
} from '../../common/protocol/model.ts';
import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import type {
  AnnounceInput,
  AnnouncementStatus,
  BotGrant,
  BotInfo,
  DirectoryEntry,
  ExternalEntry,
  HookInfo,
  ImportReport,
  NewBot,
  PostInput,
  PostTarget,
} from './IntegrationTypes.ts';
import type { HubFiles } from './HubFiles.ts';
import type { SessionLifetimes } from '../identity/SessionLifetimes.ts';
import type { RoomAdmin } from './RoomAdmin.ts';
import type { AdminRights } from './AdminRights.ts';
import type { RoomConsole } from './RoomConsole.ts';
import type { Invitations } from './Invitations.ts';
import type { SelfService } from './SelfService.ts';
import type { DirectoryService } from '../identity/ldap/DirectoryService.ts';
import type { HubStats } from './HubStats.ts';
import type { BackupContents, StorePing } from '../store/StorageAdmin.ts';
import type { AuditEntry, AuditFilter, AuditRecord } from '../store/AuditStore.ts';
import type { BotCallbacks } from './callbacks/BotCallbacks.ts';
import type { MessageButtons } from './MessageButtons.ts';
import type { SlashCommands } from './SlashCommands.ts';
import type { Releases } from './Releases.ts';

/** The authenticated caller of an operation. */
export interface Actor {
  userId: number;
  sessionId: number;
  isAdmin: boolean;
  isBot: boolean;
  /**
   * A session from an embed link (scope `chat`): the chat WebSocket protocol only. It is never
   * `isAdmin` and the HTTP API refuses it (except `/me` and `/logout`, which concern the session itself).
   */
  chatOnly?: boolean;
}

/** The storage's state for monitoring: `fullSince` is when writes started failing for lack of space. */
export interface StorageHealth {
  ok: boolean;
  fullSince: number | null;
}

/** A user record as the admin CLI and HTTP admin API see it. */
export interface AccountInfo extends Omit<User, 'email'> {
  email: string | null;
  /** The person's id in the organisation's system (1C), set by directory sync; null when not linked. */
  externalId: string | null;
  createdAt: number;
}

/** What `hello` carries besides protocol metadata. */
export interface HelloState {
  me: User;
  conversations: Conversation[];
  lastSeq: number;
  /** The user's own settings (read receipts). */
  settings: UserSettings;
}

/**
 * The hub's own operations. Protocol handlers, the HTTP API and the CLI call these and never SQL,
 * so the storage engine (SQLite now, PostgreSQL later) and fan-out (in-process now, Redis later)
 * can change without touching them. Every method is async at this boundary, checks that the actor
 * may do it, and throws {@link HubError} for expected failures.
 */
export interface Hub {
  readonly limits: Limits;
  /** Uploaded files: upload, authorised download, download keys, orphans, blob backups. */
  readonly files: HubFiles;
  /** When sessions end, and `session.renew` (hub/identity/SessionLifetimes.ts). */
  readonly sessionLifetimes: SessionLifetimes;
  /** The audit log (hub/ops/AuditLog.ts): who changed which account, bot, hook or room; listed newest first. */
  readonly audit: {
    record(entry: Omit<AuditEntry, 'at'>): Promise<void>;
    list(filter: AuditFilter): Promise<AuditRecord[]>;
  };

  /** Room administration for the CLI (hub/ops/RoomAdmin.ts): add, list, archive, unarchive, rename. */
  readonly roomAdmin: RoomAdmin;
  /** Administrator rights (hub/ops/AdminRights.ts): `user.setAdmin`. */
  readonly adminRights: AdminRights;
  /** The admin console's room members and owner changes (hub/ops/RoomConsole.ts). */
  readonly roomConsole: RoomConsole;
  /** Invitations, sign-in with a forced password change (hub/ops/Invitations.ts). */
  readonly invitations: Invitations;
  /** Change password, my sessions (hub/ops/SelfService.ts). */
  readonly selfService: SelfService;
  /**
   * Calls to bots (hub/ops/callbacks/BotCallbacks.ts): `callbacks.caller` (BotCaller) for buttons
   * and slash commands, the message delivery queue, `bot callback` settings.
   */
  readonly callbacks: BotCallbacks;
  /** Button clicks, `message.action` (hub/ops/MessageButtons.ts, issue 18). */
  readonly buttons: MessageButtons;
  /** Slash commands: register, list, run (hub/ops/SlashCommands.ts, issue 18). */
  readonly commands: SlashCommands;
  /** Desktop releases served as updates, and which versions are in use (hub/ops/Releases.ts, issue 21). */
  readonly releases: Releases;
  /** Directory sign-in and sync (hub/identity/ldap); null when the hub runs without `--directory`. */
  readonly ldap: DirectoryService | null;

  // Accounts and sessions
  login(login: string, password: string, source: string): Promise<{ token: string; user: User; actor: Actor }>;
  authenticate(token: string): Promise<Actor | null>;
  logout(actor: Actor): Promise<void>;
  createUser(input: {
    login: string;
    name: string;
    password?: string;
    isAdmin?: boolean;
    isBot?: boolean;
    branch?: string | null;
    email?: string | null;
  }): Promise<{ user: AccountInfo; generatedPassword?: string }>;
  setPassword(login: string, password?: string): Promise<{ generatedPassword?: string }>;
  setDisabled(login: string, disabled: boolean): Promise<void>;
  listAccounts(): Promise<AccountInfo[]>;

  // Connections and presence (in memory; a connection is one socket of one session)
  connect(actor: Actor, connectionId: string): Promise<HelloState>;
  disconnect(actor: Actor, connectionId: string): Promise<void>;
  setPresence(
    actor: Actor,
    connectionId: string,
    change: { status?: ChosenStatus; idle?: boolean },
  ): Promise<{ status: User['presence'] }>;

  // Messages
  /** Messages and updates after `since`, each oldest first; the page limit counts both together. */
  sync(actor: Actor, p: ParamsOf<'sync'>): Promise<{ messages: Message[]; updates: MessageUpdate[]; more: boolean }>;
  listConversations(actor: Actor): Promise<Conversation[]>;
  /** A page of one conversation: before a seq (or the newest), after one, or around one (see Messaging.history). */
  history(actor: Actor, p: ParamsOf<'history'>): Promise<{ messages: Message[]; more: boolean; newer: boolean }>;
  /** Full-text search over the messages the actor may read now, newest first (docs/protocol.md, "search"). */
  search(actor: Actor, p: ParamsOf<'search'>): Promise<{ hits: SearchHit[]; more: boolean }>;
  /** Resolves only after the message is committed; a repeated clientId resolves to the original. */
  send(actor: Actor, p: ParamsOf<'send'>): Promise<Message>;
  markRead(actor: Actor, p: ParamsOf<'read'>): Promise<{ readSeq: number }>;
  /** The newest seq one of the actor's devices received (✓ delivered in direct conversations). */
  received(actor: Actor, p: ParamsOf<'received'>): Promise<void>;
  /** Changes the actor's own settings (read receipts, time zone); every device hears of it. */
  setSettings(actor: Actor, p: ParamsOf<'settings.set'>): Promise<{ settings: UserSettings; me: User }>;
  /** The actor's notification level and/or mute of a conversation they are in (every device of theirs hears it). */
  setNotify(actor: Actor, p: ParamsOf<'conversations.notify'>): Promise<Conversation>;

  // Message actions (docs/protocol.md, "Message actions"): each answers the message as it is
  // after the call; a repeated clientId or a change that changes nothing publishes nothing.
  /** The author replaces the text of their message. */
  editMessage(actor: Actor, p: ParamsOf<'message.edit'>): Promise<Message>;
  /** Deletes a message for everyone (its author, a room's owner, an administrator). */
  deleteMessage(actor: Actor, p: ParamsOf<'message.delete'>): Promise<Message>;
  /** Adds or takes back the actor's reaction. */
  react(actor: Actor, p: ParamsOf<'message.react'>): Promise<Message>;
  /** Pins or unpins a message. */
  pin(actor: Actor, p: ParamsOf<'message.pin'>): Promise<Message>;
  /** The pinned messages of a conversation the actor is in, newest pin first. */
  pins(actor: Actor, p: ParamsOf<'pins.list'>): Promise<Message[]>;
  typing(actor: Actor, p: ParamsOf<'typing'>): Promise<void>;

  // Rooms and direct conversations
  createRoom(actor: Actor, p: ParamsOf<'rooms.create'>): Promise<Conversation>;
  browseRooms(actor: Actor, p: ParamsOf<'rooms.browse'>): Promise<RoomSummary[]>;
  joinRoom(actor: Actor, p: ParamsOf<'rooms.join'>): Promise<Conversation>;
  leaveRoom(actor: Actor, p: ParamsOf<'rooms.leave'>): Promise<void>;
  invite(actor: Actor, p: ParamsOf<'rooms.invite'>): Promise<{ added: number[] }>;
  removeMember(actor: Actor, p: ParamsOf<'rooms.remove'>): Promise<void>;
  updateRoom(actor: Actor, p: ParamsOf<'rooms.update'>): Promise<Conversation>;
  transferOwnership(actor: Actor, p: ParamsOf<'rooms.transfer'>): Promise<void>;
  members(actor: Actor, p: ParamsOf<'rooms.members'>): Promise<Member[]>;
  openDirect(actor: Actor, p: ParamsOf<'direct.open'>): Promise<Conversation>;

  // People directory
  searchUsers(actor: Actor, p: ParamsOf<'users.search'>): Promise<User[]>;
  getUsers(actor: Actor, p: ParamsOf<'users.get'>): Promise<User[]>;

  /** Online backup of the whole database to `file` (consistent, taken while serving). */
  backup(file: string): Promise<{ pages: number }>;
  /** Checks a backup written by {@link backup} (integrity off the main thread, counts); rejects with the reason. */
  verifyBackup(file: string): Promise<BackupContents>;
  /**
   * Caps the database size in pages (SQLite `max_page_count`), or lifts the cap with null. Lets IT
   * reserve disk space, and lets tests simulate a full disk.
   */
  setStorageLimit(maxPages: number | null): Promise<{ maxPages: number }>;
  /**
   * Whether the hub can store new data. Not after a write failed for lack of space (disk full or
   * the size cap), until the storage has room again; /healthz reports it to monitoring.
   */
  storageHealth(): Promise<StorageHealth>;
  /** Whether the store answers now (SQLite: always; PostgreSQL: `SELECT 1` within `timeoutMs`). */
  storePing(timeoutMs: number): Promise<StorePing>;
  /** Sign-in failures and throttles since start, and the database's size: what `/metrics` reports. */
  stats(): Promise<HubStats>;

  // Integrations (docs/integrations.md). Methods without an actor, or given `null` for one, are
  // the admin CLI's (IT on the hub's machine); the HTTP API always passes the caller.

  /**
   * The actor of a bot token or a session token (the HTTP integration API); null if neither works.
   * The WebSocket upgrade uses it too: a bot's socket hears only its own conversations.
   */
  authenticateIntegration(token: string): Promise<Actor | null>;
  /** Creates a bot in the given rooms; its token is returned only this once. */
  addBot(input: NewBot): Promise<{ bot: BotInfo; token: string }>;
  /** Adds rooms and rights to a bot. */
  grantBot(login: string, input: BotGrant): Promise<BotInfo>;
  /** Replaces a bot's token (the old one stops working) and re-enables a revoked bot. */
  rotateBotToken(login: string): Promise<{ bot: BotInfo; token: string }>;
  /** Ends a bot's token and disables its account. */
  revokeBot(login: string): Promise<void>;
  listBots(): Promise<BotInfo[]>;
  /** A message from a bot or an administrator to `@login`, `#room` or a conversation id. */
  postMessage(actor: Actor, input: PostInput): Promise<Message>;
  /**
   * Before a multipart post stores its files: `skip` for a retry of a posted `clientId` (drop the
   * parts), else `store` once `to` (if given) is checked without changing anything.
   */
  beforePostFiles(
    actor: Actor,
    input: { to?: PostTarget; clientId?: string; replace?: boolean },
  ): Promise<'store' | 'skip'>;
  /**
   * `POST /api/v1/messages` with `replace: true`: edits the bot's message with this clientId to
   * the new text and cards (`replaced`), or posts it as new.
   */
  replaceMessage(actor: Actor, input: PostInput): Promise<{ message: Message; replaced: boolean }>;
  /** Creates a Slack-compatible incoming webhook for a room; its secret is returned only this once. */
  addHook(input: {
    room: string;
    name?: string;
    allowChannelOverride?: boolean;
  }): Promise<{ hook: HookInfo; secret: string }>;
  listHooks(): Promise<HookInfo[]>;
  revokeHook(id: number): Promise<void>;
  /**
   * Posts a Slack-style payload through the hook with this secret (`not_found` if none), with
   * `files` the hook's bot uploaded for it (see {@link hookSender}).
   */
  postToHook(secret: string, payload: unknown, files?: string[]): Promise<Message>;
  /** The bot account a live hook posts as (`not_found` if none): a multipart post's files are uploaded as it. */
  hookSender(secret: string): Promise<Actor>;
  /** Posts an announcement (administrators and bots; null: the admin CLI, as `from` or the first admin). */
  announce(actor: Actor | null, input: AnnounceInput & { from?: string }): Promise<Message>;
  /** Confirms having read an announcement (idempotent). */
  confirmAnnouncement(actor: Actor, p: ParamsOf<'announcements.confirm'>): Promise<void>;
  /** Who has and has not confirmed (its sender and administrators; null: the admin CLI). */
  announcementStatus(actor: Actor | null, seq: number): Promise<AnnouncementStatus>;
  /** The announcements the actor still has to confirm, oldest first. */
  pendingAnnouncements(actor: Actor): Promise<Message[]>;
  /** Creates or updates a person from the directory (administrators, bots with the right; null: CLI). */
  syncUser(actor: Actor | null, entry: DirectoryEntry): Promise<{ user: AccountInfo; created: boolean }>;
  /** Creates or updates the person linked to an external id (1C); login generated once for a new one. */
  syncUserByExternalId(actor: Actor, entry: ExternalEntry): Promise<{ user: AccountInfo; created: boolean }>;
  /** The person linked to an external id (administrators, bots with the directory right). */
  findUserByExternalId(actor: Actor, externalId: string): Promise<AccountInfo>;
  /** Disables a person from the directory, closing their connections. */
  deactivateUser(actor: Actor | null, login: string): Promise<AccountInfo>;
  /** Loads a CSV user list, all or nothing. */
  importUsers(csv: string): Promise<ImportReport>;
  /** A one-time link that signs a person in to the web client (administrators, bots allowed to embed). */
  createEmbedLink(
    actor: Actor,
    input: { login?: string; externalId?: string; ttlSeconds?: number },
  ): Promise<{ secret: string; expiresAt: number }>;
  /** Uses a link once: the one-time code for the page, or null if unknown, used or expired. */
  openEmbedLink(secret: string): Promise<string | null>;
  /** Exchanges the page's one-time code for a new session. */
  redeemEmbedCode(code: string, source: string): Promise<{ token: string; user: User }>;

  /** Flush pending writes and stop; further calls fail with `unavailable`. */
  close(): Promise<void>;
}
