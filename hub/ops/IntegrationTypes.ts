/** A bot (integration identity) as the admin CLI lists it. Its token is never shown again. */
export interface BotInfo {
  id: number;
  login: string;
  name: string;
  /** The rooms it was given (it is a member of them). */
  rooms: { id: number; name: string }[];
  /** May create one-time embed links that sign people in to the web client. */
  canEmbed: boolean;
  /** May create, change and disable people (directory sync: `PUT /api/v1/users/{login}`). */
  canManageUsers: boolean;
  /** Whether its token works (false after `bot revoke`). */
  active: boolean;
  createdAt: number;
  tokenIssuedAt: number | null;
  /** Where the hub calls it with messages, clicks and commands (issue 18), or null. */
  callbackUrl: string | null;
}

/** What `bot add` takes. */
export interface NewBot {
  login: string;
  name?: string;
  /** Room names (the general room by its name or as `all`): the bot becomes a member. */
  rooms?: string[];
  canEmbed?: boolean;
  canManageUsers?: boolean;
}

/** What `bot grant` adds to a bot (rooms and rights are only ever added). */
export interface BotGrant {
  rooms?: string[];
  canEmbed?: boolean;
  canManageUsers?: boolean;
}

/** An incoming webhook as the admin CLI lists it. Its secret URL is never shown again. */
export interface HookInfo {
  id: number;
  name: string;
  /** The bot account its posts appear as. */
  botLogin: string;
  roomId: number;
  roomName: string;
  allowChannelOverride: boolean;
  createdAt: number;
  revoked: boolean;
}

/** Where an integration posts: `@login` (direct conversation), `#room` (by name) or a conversation id. */
export type PostTarget = string | number;

/** A message an integration posts through the HTTP API. */
export interface PostInput {
  to: PostTarget;
  text: string;
  /** Makes a resend return the original (8–64 of A-Z a-z 0-9 _ -); generated when absent. */
  clientId?: string;
  /** Slack-style (snake_case) or Beseda (camelCase) cards; the hub keeps only what it can show safely. */
  attachments?: unknown;
  displayName?: string;
  /** Ids of the caller's own uploads, attached like `send.files`. */
  files?: string[];
  /** Slack Block Kit blocks; the hub keeps the subset it can show (common/protocol/model.ts, BlockSchema). */
  blocks?: unknown;
  /** Buttons (issue 18; bots only): MessageAction[], at most 5, ids unique. */
  actions?: unknown;
  /**
   * With `clientId`: if this bot already posted a message under it, that message is edited to
   * this text, attachments and blocks (files cannot change) instead of being answered as it is.
   */
  replace?: boolean;
}

/**
 * An announcement: to `all` (the general room), `branch:NAME` (that branch's room), `#room` or a
 * conversation id. Every member must confirm it.
 */
export interface AnnounceInput {
  to: PostTarget;
  text: string;
  clientId?: string;
  /** As in {@link PostInput}. */
  attachments?: unknown;
}

/** One recipient in an announcement's confirmation report. */
export interface Recipient {
  userId: number;
  login: string;
  name: string;
}

/** Who has and who has not confirmed an announcement. */
export interface AnnouncementStatus {
  seq: number;
  conversationId: number;
  senderId: number;
  ts: number;
  confirmed: (Recipient & { at: number })[];
  pending: Recipient[];
}

/** One person as the organisation's directory (1C, a CSV file) describes them. */
export interface DirectoryEntry {
  login: string;
  name: string;
  /** Branch office or department: puts the person in that branch's room. */
  branch?: string | null;
  email?: string | null;
  /** Job title, shown on the profile card. */
  position?: string | null;
  /** Work phone, shown on the profile card (a tel: link). */
  phone?: string | null;
  /** false disables the account (closing its connections); default true. */
  active?: boolean;
  /** Sets the password (ending the person's sessions) unless it is the current one. */
  password?: string;
}

/**
 * One person addressed by their external id (`PUT /api/v1/users/by-external-id/{id}`): the
 * directory fields, and `login` only to link an existing account that has no external id yet.
 */
export type ExternalEntry = Omit<DirectoryEntry, 'login'> & { externalId: string; login?: string };

/** What `user import` did, or why it did nothing. */
export type ImportReport =
  | { ok: true; created: number; updated: number; unchanged: number }
  | { ok: false; errors: { line: number; reason: string }[] };
