import * as v from 'valibot';
import { ChosenStatusSchema, FileIdSchema, IdSchema, SeqSchema } from './model.ts';

/** Request id chosen by the client; echoed in the one reply the request gets. */
export const RequestIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

/** Client-chosen message id: the key of exactly-once delivery. */
export const ClientIdSchema = v.pipe(v.string(), v.minLength(8), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));

const Limit = (max: number) => v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(max)));
const Text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const RoomName = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80));
const Topic = v.pipe(v.string(), v.trim(), v.maxLength(500));
const Query = v.optional(v.pipe(v.string(), v.maxLength(100)));

const req = <T extends string, E extends v.ObjectEntries>(type: T, entries: E) =>
  v.object({ type: v.literal(type), id: RequestIdSchema, ...entries });

/** Every frame a client may send. Each is a request and gets exactly one `result` or `error`. */
export const ClientFrameSchema = v.variant('type', [
  /** Messages newer than `since` (a seq) in every conversation the user may see, oldest first. */
  req('sync', { since: SeqSchema, limit: Limit(1000) }),
  /** The user's conversations with unread counts (the same list `hello` carries). */
  req('conversations.list', {}),
  /** A page of older messages of one conversation: the `limit` newest before `before` (exclusive), oldest first. */
  req('history', { conversationId: IdSchema, before: v.optional(IdSchema), limit: Limit(200) }),
  /**
   * Post a message. A resend with the same clientId returns the original message. `files` are ids
   * of the sender's own uploads (`POST /api/v1/files`); the text may be empty when there are files.
   */
  req('send', {
    conversationId: IdSchema,
    clientId: ClientIdSchema,
    text: Text(65536),
    files: v.optional(v.pipe(v.array(FileIdSchema), v.maxLength(20))),
  }),
  /** Move the read marker forward to `seq` (never backward). */
  req('read', { conversationId: IdSchema, seq: SeqSchema }),
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
  req('rooms.update', { conversationId: IdSchema, name: v.optional(RoomName), topic: v.optional(Topic) }),
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
