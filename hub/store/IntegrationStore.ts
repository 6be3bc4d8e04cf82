import type { Message } from '../../common/protocol/model.ts';
import type { AccountRecord } from './AccountStore.ts';
import type { RoomChange } from './ConversationStore.ts';

/** A bot (integration identity) with its account. Its token is stored as a SHA-256 only. */
export interface BotRecord {
  userId: number;
  login: string;
  name: string;
  /** Its account is disabled (after a revocation). */
  disabled: boolean;
  /** It holds a token (false after a revocation). */
  hasToken: boolean;
  canEmbed: boolean;
  canManageUsers: boolean;
  createdAt: number;
  tokenIssuedAt: number | null;
  /** Where the hub calls it (issue 18), or null. */
  callbackUrl: string | null;
}

/** A bot and the rooms (general, open, closed) it is a member of, by id. */
export interface BotDetails extends BotRecord {
  rooms: { id: number; name: string }[];
}

/** A new bot: login and name checked by the caller, room ids resolved (rooms, never direct conversations). */
export interface NewBotRecord {
  login: string;
  name: string;
  /** The unknowable password's hash (bots never sign in with a password). */
  passwordHash: string;
  tokenHash: Buffer;
  canEmbed: boolean;
  canManageUsers: boolean;
  roomIds: readonly number[];
}

/** Rights (only ever added) and rooms given to a bot. */
export interface BotGrantRecord {
  canEmbed: boolean;
  canManageUsers: boolean;
  roomIds: readonly number[];
}

/**
 * A membership change the hub made as part of an integration write, for the caller to publish
 * after it committed: `joined` (one `joined` message per person, `views` for them) or `left`
 * (one `left` message, `audience` the members remaining). Only changes that wrote something.
 */
export interface RoomMove {
  conversationId: number;
  direction: 'joined' | 'left';
  change: RoomChange;
}

/** An incoming webhook with its room and bot account. Its secret is stored as a SHA-256 only. */
export interface HookRecord {
  id: number;
  botId: number;
  botLogin: string;
  conversationId: number;
  roomName: string;
  name: string;
  allowOverride: boolean;
  createdAt: number;
  revoked: boolean;
}

/** A new webhook and the room it posts to (resolved by the caller). */
export interface NewHookRecord {
  conversationId: number;
  /** Of the hook and of its bot account (checked by the caller). */
  name: string;
  /** The unknowable password's hash of its bot account. */
  passwordHash: string;
  secretHash: Buffer;
  allowOverride: boolean;
}

/** An announcement as stored (a message of kind `announcement`). */
export interface AnnouncementRecord {
  seq: number;
  conversationId: number;
  senderId: number;
  ts: number;
}

/** One person who must confirm an announcement, and when they did (null: not yet). */
export interface RecipientRecord {
  userId: number;
  login: string;
  name: string;
  confirmedAt: number | null;
}

/** What {@link IntegrationStore.confirmAnnouncement} did. */
export type ConfirmOutcome =
  /** `first`: this was the person's first confirmation (a repeat keeps the first time). */
  | { kind: 'recorded'; first: boolean }
  /** No such announcement, or the person is not (any more) a member of its conversation. */
  | { kind: 'refused'; reason: 'not_found' | 'not_member' };

/** A new embed link, stored under the SHA-256 of its secret. */
export interface NewEmbedLink {
  secretHash: Buffer;
  userId: number;
  createdBy: number;
  expiresAt: number;
}

/** What {@link IntegrationStore.redeemEmbedCode} did. */
export type RedeemOutcome =
  /** A chat-scoped session was stored for the link's person. */
  | { kind: 'signed_in'; sessionId: number; account: AccountRecord }
  /** The code is unknown, used or expired (nothing was written). */
  | { kind: 'refused'; reason: 'unknown_code' }
  /** The code is used up, but its account is gone or disabled now. */
  | { kind: 'refused'; reason: 'no_account' | 'disabled' }
  /** The code is used up, but its account is an administrator or a bot now: they never get a link's session. */
  | { kind: 'refused'; reason: 'privileged'; account: AccountRecord };

/**
 * The name of a branch's room for the `attempt`-th try (1, 2, …) and its roomNameKey, or null to
 * skip that try. The store takes the first whose key no active room has; it must give one eventually.
 */
export type BranchRoomNamer = (branch: string, attempt: number) => { name: string; nameKey: string } | null;

/** One person as the directory describes them: checked and normalised by the caller. */
export interface DirectoryPerson {
  login: string;
  name: string;
  /** Undefined: left as it is (a new account gets none). */
  branch?: string | null;
  email?: string | null;
  position?: string | null;
  phone?: string | null;
  /** Undefined: left as it is (a new account is active). */
  active?: boolean;
}

/** One directory write: the person, and a new password hash when the password changes. */
export interface DirectoryWrite {
  person: DirectoryPerson;
  /** Set as the password (ending the person's sessions); undefined leaves it. */
  passwordHash?: string;
}

/** What one directory write did to its account. */
export type DirectoryOutcome = 'created' | 'updated' | 'unchanged';

/** Why a directory write was refused: the account belongs to an administrator or a bot. */
export type ManagedAccount = 'administrator' | 'bot';

/** What a directory write changed besides the accounts, for the caller to publish after it committed. */
export interface DirectoryChanges {
  generalRoomId: number;
  /** People created (and so added to the general room, without a system message). */
  generalAdded: number[];
  /** Branch rooms joined and left, in the order they happened. */
  moves: RoomMove[];
  /** Accounts whose sessions were ended: their connections close. */
  signedOut: { userId: number; reason: 'password_changed' | 'disabled' }[];
  /** Branch rooms the hub created. */
  createdRooms: number[];
}

/** What {@link IntegrationStore.syncPeople} did. */
export type SyncOutcome =
  | (DirectoryChanges & {
      kind: 'written';
      /** For each write, in order: the account after it and what happened. */
      people: { account: AccountRecord; outcome: DirectoryOutcome }[];
    })
  /** `index`: the first write whose account is an administrator's or a bot's; nothing was written. */
  | { kind: 'refused'; index: number; reason: ManagedAccount };

/**
 * The `attempt`-th login (1, 2, …) to try for a new account, or null to skip that try. The store
 * takes the first no account has; it must give one eventually.
 */
export type LoginNamer = (attempt: number) => string | null;

/** One person addressed by their external id (1C): as {@link DirectoryWrite}, the login optional. */
export interface ExternalWrite {
  externalId: string;
  /** Without `login`: the person's fields (name required). */
  person: Omit<DirectoryPerson, 'login'>;
  /** An existing account without an external id to link (adopt) when nobody has this external id yet. */
  login?: string;
  passwordHash?: string;
}

/** What {@link IntegrationStore.syncByExternalId} did. */
export type ExternalSyncOutcome =
  | (DirectoryChanges & { kind: 'written'; account: AccountRecord; outcome: DirectoryOutcome; linked: boolean })
  /** `linked_elsewhere`: the login given is linked to another external id. Nothing was written. */
  | { kind: 'refused'; reason: ManagedAccount | 'linked_elsewhere'; login: string };

/** What {@link IntegrationStore.deactivatePerson} did. */
export type DeactivateOutcome =
  /** `changed`: the account was active (its sessions were ended). */
  | { kind: 'deactivated'; account: AccountRecord; changed: boolean }
  | { kind: 'refused'; reason: 'not_found' | ManagedAccount };

/**
 * Integrations: bots, webhooks, announcements' confirmations, embed links, branch rooms and the
 * directory sync. Every write is atomic on its own and re-checks what a concurrent call could have
 * changed; what the caller publishes afterwards comes back in the result. Room membership changes
 * inside these writes are the conversations' own (`joined` / `left` as a hub change).
 */
export interface IntegrationStore {
  /** The bot with this (normalised) login. */
  findBot(login: string): Promise<BotRecord | undefined>;
  /** The bot with this account id. */
  findBotByUserId(userId: number): Promise<BotRecord | undefined>;
  /** The bot holding this token hash (revoked tokens are not stored, so never found). */
  findBotByTokenHash(tokenHash: Buffer): Promise<BotRecord | undefined>;
  /** Every bot with its rooms, by login. */
  listBots(): Promise<BotDetails[]>;
  /**
   * Creates a bot's account, its token and its rooms' memberships (`joined` each) in one
   * transaction. Refused when the login is taken (checked inside the write).
   */
  addBot(
    bot: NewBotRecord,
    now: number,
  ): Promise<{ kind: 'added'; bot: BotDetails; moves: RoomMove[] } | { kind: 'refused'; reason: 'login_taken' }>;
  /** Adds rights and rooms (`joined` each) to a bot in one transaction; undefined when there is no such bot. */
  grantBot(
    userId: number,
    grant: BotGrantRecord,
    now: number,
  ): Promise<{ bot: BotDetails; moves: RoomMove[] } | undefined>;
  /**
   * Replaces a bot's token (the old one stops working at once) AND re-enables its account, in one
   * transaction; undefined when there is no such bot.
   */
  rotateBotToken(userId: number, tokenHash: Buffer, now: number): Promise<BotDetails | undefined>;
  /** Forgets a bot's token AND disables its account, in one transaction; false when there is no such bot. */
  revokeBot(userId: number, now: number): Promise<boolean>;

  /**
   * Creates a webhook with its own bot account (login `hook-N`) in its room (`joined`), in one
   * transaction. Refused when the room is gone.
   */
  addHook(
    hook: NewHookRecord,
    now: number,
  ): Promise<{ kind: 'added'; hook: HookRecord; moves: RoomMove[] } | { kind: 'refused'; reason: 'not_found' }>;
  /** Every webhook, revoked ones too, by id. */
  listHooks(): Promise<HookRecord[]>;
  /** The webhook with this id. */
  findHook(id: number): Promise<HookRecord | undefined>;
  /** The live (not revoked) webhook with this secret hash. */
  findLiveHook(secretHash: Buffer): Promise<HookRecord | undefined>;
  /** Revokes a webhook AND disables its bot account, in one transaction; false when there is no such hook. */
  revokeHook(id: number, now: number): Promise<boolean>;

  /** The announcement with this seq. */
  findAnnouncement(seq: number): Promise<AnnouncementRecord | undefined>;
  /**
   * Records that a member has read an announcement (once; a repeat keeps the first time). The
   * announcement and the membership are checked inside the write.
   */
  confirmAnnouncement(seq: number, userId: number, now: number): Promise<ConfirmOutcome>;
  /**
   * Everyone who must confirm an announcement — the people (not bots, not disabled) who were
   * members of its conversation when it was posted, except its sender — and anyone who confirmed
   * (even if they left or were disabled since), by name.
   */
  announcementRecipients(announcement: AnnouncementRecord): Promise<RecipientRecord[]>;
  /**
   * Up to `limit` announcements the user still has to confirm, oldest first: in conversations they
   * are in, posted since they joined, by someone else.
   */
  pendingAnnouncements(userId: number, limit: number): Promise<Message[]>;

  /** Stores a new embed link, forgetting links that expired before `forgetBefore`, in one transaction. */
  createEmbedLink(link: NewEmbedLink, forgetBefore: number): Promise<void>;
  /**
   * Opens a link and issues its one-time code: only if the link was neither opened nor expired,
   * so a second opening (even a concurrent one) fails. The link's user id, or undefined.
   */
  openEmbedLink(secretHash: Buffer, codeHash: Buffer, now: number, codeExpiresAt: number): Promise<number | undefined>;
  /**
   * Redeems a live one-time code (it is used up whatever follows) into a new `chat`-scoped session
   * of its person, in one transaction; the account is checked inside the write (see {@link RedeemOutcome}).
   */
  redeemEmbedCode(
    codeHash: Buffer,
    session: { tokenHash: Buffer; source: string; now: number },
  ): Promise<RedeemOutcome>;

  /** The room recorded for a branch (by the branch's folded name), archived or not. */
  branchRoomId(branch: string): Promise<number | undefined>;
  /**
   * Puts a person in their branch's room (`joined`), creating the room (hub-owned, named by
   * `namer`) on first use, in one transaction. Nothing for bots, people without a branch or
   * unknown ids.
   */
  joinBranchRoom(userId: number, namer: BranchRoomNamer, now: number): Promise<DirectoryChanges>;
  /**
   * Creates and updates people all or nothing, in ONE transaction: new accounts get
   * `newPasswordHash` unless a write has its own and join the general room; a branch change moves
   * the person between branch rooms (created as {@link joinBranchRoom} does); a new password ends
   * the person's sessions, and so does disabling. Refused, with nothing written, when a login
   * belongs to an administrator or a bot (checked inside the write).
   */
  syncPeople(
    writes: readonly DirectoryWrite[],
    options: { newPasswordHash: string; namer: BranchRoomNamer; now: number },
  ): Promise<SyncOutcome>;
  /**
   * Creates or updates the person linked to an external id, in ONE transaction: found → updated
   * (the login never changes); else `login` names an account without an external id → linked and
   * updated; else created (as {@link syncPeople} creates) under the first free login of `namer`,
   * so two concurrent calls for namesakes get different logins. Refused for an administrator's or
   * a bot's account, and when `login` is linked to another external id.
   */
  syncByExternalId(
    write: ExternalWrite,
    options: { newPasswordHash: string; namer: BranchRoomNamer; loginNamer: LoginNamer; now: number },
  ): Promise<ExternalSyncOutcome>;
  /**
   * Disables a person AND ends their sessions, in one transaction. Refused for an administrator
   * or a bot (checked inside the write) and for an unknown id.
   */
  deactivatePerson(userId: number, now: number): Promise<DeactivateOutcome>;
}
