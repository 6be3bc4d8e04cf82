import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
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
import type { Accounts } from './Accounts.ts';
import type { AuditLog } from './AuditLog.ts';
import type { AccountInfo, Actor, Hub, HelloState, StorageHealth } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import type { HubFiles } from './HubFiles.ts';
import type { HubStats } from './HubStats.ts';
import { readHubStats } from './readHubStats.ts';
import type { Store } from '../store/Store.ts';
import type { BackupContents, StorePing } from '../store/StorageAdmin.ts';
import { HubError } from './HubError.ts';
import { guardPart } from './guardPart.ts';
import type { Directory } from './Directory.ts';
import type { MessageChanges } from './MessageChanges.ts';
import type { Messaging } from './Messaging.ts';
import type { Presence } from './Presence.ts';
import type { Receipts } from './Receipts.ts';
import type { RoomAdmin } from './RoomAdmin.ts';
import type { AdminRights } from './AdminRights.ts';
import type { RoomConsole } from './RoomConsole.ts';
import type { DirectoryService } from '../identity/ldap/DirectoryService.ts';
import type { Rooms } from './Rooms.ts';
import type { Search } from './Search.ts';
import type { SendQueue } from './SendQueue.ts';
import { toHubError } from './toHubError.ts';
import type { Typing } from './Typing.ts';
import { setNotifySettings } from './NotifySettings.ts';
import { toUser } from './views.ts';
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
import type { Integrations } from './integrations/Integrations.ts';
import { botTokenPrefix } from './integrations/secrets.ts';
import type { SessionLifetimes } from '../identity/SessionLifetimes.ts';
import type { Invitations } from './Invitations.ts';
import type { SelfService } from './SelfService.ts';
import type { BotCallbacks } from './callbacks/BotCallbacks.ts';
import type { MessageButtons } from './MessageButtons.ts';
import type { SlashCommands } from './SlashCommands.ts';
import type { Releases } from './Releases.ts';

/** Free space that ends a "storage full" state: 256 KiB (64 pages of 4 KiB). */
const roomToRecover = 256 * 1024;

/** The parts the hub delegates to. */
export interface HubParts {
  accounts: Accounts;
  presence: Presence;
  queue: SendQueue;
  messaging: Messaging;
  changes: MessageChanges;
  rooms: Rooms;
  directory: Directory;
  search: Search;
  typing: Typing;
  integrations: Integrations;
  files: HubFiles;
  receipts: Receipts;
  audit: AuditLog;
  roomAdmin: RoomAdmin;
  adminRights: AdminRights;
  roomConsole: RoomConsole;
  ldap: DirectoryService | null;
  sessionLifetimes: SessionLifetimes;
  invitations: Invitations;
  selfService: SelfService;
  callbacks: BotCallbacks;
  buttons: MessageButtons;
  commands: SlashCommands;
  releases: Releases;
}

/**
 * The SQLite-backed hub: every operation runs through one guard that refuses work after close
 * and turns every failure into a HubError (no SQL error reaches a caller).
 */
export class SqliteHub implements Hub {
  readonly limits: Limits;
  // The parts handed out as properties: their failures pass through the same guard (guardPart).
  readonly audit: AuditLog;
  readonly roomAdmin: RoomAdmin;
  readonly adminRights: AdminRights;
  readonly roomConsole: RoomConsole;
  readonly ldap: DirectoryService | null;
  readonly sessionLifetimes: SessionLifetimes;
  readonly invitations: Invitations;
  readonly selfService: SelfService;
  readonly callbacks: BotCallbacks;
  readonly buttons: MessageButtons;
  readonly commands: SlashCommands;
  readonly releases: Releases;
  private closed = false;
  /** When a write last failed for lack of space, until the storage has room again (storageHealth). */
  private storageFullSince: number | null = null;

  constructor(
    private readonly ctx: HubContext,
    private readonly parts: HubParts,
  ) {
    this.limits = ctx.limits;
    const guard = <T extends object>(name: string, part: T): T =>
      guardPart(part, name, (op, err) => this.asHubError(op, err));
    this.audit = guard('audit', parts.audit);
    this.roomAdmin = guard('roomAdmin', parts.roomAdmin);
    this.adminRights = guard('adminRights', parts.adminRights);
    this.roomConsole = guard('roomConsole', parts.roomConsole);
    this.ldap = parts.ldap && guard('ldap', parts.ldap);
    this.sessionLifetimes = guard('sessionLifetimes', parts.sessionLifetimes);
    this.invitations = guard('invitations', parts.invitations);
    this.selfService = guard('selfService', parts.selfService);
    this.callbacks = guard('callbacks', parts.callbacks);
    this.buttons = guard('buttons', parts.buttons);
    this.commands = guard('commands', parts.commands);
    this.releases = guard('releases', parts.releases);
  }

  get files(): HubFiles {
    return this.parts.files;
  }

  /**
   * The store the hub runs on. For tests only: they reach the SQLite connection under it with
   * sqliteDatabaseOf (to read what was stored, or simulate a full disk).
   */
  get store(): Store {
    return this.ctx.store;
  }

  private async run<T>(op: string, fn: () => Promise<T> | T): Promise<T> {
    if (this.closed) throw new HubError('unavailable', 'the hub is shutting down');
    try {
      return await fn();
    } catch (err) {
      throw this.asHubError(op, err);
    }
  }

  /** Any failure as a HubError; a full disk also marks the storage full (storageHealth). */
  private asHubError(op: string, err: unknown): HubError {
    const error = toHubError(err, this.ctx.log, op);
    if (error.code === 'storage_full') this.storageFullSince ??= this.ctx.clock();
    return error;
  }

  login(login: string, password: string, source: string): Promise<{ token: string; user: User; actor: Actor }> {
    return this.run('login', () => this.parts.accounts.login(login, password, source));
  }

  authenticate(token: string): Promise<Actor | null> {
    return this.run('authenticate', () => this.parts.accounts.authenticate(token));
  }

  logout(actor: Actor): Promise<void> {
    return this.run('logout', () => this.parts.accounts.logout(actor));
  }

  createUser(input: Parameters<Hub['createUser']>[0]): Promise<{ user: AccountInfo; generatedPassword?: string }> {
    return this.run('createUser', async () => {
      const created = await this.parts.accounts.createUser(input);
      // A person's branch puts them in that branch's room (docs/integrations.md). The account
      // exists already: a room that cannot be made (a name clash) must not make this call fail.
      try {
        await this.parts.integrations.directory.joinOwnBranch(created.user.id);
      } catch (err) {
        this.ctx.log.warn({ err, userId: created.user.id }, 'could not put the user in their branch room');
      }
      return created;
    });
  }

  setPassword(login: string, password?: string): Promise<{ generatedPassword?: string }> {
    return this.run('setPassword', () => this.parts.accounts.setPassword(login, password));
  }

  setDisabled(login: string, disabled: boolean): Promise<void> {
    return this.run('setDisabled', () => this.parts.accounts.setDisabled(login, disabled));
  }

  listAccounts(): Promise<AccountInfo[]> {
    return this.run('listAccounts', () => this.parts.accounts.listAccounts());
  }

  connect(actor: Actor, connectionId: string): Promise<HelloState> {
    return this.run('connect', async () => {
      const account = await this.ctx.store.accounts.findUserById(actor.userId);
      if (!account) throw new HubError('unauthorized', 'no such account');
      this.parts.presence.connect(actor.userId, connectionId, actor.isBot);
      return {
        me: toUser(account, this.parts.presence),
        conversations: await this.ctx.store.conversations.listFor(actor.userId),
        lastSeq: await this.ctx.store.messages.lastSeq(),
        settings: await this.parts.receipts.settingsOf(actor.userId),
      };
    });
  }

  disconnect(actor: Actor, connectionId: string): Promise<void> {
    // Allowed after close too: sockets close while the hub shuts down.
    if (this.closed) return Promise.resolve();
    return this.run('disconnect', () => this.parts.presence.disconnect(actor.userId, connectionId));
  }

  setPresence(
    actor: Actor,
    connectionId: string,
    change: { status?: ChosenStatus; idle?: boolean },
  ): Promise<{ status: User['presence'] }> {
    return this.run('setPresence', async () => ({
      status: await this.parts.presence.set(actor.userId, connectionId, change),
    }));
  }

  sync(actor: Actor, p: ParamsOf<'sync'>): Promise<{ messages: Message[]; updates: MessageUpdate[]; more: boolean }> {
    return this.run('sync', () => this.parts.messaging.sync(actor, p));
  }

  listConversations(actor: Actor): Promise<Conversation[]> {
    return this.run('listConversations', () => this.parts.messaging.listConversations(actor));
  }

  history(actor: Actor, p: ParamsOf<'history'>): Promise<{ messages: Message[]; more: boolean; newer: boolean }> {
    return this.run('history', () => this.parts.messaging.history(actor, p));
  }

  search(actor: Actor, p: ParamsOf<'search'>): Promise<{ hits: SearchHit[]; more: boolean }> {
    return this.run('search', () => this.parts.search.search(actor, p));
  }

  send(actor: Actor, p: ParamsOf<'send'>): Promise<Message> {
    return this.run('send', () => this.parts.messaging.send(actor, p));
  }

  markRead(actor: Actor, p: ParamsOf<'read'>): Promise<{ readSeq: number }> {
    return this.run('markRead', async () => {
      const before = await this.parts.receipts.directReadSeq(actor, p.conversationId);
      const result = await this.parts.messaging.markRead(actor, p);
      if (before !== undefined && result.readSeq > before) await this.parts.receipts.readMoved(actor, p.conversationId);
      return result;
    });
  }

  received(actor: Actor, p: ParamsOf<'received'>): Promise<void> {
    return this.run('received', () => this.parts.receipts.received(actor, p));
  }

  setSettings(actor: Actor, p: ParamsOf<'settings.set'>): Promise<{ settings: UserSettings; me: User }> {
    return this.run('setSettings', () => this.parts.receipts.setSettings(actor, p));
  }

  setNotify(actor: Actor, p: ParamsOf<'conversations.notify'>): Promise<Conversation> {
    return this.run('setNotify', () => setNotifySettings(this.ctx, actor, p));
  }

  editMessage(actor: Actor, p: ParamsOf<'message.edit'>): Promise<Message> {
    return this.run('editMessage', () => this.parts.changes.edit(actor, p));
  }

  deleteMessage(actor: Actor, p: ParamsOf<'message.delete'>): Promise<Message> {
    return this.run('deleteMessage', () => this.parts.changes.delete(actor, p));
  }

  react(actor: Actor, p: ParamsOf<'message.react'>): Promise<Message> {
    return this.run('react', () => this.parts.changes.react(actor, p));
  }

  pin(actor: Actor, p: ParamsOf<'message.pin'>): Promise<Message> {
    return this.run('pin', () => this.parts.changes.pin(actor, p));
  }

  pins(actor: Actor, p: ParamsOf<'pins.list'>): Promise<Message[]> {
    return this.run('pins', () => this.parts.changes.pins(actor, p));
  }

  typing(actor: Actor, p: ParamsOf<'typing'>): Promise<void> {
    return this.run('typing', () => this.parts.typing.typing(actor, p));
  }

  createRoom(actor: Actor, p: ParamsOf<'rooms.create'>): Promise<Conversation> {
    return this.run('createRoom', () => this.parts.rooms.createRoom(actor, p));
  }

  browseRooms(actor: Actor, p: ParamsOf<'rooms.browse'>): Promise<RoomSummary[]> {
    return this.run('browseRooms', () => this.parts.rooms.browseRooms(actor, p));
  }

  joinRoom(actor: Actor, p: ParamsOf<'rooms.join'>): Promise<Conversation> {
    return this.run('joinRoom', () => this.parts.rooms.joinRoom(actor, p));
  }

  leaveRoom(actor: Actor, p: ParamsOf<'rooms.leave'>): Promise<void> {
    return this.run('leaveRoom', () => this.parts.rooms.leaveRoom(actor, p));
  }

  invite(actor: Actor, p: ParamsOf<'rooms.invite'>): Promise<{ added: number[] }> {
    return this.run('invite', () => this.parts.rooms.invite(actor, p));
  }

  removeMember(actor: Actor, p: ParamsOf<'rooms.remove'>): Promise<void> {
    return this.run('removeMember', () => this.parts.rooms.removeMember(actor, p));
  }

  updateRoom(actor: Actor, p: ParamsOf<'rooms.update'>): Promise<Conversation> {
    return this.run('updateRoom', () => this.parts.rooms.updateRoom(actor, p));
  }

  transferOwnership(actor: Actor, p: ParamsOf<'rooms.transfer'>): Promise<void> {
    return this.run('transferOwnership', () => this.parts.rooms.transferOwnership(actor, p));
  }

  members(actor: Actor, p: ParamsOf<'rooms.members'>): Promise<Member[]> {
    return this.run('members', () => this.parts.rooms.members(actor, p));
  }

  openDirect(actor: Actor, p: ParamsOf<'direct.open'>): Promise<Conversation> {
    return this.run('openDirect', () => this.parts.rooms.openDirect(actor, p));
  }

  searchUsers(actor: Actor, p: ParamsOf<'users.search'>): Promise<User[]> {
    return this.run('searchUsers', () => this.parts.directory.searchUsers(actor, p));
  }

  getUsers(actor: Actor, p: ParamsOf<'users.get'>): Promise<User[]> {
    return this.run('getUsers', () => this.parts.directory.getUsers(actor, p));
  }

  backup(file: string): Promise<{ pages: number }> {
    // The store copies while the hub keeps serving.
    return this.ctx.store.admin.backup(file);
  }

  verifyBackup(file: string): Promise<BackupContents> {
    return this.ctx.store.admin.verifyBackup(file);
  }

  async setStorageLimit(maxPages: number | null): Promise<{ maxPages: number }> {
    return { maxPages: await this.ctx.store.admin.setMaxPages(maxPages) };
  }

  async storageHealth(): Promise<StorageHealth> {
    if (this.storageFullSince === null) return { ok: true, fullSince: null };
    // Room for more than one more write (a message touches a few pages), so it does not flap.
    const room = await this.ctx.store.admin.room();
    if (room.spareBytes >= roomToRecover && (room.diskFreeBytes === null || room.diskFreeBytes >= roomToRecover)) {
      this.ctx.log.info({ fullSinceMs: this.ctx.clock() - this.storageFullSince }, 'storage has room again');
      this.storageFullSince = null;
      return { ok: true, fullSince: null };
    }
    return { ok: false, fullSince: this.storageFullSince };
  }

  storePing(timeoutMs: number): Promise<StorePing> {
    return this.ctx.store.admin.ping(timeoutMs);
  }

  stats(): Promise<HubStats> {
    return this.run('stats', () => readHubStats(this.ctx, this.parts.accounts));
  }

  authenticateIntegration(token: string): Promise<Actor | null> {
    return this.run('authenticateIntegration', async () =>
      token.startsWith(botTokenPrefix)
        ? this.parts.integrations.bots.authenticate(token)
        : this.parts.accounts.authenticate(token),
    );
  }

  addBot(input: NewBot): Promise<{ bot: BotInfo; token: string }> {
    return this.run('addBot', () => this.parts.integrations.bots.add(input));
  }

  grantBot(login: string, input: BotGrant): Promise<BotInfo> {
    return this.run('grantBot', () => this.parts.integrations.bots.grant(login, input));
  }

  rotateBotToken(login: string): Promise<{ bot: BotInfo; token: string }> {
    return this.run('rotateBotToken', () => this.parts.integrations.bots.rotate(login));
  }

  revokeBot(login: string): Promise<void> {
    return this.run('revokeBot', () => this.parts.integrations.bots.revoke(login));
  }

  listBots(): Promise<BotInfo[]> {
    return this.run('listBots', () => this.parts.integrations.bots.list());
  }

  postMessage(actor: Actor, input: PostInput): Promise<Message> {
    return this.run('postMessage', () => this.parts.integrations.post(actor, input));
  }

  beforePostFiles(
    actor: Actor,
    input: { to?: PostTarget; clientId?: string; replace?: boolean },
  ): Promise<'store' | 'skip'> {
    return this.run('beforePostFiles', () => this.parts.integrations.beforeFiles(actor, input));
  }

  replaceMessage(actor: Actor, input: PostInput): Promise<{ message: Message; replaced: boolean }> {
    return this.run('replaceMessage', () => this.parts.integrations.replace(actor, input));
  }

  addHook(input: {
    room: string;
    name?: string;
    allowChannelOverride?: boolean;
  }): Promise<{ hook: HookInfo; secret: string }> {
    return this.run('addHook', () => this.parts.integrations.hooks.add(input));
  }

  listHooks(): Promise<HookInfo[]> {
    return this.run('listHooks', () => this.parts.integrations.hooks.list());
  }

  revokeHook(id: number): Promise<void> {
    return this.run('revokeHook', () => this.parts.integrations.hooks.revoke(id));
  }

  postToHook(secret: string, payload: unknown, files?: string[]): Promise<Message> {
    return this.run('postToHook', () => this.parts.integrations.hooks.post(secret, payload, files));
  }

  hookSender(secret: string): Promise<Actor> {
    return this.run('hookSender', () => this.parts.integrations.hooks.sender(secret));
  }

  announce(actor: Actor | null, input: AnnounceInput & { from?: string }): Promise<Message> {
    return this.run('announce', () => this.parts.integrations.announcements.announce(actor, input));
  }

  confirmAnnouncement(actor: Actor, p: ParamsOf<'announcements.confirm'>): Promise<void> {
    return this.run('confirmAnnouncement', () => this.parts.integrations.announcements.confirm(actor, p.seq));
  }

  announcementStatus(actor: Actor | null, seq: number): Promise<AnnouncementStatus> {
    return this.run('announcementStatus', () => this.parts.integrations.announcements.status(actor, seq));
  }

  pendingAnnouncements(actor: Actor): Promise<Message[]> {
    return this.run('pendingAnnouncements', () => this.parts.integrations.announcements.pending(actor));
  }

  syncUser(actor: Actor | null, entry: DirectoryEntry): Promise<{ user: AccountInfo; created: boolean }> {
    return this.run('syncUser', async () => {
      await this.requireDirectoryRight(actor);
      return this.parts.integrations.directory.sync(entry, actor);
    });
  }

  syncUserByExternalId(actor: Actor, entry: ExternalEntry): Promise<{ user: AccountInfo; created: boolean }> {
    return this.run('syncUserByExternalId', async () => {
      await this.requireDirectoryRight(actor);
      return this.parts.integrations.directory.syncByExternalId(entry, actor);
    });
  }

  findUserByExternalId(actor: Actor, externalId: string): Promise<AccountInfo> {
    return this.run('findUserByExternalId', async () => {
      await this.requireDirectoryRight(actor);
      return this.parts.integrations.directory.findByExternalId(externalId);
    });
  }

  deactivateUser(actor: Actor | null, login: string): Promise<AccountInfo> {
    return this.run('deactivateUser', async () => {
      await this.requireDirectoryRight(actor);
      return this.parts.integrations.directory.deactivate(login, actor);
    });
  }

  importUsers(csv: string): Promise<ImportReport> {
    return this.run('importUsers', () => this.parts.integrations.directory.importCsv(csv));
  }

  createEmbedLink(
    actor: Actor,
    input: { login?: string; externalId?: string; ttlSeconds?: number },
  ): Promise<{ secret: string; expiresAt: number }> {
    return this.run('createEmbedLink', () => this.parts.integrations.embedLinks.create(actor, input));
  }

  openEmbedLink(secret: string): Promise<string | null> {
    return this.run('openEmbedLink', () => this.parts.integrations.embedLinks.open(secret));
  }

  redeemEmbedCode(code: string, source: string): Promise<{ token: string; user: User }> {
    return this.run('redeemEmbedCode', () => this.parts.integrations.embedLinks.redeem(code, source));
  }

  private async requireDirectoryRight(actor: Actor | null): Promise<void> {
    if (actor && !(await this.parts.integrations.mayManageUsers(actor)))
      throw new HubError(
        'forbidden',
        'changing people needs an administrator, or a bot given that right (bot add --directory)',
      );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.parts.queue.flush();
    await this.parts.callbacks.close(); // before the store: an attempt in flight records its outcome
    await this.parts.files.close();
    await this.parts.presence.close();
    await this.parts.accounts.touches.flush();
    await this.ctx.store.admin.close();
  }
}
