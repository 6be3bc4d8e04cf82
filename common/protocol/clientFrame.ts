import * as v from 'valibot';
import {
  ChosenStatusSchema,
  FileIdSchema,
  IdSchema,
  MessageActionSchema,
  SeqSchema,
  TimestampSchema,
} from './model.ts';

/** Request id chosen by the client; echoed in the one reply the request gets. */
export const RequestIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

/** Client-chosen message id: the key of exactly-once delivery. */
export const ClientIdSchema = v.pipe(v.string(), v.minLength(8), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));

const Limit = (max: number) => v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(max)));
const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const RoomName = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80));
const Topic = v.pipe(v.string(), v.trim(), v.maxLength(500));
const Query = v.optional(v.pipe(v.string(), v.maxLength(100)));

/**
 * One emoji as a reaction: a single grapheme that is an emoji (with its modifiers, ZWJ sequences
 * and flags), at most 32 UTF-16 units. Letters, digits and text are refused.
 */
export const ReactionEmojiSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(32),
  v.check(isOneEmoji, 'must be one emoji'),
);

/** Whether `text` is exactly one emoji grapheme (a ZWJ sequence, a flag, a keycap, with modifiers). */
export function isOneEmoji(text: string): boolean {
  const graphemes = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)];
  if (graphemes.length !== 1) return false;
  // Every code point is emoji material, and at least one is a picture, a flag letter or a keycap.
  return (
    EMOJI_PARTS.test(text) &&
    /\p{Extended_Pictographic}|\p{Regional_Indicator}{2}|\u20E3/u.test(text) &&
    !/^\p{Regional_Indicator}$/u.test(text)
  );
}

const EMOJI_PARTS =
  /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|[\u200D\uFE0F\u20E3#*0-9]|[\u{E0020}-\u{E007F}])+$/u;

const req = <T extends string, E extends v.ObjectEntries>(type: T, entries: E) =>
  v.object({ type: v.literal(type), id: RequestIdSchema, ...entries });

/** Every frame a client may send. Each is a request and gets exactly one `result` or `error`. */
export const ClientFrameSchema = v.variant('type', [
  /** Messages newer than `since` (a seq) in every conversation the user may see, oldest first. */
  req('sync', { since: SeqSchema, limit: Limit(1000) }),
  /** The user's conversations with unread counts (the same list `hello` carries). */
  req('conversations.list', {}),
  /**
   * A page of one conversation's messages, oldest first: the `limit` newest before `before`
   * (exclusive; the newest when no cursor is given), or the `limit` oldest after `after`
   * (exclusive), or about `limit` around `around` (half older, the message itself, the rest
   * newer: a search result or a link opened deep in history). At most one cursor.
   */
  req('history', {
    conversationId: IdSchema,
    before: v.optional(IdSchema),
    after: v.optional(SeqSchema),
    around: v.optional(IdSchema),
    limit: Limit(200),
  }),
  /**
   * Full-text search over every message the user may read now (current membership; the general
   * room: everyone), newest first. Words match in any form (Russian and English stemming; case
   * and ё/е folded); `"…"` quotes a phrase; a trailing `*` matches a prefix. Filters narrow it.
   * Paging: pass the last hit's seq as `beforeSeq`.
   */
  req('search', {
    query: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
    conversationId: v.optional(IdSchema),
    fromUserId: v.optional(IdSchema),
    /** Sent at or after this time (ms). */
    since: v.optional(TimestampSchema),
    /** Sent before this time (ms). */
    until: v.optional(TimestampSchema),
    /** Only messages carrying files. */
    hasFiles: v.optional(v.boolean()),
    beforeSeq: v.optional(IdSchema),
    limit: Limit(50),
  }),
  /**
   * Post a message. A resend with the same clientId returns the original message. `files` are ids
   * of the sender's own uploads (`POST /api/v1/files`); the text may be empty when there are files.
   */
  req('send', {
    conversationId: IdSchema,
    clientId: ClientIdSchema,
    text: Text(65536),
    files: v.optional(v.pipe(v.array(FileIdSchema), v.maxLength(20))),
    /** The seq of a message of the same conversation this one answers. */
    replyTo: v.optional(IdSchema),
    /**
     * Forward this message (seq, of any conversation the sender can read): the hub copies its
     * text and files and marks it forwarded. `text` must then be empty and `files` absent.
     */
    forward: v.optional(IdSchema),
    /** Buttons (issue 18): bots only (people are refused `forbidden`), at most 5, ids unique. */
    actions: v.optional(v.pipe(v.array(MessageActionSchema), v.maxLength(5))),
  }),
  /** Replace the text of one's own message (within `limits.editWindowMs`). Idempotent by clientId. */
  req('message.edit', { clientId: ClientIdSchema, seq: IdSchema, text: Text(65536) }),
  /**
   * Delete a message: one's own, or any in a room one owns, or any in a room as an administrator.
   * Text, files, reactions and mentions are removed from the hub. Deleting a deleted message is a no-op.
   */
  req('message.delete', { clientId: ClientIdSchema, seq: IdSchema }),
  /** Add (`on: true`) or take back (`on: false`) one's reaction; a no-op when already so. */
  req('message.react', { clientId: ClientIdSchema, seq: IdSchema, emoji: ReactionEmojiSchema, on: v.boolean() }),
  /** Pin or unpin a message (see `Conversation.pinRule`); a no-op when already so. */
  req('message.pin', { clientId: ClientIdSchema, seq: IdSchema, pinned: v.boolean() }),
  /** The pinned messages of a conversation, newest pin first. */
  req('pins.list', { conversationId: IdSchema }),
  /** Move the read marker forward to `seq` (never backward). */
  req('read', { conversationId: IdSchema, seq: SeqSchema }),
  /** The newest seq of a direct message this device has received: ✓ delivered in direct conversations. */
  req('received', { seq: SeqSchema }),
  /**
   * The user's notification level and/or mute of one conversation, stored on the hub for every
   * device. `notify: 'default'` returns to the default; `mutedUntil` 0 unmutes, null mutes until unmuted.
   */
  req('conversations.notify', {
    conversationId: IdSchema,
    notify: v.optional(v.picklist(['all', 'mentions', 'none', 'default'])),
    mutedUntil: v.optional(v.nullable(TimestampSchema)),
  }),
  /** Change the user's own settings (`hello.settings`); `timeZone` is this device's IANA zone, shown on the profile card. */
  req('settings.set', {
    readReceipts: v.optional(v.boolean()),
    timeZone: v.optional(v.pipe(v.string(), v.maxLength(64), v.regex(/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/))),
  }),
  /**
   * A new token for this device's session, with fresh idle and absolute limits; the old token is
   * revoked (this socket keeps working: reconnect with the new token). Apps renew while in use.
   */
  req('session.renew', {}),
  /** "I am typing" — relayed to the other members for a few seconds, never stored. */
  req('typing', { conversationId: IdSchema }),
  /** Choose a status and/or report idleness of this connection. */
  req('presence.set', { status: v.optional(ChosenStatusSchema), idle: v.optional(v.boolean()) }),
  /** Create an open or closed room; the creator owns it. */
  req('rooms.create', {
    name: RoomName,
    kind: v.picklist(['open', 'closed']),
    topic: v.optional(Topic),
    members: v.optional(v.pipe(v.array(IdSchema), v.maxLength(1000))),
  }),
  /** Open rooms (and closed rooms the user is in) matching a query. */
  req('rooms.browse', { query: Query, limit: Limit(200) }),
  req('rooms.join', { conversationId: IdSchema }),
  req('rooms.leave', { conversationId: IdSchema }),
  req('rooms.invite', {
    conversationId: IdSchema,
    userIds: v.pipe(v.array(IdSchema), v.minLength(1), v.maxLength(1000)),
  }),
  req('rooms.remove', { conversationId: IdSchema, userId: IdSchema }),
  req('rooms.update', {
    conversationId: IdSchema,
    name: v.optional(RoomName),
    topic: v.optional(Topic),
    pinRule: v.optional(v.picklist(['members', 'owners'])),
  }),
  req('rooms.transfer', { conversationId: IdSchema, userId: IdSchema }),
  req('rooms.members', { conversationId: IdSchema }),
  /** The one direct conversation with `userId`, created on first use. */
  req('direct.open', { userId: IdSchema }),
  /** The people directory. */
  req('users.search', {
    query: Query,
    limit: Limit(200),
    offset: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  }),
  req('users.get', { ids: v.pipe(v.array(IdSchema), v.minLength(1), v.maxLength(500)) }),
  /** Confirm an announcement (see docs/integrations.md). */
  req('announcements.confirm', { seq: IdSchema }),
  /** The announcements the user still has to confirm, oldest first (clients keep them pinned). */
  req('announcements.pending', {}),
  /**
   * Change one's own password (the current one checked, the new one by the hub's policy: refused
   * `weak_password`); every other session of the account ends. Directory accounts: `forbidden`.
   */
  req('password.change', {
    current: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
    next: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  }),
  /** One's own live sessions: device, address, last use; `current` marks this one. */
  req('sessions.list', {}),
  /** End one of one's own sessions (its sockets close at once). */
  req('sessions.end', { sessionId: IdSchema }),
  /** End every session of one's own but this one ("sign out everywhere else"). */
  req('sessions.endAll', {}),
  /**
   * Runs a console-safe admin command (the web console): full-scope administrators only, refused
   * `forbidden` to anyone else, to embed/chat sessions and for commands the console may not run.
   */
  req('admin', {
    command: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    args: v.optional(v.record(v.string(), v.unknown())),
  }),
  /**
   * Clicks a button (issue 18): the hub calls the posting bot's callback URL and answers
   * `{ outcome: 'updated' }` (the bot changed the message: a message.updated follows for every
   * member), `{ outcome: 'ephemeral', text }` (an answer for the clicking person only) or
   * `{ outcome: 'done' }`; errors `already_clicked`, `refused` (the bot's reason as the message),
   * `bot_unavailable`. Repeating the same clientId never calls the bot twice: the first outcome
   * is answered again.
   */
  req('message.action', {
    conversationId: IdSchema,
    seq: IdSchema,
    actionId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
    clientId: ClientIdSchema,
  }),
  /** The slash commands IT registered: `{ commands: SlashCommand[] }`. */
  req('commands.list', {}),
  /**
   * Runs a slash command in a conversation the caller is in: the hub calls the command's bot and
   * answers `{ visibility: 'caller', text }` (shown to the caller only) or
   * `{ visibility: 'conversation', message }` (the bot posted it to the conversation). Errors as
   * for message.action, and `not_found` for an unknown command.
   */
  req('command.run', {
    conversationId: IdSchema,
    command: v.pipe(v.string(), v.regex(/^\/[\p{L}\p{N}_-]{1,32}$/u)),
    args: v.pipe(v.string(), v.maxLength(2000)),
    clientId: ClientIdSchema,
  }),
]);

/** Every frame a client may send. */
export type ClientFrame = v.InferOutput<typeof ClientFrameSchema>;
/** The `type` of a client frame. */
export type RequestType = ClientFrame['type'];
/** The client frame of one type. */
export type RequestOf<T extends RequestType> = Extract<ClientFrame, { type: T }>;
/** A request's own fields (without `type` and `id`). */
export type ParamsOf<T extends RequestType> = Omit<RequestOf<T>, 'type' | 'id'>;

/** Parses and validates one client frame; returns the issues as one readable line on failure. */
export function parseClientFrame(input: unknown): { ok: true; frame: ClientFrame } | { ok: false; message: string } {
  const result = v.safeParse(ClientFrameSchema, input);
  if (result.success) return { ok: true, frame: result.output };
  return { ok: false, message: describeIssues(result.issues) };
}

/** Turns valibot issues into one line such as `send.text: Invalid length`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path?.map((p) => String(p.key)).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
