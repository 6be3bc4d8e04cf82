import * as v from 'valibot';
import {
  ConversationSchema,
  IdSchema,
  LimitsSchema,
  MessageSchema,
  MessageUpdateSchema,
  PresenceStatusSchema,
  UserSettingsSchema,
  SeqSchema,
  TimestampSchema,
  UserSchema,
} from './model.ts';
import type {
  Conversation,
  Member,
  Message,
  MessageUpdate,
  PresenceStatus,
  RoomSummary,
  SearchHit,
  SlashCommand,
  User,
  UserSettings,
} from './model.ts';
import type { SessionInfo } from './sessionInfo.ts';

/** Results of each request type, keyed by the request's `type`. */
export interface ResultMap {
  /** Messages and updates with seq > `since`, each oldest first; `limit` counts both together. */
  sync: { messages: Message[]; updates: MessageUpdate[]; more: boolean };
  'conversations.list': { conversations: Conversation[] };
  /** `more`: older messages exist before the first; `newer`: newer ones exist after the last (only for `after`/`around`; false otherwise). */
  history: { messages: Message[]; more: boolean; newer: boolean };
  search: { hits: SearchHit[]; more: boolean };
  received: Record<string, never>;
  'conversations.notify': { conversation: Conversation };
  'settings.set': { settings: UserSettings; me: User };
  /** The new session token (the old one is revoked) and when the new session ends unless used or renewed. */
  'session.renew': { token: string; expiresAt: number };
  send: { message: Message };
  'message.edit': { message: Message };
  'message.delete': { message: Message };
  'message.react': { message: Message };
  'message.pin': { message: Message };
  'pins.list': { messages: Message[] };
  read: { readSeq: number };
  typing: Record<string, never>;
  'presence.set': { status: PresenceStatus };
  'rooms.create': { conversation: Conversation };
  'rooms.browse': { rooms: RoomSummary[] };
  'rooms.join': { conversation: Conversation };
  'rooms.leave': Record<string, never>;
  'rooms.invite': { added: number[] };
  'rooms.remove': Record<string, never>;
  'rooms.update': { conversation: Conversation };
  'rooms.transfer': Record<string, never>;
  'rooms.members': { members: Member[] };
  'direct.open': { conversation: Conversation };
  'users.search': { users: User[] };
  'users.get': { users: User[] };
  'announcements.confirm': Record<string, never>;
  'announcements.pending': { messages: Message[] };
  /** How many other sessions the change ended. */
  'password.change': { endedSessions: number };
  'sessions.list': { sessions: SessionInfo[] };
  'sessions.end': Record<string, never>;
  'sessions.endAll': { ended: number };
  /** The admin command's own result (see hub/admin/adminCommands.ts). */
  admin: { result: unknown };
  /** What came of a button click (issue 18). */
  'message.action': { outcome: 'updated' | 'done' } | { outcome: 'ephemeral'; text: string };
  'commands.list': { commands: SlashCommand[] };
  /** A command's answer: for the caller only, or a message the bot posted to the conversation. */
  'command.run': { visibility: 'caller'; text: string } | { visibility: 'conversation'; message: Message };
}

/** Every frame the hub sends. */
export const ServerFrameSchema = v.variant('type', [
  /** First frame on every connection. */
  v.object({
    type: v.literal('hello'),
    protocol: v.number(),
    hub: v.object({ name: v.string(), version: v.string() }),
    me: UserSchema,
    conversations: v.array(ConversationSchema),
    /** The newest seq on the hub when this hello was built. */
    lastSeq: SeqSchema,
    limits: LimitsSchema,
    /**
     * A read-only key for this session's file downloads (`?key=` on `/api/v1/files/…`), so an
     * `<img>` can load a preview without the session token in its URL. It grants nothing but
     * downloads, each checked against what the user may see now; it dies with the session.
     */
    fileKey: v.string(),
    /** The user's own settings. */
    settings: UserSettingsSchema,
    /**
     * `expiresAt`: when this session ends unless it is used again or renewed (`session.renew`);
     * the earlier of its idle and absolute limits. `renewAfter`: from when an app in use should
     * renew it. `now`: the hub's clock, so clients plan by differences whatever their own clock
     * says. Absent from hubs older than issue 16.
     */
    session: v.optional(
      v.object({
        expiresAt: TimestampSchema,
        renewAfter: v.optional(TimestampSchema),
        now: v.optional(TimestampSchema),
      }),
    ),
  }),
  /** The one successful reply to the request with this id. */
  v.object({ type: v.literal('result'), id: v.string(), result: v.record(v.string(), v.unknown()) }),
  /** The one failed reply to the request with this id; `id` is null when the frame had no usable id. */
  v.object({
    type: v.literal('error'),
    id: v.nullable(v.string()),
    code: v.string(),
    message: v.string(),
    retryAfterMs: v.optional(v.number()),
  }),
  /** A new message in a conversation the user is in (including the user's own, from other devices). */
  v.object({ type: v.literal('message'), message: MessageSchema }),
  /** A message the user can see was edited, deleted, reacted to, pinned or unpinned. */
  v.object({ type: v.literal('message.updated'), update: MessageUpdateSchema }),
  /** A conversation the user is in was created, joined, renamed or changed. */
  v.object({ type: v.literal('conversation'), conversation: ConversationSchema }),
  /** The user is no longer in this conversation. */
  v.object({
    type: v.literal('conversation.removed'),
    conversationId: IdSchema,
    reason: v.picklist(['left', 'removed']),
  }),
  /** The user's read state of a conversation changed (e.g. read on another device). */
  v.object({
    type: v.literal('unread'),
    conversationId: IdSchema,
    readSeq: SeqSchema,
    unread: v.number(),
    mentions: v.number(),
  }),
  /** A user's presence changed. */
  v.object({
    type: v.literal('presence'),
    userId: IdSchema,
    status: PresenceStatusSchema,
    lastSeen: v.nullable(TimestampSchema),
  }),
  /** Several users' presence changed (the hub gathers changes for a moment when many happen at once). */
  v.object({
    type: v.literal('presence.batch'),
    updates: v.array(
      v.object({ userId: IdSchema, status: PresenceStatusSchema, lastSeen: v.nullable(TimestampSchema) }),
    ),
  }),
  /** A member is typing in a conversation (lasts about 5 s unless repeated). */
  v.object({ type: v.literal('typing'), conversationId: IdSchema, userId: IdSchema }),
  /** Members were added to or removed from a conversation the user is in. */
  v.object({
    type: v.literal('members'),
    conversationId: IdSchema,
    added: v.array(IdSchema),
    removed: v.array(IdSchema),
  }),
  /**
   * Direct conversations: the other person read or received more (✓✓ / ✓). Not in the sequence:
   * the conversation list carries the current values after a reconnect.
   */
  v.object({
    type: v.literal('receipt'),
    conversationId: IdSchema,
    peerReadSeq: v.optional(SeqSchema),
    peerReceivedSeq: v.optional(SeqSchema),
  }),
  /** The user's settings changed (on this or another device). */
  v.object({ type: v.literal('settings'), settings: UserSettingsSchema }),
  /** The user confirmed an announcement (on this or another device): it is no longer pinned. */
  v.object({ type: v.literal('announcement.confirmed'), seq: IdSchema }),
]);

/** Every frame the hub sends. */
export type ServerFrame = v.InferOutput<typeof ServerFrameSchema>;
/** A hub frame of one type. */
export type ServerFrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

/** Parses and validates one hub frame. */
export function parseServerFrame(input: unknown): ServerFrame | undefined {
  const result = v.safeParse(ServerFrameSchema, input);
  return result.success ? result.output : undefined;
}
