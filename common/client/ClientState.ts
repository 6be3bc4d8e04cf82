import type { Conversation, Limits, Message, User, UserSettings } from '../protocol/model.ts';
import type { ErrorCode } from '../protocol/errors.ts';

/** How the client stands with its hub. */
export type ConnectionState = 'connected' | 'connecting' | 'offline' | 'signed-out';

/** A message as the UI shows it: stored (`sent`), waiting in the outbox (`pending`) or refused (`failed`). */
export interface MessageView extends Omit<Message, 'seq'> {
  /** 0 while pending or failed (the hub has not assigned one). */
  seq: number;
  status: 'sent' | 'pending' | 'failed';
  /** Why the hub refused it (failed only). */
  error?: { code: ErrorCode | string; message: string };
  /** Files of a pending or failed message, with upload progress (sent messages carry `files`). */
  uploads?: UploadView[];
  /**
   * A change the user made to this (sent) message that the hub has not acknowledged yet; the
   * view already shows its effect (new text, placeholder, reaction, pin).
   */
  pendingChange?: 'edit' | 'delete' | 'react' | 'pin';
  /** The hub refused the user's last change to this message (the view shows the hub's state again). */
  changeError?: { kind: 'edit' | 'delete' | 'react' | 'pin'; code: ErrorCode | string; message: string };
}

/** One file of a message the hub has not stored yet, as the composer's sent bubble shows it. */
export interface UploadView {
  name: string;
  size: number;
  /** The media type the user's system reported. */
  type: string;
  /** Bytes the hub has received so far (equals `size` once uploaded). */
  loaded: number;
}

/** The loaded part of one conversation's history, oldest first. Bounded: older parts are dropped. */
export interface MessageWindow {
  items: MessageView[];
  /** The hub has older messages than the first item. */
  hasOlder: boolean;
  loadingOlder: boolean;
  /**
   * The window was opened around an older message (a search result, a link, a reply's original)
   * and the hub has newer messages than its last item: live messages are not appended until
   * {@link Backend.loadNewer} reaches the newest (or {@link Backend.jumpToLatest}).
   */
  hasNewer?: boolean;
  loadingNewer?: boolean;
}

/**
 * Everything a UI needs, as one plain serialisable value (it crosses Electron IPC as is).
 * Built only by the client core; UIs read it and call {@link Backend} actions.
 */
export interface ClientState {
  connection: ConnectionState;
  /** Why the last connection attempt failed, for the UI to show (null when fine). */
  connectionError: string | null;
  hubUrl: string | null;
  /**
   * The session's read-only download key from `hello` (null before the first hello): file URLs are
   * `hubUrl` + `filePath(id, variant, fileKey)` (common/protocol/fileUrls.ts).
   */
  fileKey: string | null;
  /** What the hub's last hello allows (file size, files per message…), for the UI to check before sending; null before it. */
  limits: Limits | null;
  me: User | null;
  /** The user's conversations, keyed by id. */
  conversations: Record<number, Conversation>;
  /** Users the client knows (members, senders, directory results), with live presence. */
  users: Record<number, User>;
  /** Loaded message windows per conversation id. */
  messages: Record<number, MessageWindow>;
  /** Users typing now, per conversation id. */
  typing: Record<number, number[]>;
  /** The conversation the user is looking at, if any. */
  activeConversationId: number | null;
  /** Sum of unread over all conversations. */
  totalUnread: number;
  /** Sum of mentions (and direct messages) over all conversations. */
  totalMentions: number;
  /** Announcements the user still has to confirm, by seq: the UI keeps them pinned until confirmed. */
  announcements: Record<number, Message>;
  /**
   * Pinned messages per conversation id, newest pin first: present once `Backend.loadPins` loaded
   * them, then kept current by pin, edit and delete updates.
   */
  pins: Record<number, Message[]>;
  /** Unsent composer text per conversation id (kept across reloads and restarts; empty drafts are removed). */
  drafts: Record<number, string>;
  /** The user's own settings from the hub (null before the first hello). */
  settings: UserSettings | null;
}

/**
 * A change to the state: the top-level keys that changed, with their new values. For `messages`,
 * `users`, `conversations` and `typing` only the changed entries are included (merge them);
 * a `null` entry means "removed".
 */
export interface StatePatch {
  connection?: ConnectionState;
  connectionError?: string | null;
  hubUrl?: string | null;
  fileKey?: string | null;
  limits?: Limits | null;
  me?: User | null;
  conversations?: Record<number, Conversation | null>;
  users?: Record<number, User | null>;
  messages?: Record<number, MessageWindow | null>;
  typing?: Record<number, number[] | null>;
  activeConversationId?: number | null;
  totalUnread?: number;
  totalMentions?: number;
  announcements?: Record<number, Message | null>;
  pins?: Record<number, Message[] | null>;
  drafts?: Record<number, string | null>;
  settings?: UserSettings | null;
  /** The state was rebuilt (sign-in, sign-out): drop everything not in this patch. */
  reset?: boolean;
}

/** The state before sign-in. */
export function emptyClientState(): ClientState {
  return {
    connection: 'signed-out',
    connectionError: null,
    hubUrl: null,
    fileKey: null,
    limits: null,
    me: null,
    conversations: {},
    users: {},
    messages: {},
    typing: {},
    activeConversationId: null,
    totalUnread: 0,
    totalMentions: 0,
    announcements: {},
    pins: {},
    drafts: {},
    settings: null,
  };
}

/** Applies a patch to a state, returning a new state (the input is not changed). */
export function applyPatch(state: ClientState, patch: StatePatch): ClientState {
  const base = patch.reset ? emptyClientState() : state;
  const next: ClientState = { ...base };
  for (const key of [
    'connection',
    'connectionError',
    'hubUrl',
    'fileKey',
    'limits',
    'me',
    'activeConversationId',
    'totalUnread',
    'totalMentions',
    'settings',
  ] as const) {
    if (key in patch) (next as unknown as Record<string, unknown>)[key] = patch[key];
  }
  next.conversations = mergeRecord(base.conversations, patch.conversations);
  next.users = mergeRecord(base.users, patch.users);
  next.messages = mergeRecord(base.messages, patch.messages);
  next.typing = mergeRecord(base.typing, patch.typing);
  next.announcements = mergeRecord(base.announcements, patch.announcements);
  next.pins = mergeRecord(base.pins, patch.pins);
  next.drafts = mergeRecord(base.drafts, patch.drafts);
  return next;
}

function mergeRecord<T>(base: Record<number, T>, changes: Record<number, T | null> | undefined): Record<number, T> {
  if (!changes) return base;
  const out: Record<number, T> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete out[Number(key)];
    else out[Number(key)] = value;
  }
  return out;
}
