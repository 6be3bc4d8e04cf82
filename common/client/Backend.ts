import type {
  ChosenStatus,
  Conversation,
  Member,
  NotifyLevel,
  RoomSummary,
  SearchHit,
  SlashCommand,
  User,
} from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { ParamsOf } from '../protocol/clientFrame.ts';
import type { ClientState, StatePatch } from './ClientState.ts';
import type { SessionInfo } from '../protocol/sessionInfo.ts';
import type { InvitationCheck } from './AccountSelfService.ts';

/** Deployment defaults the app was installed with (desktop) or the hub serves (web). */
export interface Deployment {
  /** Pre-filled hub address (for the sign-in form). */
  hubUrl: string | null;
  branch: string | null;
  /** IT locked the hub address: the sign-in form shows it read-only. */
  hubUrlLocked: boolean;
}

/** A file the user attached in the composer (pasted, dropped or picked). */
export interface OutgoingFile {
  name: string;
  /** The media type the system reported ('' when unknown). */
  type: string;
  /** The file's bytes (plain data: it crosses Electron IPC as is). */
  bytes: Uint8Array;
}

/** A search's query and filters (the hub's `search` request). */
export type SearchParams = ParamsOf<'search'>;

/** What else a message says besides text and files. */
export interface SendOptions {
  /** The seq of a message of the same conversation it answers. */
  replyTo?: number;
}

/** Why sign-in failed, for the form to say so clearly. */
export type SignInErrorCode =
  | 'bad_credentials'
  | 'rate_limited'
  | 'account_disabled'
  | 'unreachable'
  // The hub answered 503: it cannot check passwords now (the directory does not answer, or the
  // hub is shutting down or busy); trying again later helps.
  | 'unavailable'
  | 'bad_request'
  | 'internal'
  // Issue 16 (common/client/AccountSelfService.ts): the password set by IT must be changed first
  // (`changeCode` carries the code to do it with), a password the policy refuses (the message
  // starts with the reason), an invitation or change code that is used, replaced or expired.
  | 'must_change_password'
  | 'weak_password'
  | 'invitation_invalid'
  // Desktop (issue 21): the hub's TLS certificate is not trusted by this computer; the message
  // (in the user's language) names the issuing CA and what IT should do, and the form shows it as is.
  | 'untrusted_certificate';

/** A failed sign-in. */
export interface SignInFailure {
  code: SignInErrorCode;
  message: string;
  retryAfterMs?: number;
  /** With `must_change_password`: the code for {@link Backend.setInitialPassword}. */
  changeCode?: string;
}

/**
 * The one interface the renderer talks to. Two implementations: in-page (web: the client core
 * runs in the page) and the IPC bridge (desktop: the client core runs in Electron's main process).
 * Every method is async because the desktop one crosses IPC; every argument and result is plain
 * serialisable data.
 */
export interface Backend {
  /** The full current state, to start from; then apply patches from {@link Backend.subscribe}. */
  getState(): Promise<ClientState>;
  subscribe(listener: (patch: StatePatch) => void): () => void;
  deployment(): Promise<Deployment>;

  signIn(hubUrl: string, login: string, password: string): Promise<{ ok: true } | { ok: false; error: SignInFailure }>;
  signOut(): Promise<void>;

  /**
   * Queue a message: it shows at once as pending and is sent (exactly once) when connected. Its
   * files are kept with it (web: IndexedDB, desktop: the app's own folder) and uploaded first;
   * `discard` cancels an upload in progress, `retry` restarts a failed one.
   */
  send(conversationId: number, text: string, files?: OutgoingFile[], options?: SendOptions): Promise<void>;
  /** Forward a message (with its files) to another conversation the user is in; queued like a send. */
  forward(fromConversationId: number, seq: number, toConversationId: number): Promise<void>;
  /**
   * Change the text of one's own message. Shown at once (`MessageView.pendingChange`), sent through
   * the outbox exactly once, undone with `changeError` set if the hub refuses it.
   */
  editMessage(conversationId: number, seq: number, text: string): Promise<void>;
  /** Delete a message (one's own; any in a room one owns or as an administrator); queued like an edit. */
  deleteMessage(conversationId: number, seq: number): Promise<void>;
  /** Add or take back one's reaction; queued like an edit. */
  react(conversationId: number, seq: number, emoji: string, on: boolean): Promise<void>;
  /** Pin or unpin a message; queued like an edit. */
  pin(conversationId: number, seq: number, pinned: boolean): Promise<void>;
  /** Loads the conversation's pinned messages into `ClientState.pins` (kept current by updates after that). */
  loadPins(conversationId: number): Promise<void>;
  /**
   * Makes the message with this seq part of the conversation's loaded window, loading older
   * history as needed (a reply's quote, a message link). False when the hub has no such message
   * the user can see.
   */
  showMessage(conversationId: number, seq: number): Promise<boolean>;
  /** Clears `changeError` of a message (the user saw it). */
  dismissChangeError(conversationId: number, seq: number): Promise<void>;
  /** Full-text search over what the user may read (the hub's `search`). */
  search(params: SearchParams): Promise<{ hits: SearchHit[]; more: boolean }>;
  /** Loads the next newer page of a window opened around an older message (`MessageWindow.hasNewer`). */
  loadNewer(conversationId: number): Promise<void>;
  /** Replaces a window opened around an older message by the newest page (the «↓» button). */
  jumpToLatest(conversationId: number): Promise<void>;
  /**
   * The user has seen the conversation's messages up to `seq` (scrolled past or on screen for a
   * moment): the read marker moves there, never back, never past what the window holds. Only
   * what was seen is marked read — opening a conversation with a backlog marks nothing by itself.
   */
  markSeen(conversationId: number, seq: number): Promise<void>;
  /** The user's notification level and/or mute of a conversation, stored on the hub (see `conversations.notify`). */
  setNotify(
    conversationId: number,
    change: { notify?: NotifyLevel | 'default'; mutedUntil?: number | null },
  ): Promise<void>;
  /** Switches the user's read receipts (both ways) on or off, on every device. */
  setReadReceipts(on: boolean): Promise<void>;
  /** Keeps the composer's unsent text of a conversation ('' removes it); survives reloads and restarts. */
  saveDraft(conversationId: number, text: string): Promise<void>;
  retry(clientId: string): Promise<void>;
  discard(clientId: string): Promise<void>;
  loadOlder(conversationId: number): Promise<void>;
  /** The conversation on screen (null: none); read markers move only while it is also visible. */
  setActiveConversation(conversationId: number | null): Promise<void>;
  /** Whether the UI is actually visible to the user (window focused/shown, tab visible). */
  setVisible(visible: boolean): Promise<void>;
  typing(conversationId: number): Promise<void>;
  setStatus(status: ChosenStatus): Promise<void>;

  createRoom(input: {
    name: string;
    kind: 'open' | 'closed';
    topic?: string;
    members?: number[];
  }): Promise<Conversation>;
  browseRooms(query: string): Promise<RoomSummary[]>;
  joinRoom(conversationId: number): Promise<Conversation>;
  leaveRoom(conversationId: number): Promise<void>;
  invite(conversationId: number, userIds: number[]): Promise<void>;
  removeMember(conversationId: number, userId: number): Promise<void>;
  updateRoom(
    conversationId: number,
    change: { name?: string; topic?: string; pinRule?: 'members' | 'owners' },
  ): Promise<void>;
  transferOwnership(conversationId: number, userId: number): Promise<void>;
  members(conversationId: number): Promise<Member[]>;
  openDirect(userId: number): Promise<Conversation>;
  searchUsers(query: string): Promise<User[]>;
  confirmAnnouncement(seq: number): Promise<void>;
  // ---- onboarding and self-service (issue 16, I2: common/client/AccountSelfService.ts) ----
  /** Whose an invitation is, or why it cannot be used (signed out; the hub at `hubUrl`). */
  checkInvitation(hubUrl: string, code: string): Promise<InvitationCheck>;
  /** Sets one's own password with an invitation's code; signed in on success. */
  redeemInvitation(
    hubUrl: string,
    code: string,
    password: string,
  ): Promise<{ ok: true } | { ok: false; error: SignInFailure }>;
  /** The forced change after signing in with a password IT set (`must_change_password`'s `changeCode`). */
  setInitialPassword(
    hubUrl: string,
    changeCode: string,
    password: string,
  ): Promise<{ ok: true } | { ok: false; error: SignInFailure }>;
  /** Changes one's password (rejects with the hub's error: `bad_credentials`, `weak_password`, `forbidden`). */
  changePassword(current: string, next: string): Promise<{ endedSessions: number }>;
  /** One's own live sessions. */
  listSessions(): Promise<SessionInfo[]>;
  endSession(sessionId: number): Promise<void>;
  /** Ends every other session of one's own; how many. */
  endOtherSessions(): Promise<number>;
  // ---- end of onboarding and self-service ----
  // ---- buttons and slash commands (issue 18, K3: common/client/BotRequests.ts) ----
  /**
   * Clicks a message's button: the hub asks the bot. One client id per call, reused on its
   * retries, so the action never runs twice. Rejects with `already_clicked`, `refused` (the
   * bot's reason as the message), `bot_unavailable`.
   */
  messageAction(conversationId: number, seq: number, actionId: string): Promise<ResultMap['message.action']>;
  /** The slash commands IT registered (the composer's «/» list). */
  commandsList(): Promise<SlashCommand[]>;
  /** Runs `/command args` in a conversation: an answer for the caller only, or the bot's posted message. */
  runCommand(conversationId: number, command: string, args: string): Promise<ResultMap['command.run']>;
  // ---- end of buttons and slash commands ----
  /** Runs a console-safe admin command on the hub (administrators only; the hub's `admin` request). */
  admin(command: string, args?: Record<string, unknown>): Promise<unknown>;

  /** Open an http(s)/mailto link outside the app (desktop: the system browser). */
  openExternal(url: string): Promise<void>;
  /**
   * Save a file of a message (`FileRef.id`) to the user's disk, offered under `name`. The host
   * does it (web: the browser's download of the hub's address; desktop: the main process downloads
   * it with the session's token, the user picking the place), so {@link ChatClient} leaves it out.
   */
  saveFile(fileId: string, name: string): Promise<void>;
  /**
   * The image on the system clipboard as PNG bytes, for a paste whose event carried no file (some
   * programs put only a bitmap there, which Chromium does not hand to the page). The desktop's
   * main process reads it; the web answers null (a page cannot read the clipboard unasked).
   */
  clipboardImage(): Promise<Uint8Array | null>;
}

/** The names of the Backend's methods, for the IPC bridge's allowlist. */
export const backendMethods = [
  'getState',
  'deployment',
  'signIn',
  'signOut',
  'send',
  'forward',
  'editMessage',
  'deleteMessage',
  'react',
  'pin',
  'loadPins',
  'showMessage',
  'dismissChangeError',
  'search',
  'loadNewer',
  'jumpToLatest',
  'markSeen',
  'setNotify',
  'setReadReceipts',
  'saveDraft',
  'retry',
  'discard',
  'loadOlder',
  'setActiveConversation',
  'setVisible',
  'typing',
  'setStatus',
  'createRoom',
  'browseRooms',
  'joinRoom',
  'leaveRoom',
  'invite',
  'removeMember',
  'updateRoom',
  'transferOwnership',
  'members',
  'openDirect',
  'searchUsers',
  'confirmAnnouncement',
  'checkInvitation',
  'redeemInvitation',
  'setInitialPassword',
  'changePassword',
  'listSessions',
  'endSession',
  'endOtherSessions',
  'messageAction',
  'commandsList',
  'runCommand',
  'admin',
  'openExternal',
  'saveFile',
  'clipboardImage',
] as const satisfies readonly Exclude<keyof Backend, 'subscribe'>[];

/** One Backend method name. */
export type BackendMethod = (typeof backendMethods)[number];
