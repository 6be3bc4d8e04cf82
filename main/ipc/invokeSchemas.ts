import * as v from 'valibot';
import type { BackendMethod } from '../../common/client/Backend.ts';
import { ReactionEmojiSchema } from '../../common/protocol/clientFrame.ts';
import { ChosenStatusSchema, FileIdSchema, IdSchema, TimestampSchema } from '../../common/protocol/model.ts';

const Id = IdSchema;
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const name = v.pipe(v.string(), v.minLength(1), v.maxLength(80));
const topic = text(500);
const clientId = v.pipe(v.string(), v.minLength(1), v.maxLength(64), v.regex(/^[A-Za-z0-9_-]+$/));
const idList = v.pipe(v.array(Id), v.minLength(1), v.maxLength(1000));
/** A file attached in the composer (`OutgoingFile`): its bytes arrive as a Uint8Array (structured clone). */
const outgoingFile = v.strictObject({
  name: v.pipe(v.string(), v.maxLength(1024)),
  type: text(255),
  bytes: v.instance(Uint8Array),
});

/**
 * The argument list each Backend method accepts from the renderer. Strict tuples and objects: an
 * extra argument or property is refused, not ignored. The renderer is treated as untrusted (a
 * compromised page must not be able to feed the main process anything the UI would not).
 */
export const invokeSchemas = {
  getState: v.strictTuple([]),
  deployment: v.strictTuple([]),
  signIn: v.strictTuple([
    text(2048),
    v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  ]),
  signOut: v.strictTuple([]),
  // Text alone, or text (which may then be empty) with 1-20 files; the hub's limits are the core's check.
  // A reply adds its options (the files may then be absent or empty).
  send: v.union([
    v.strictTuple([Id, v.pipe(v.string(), v.minLength(1), v.maxLength(65536))]),
    v.strictTuple([Id, text(65536), v.pipe(v.array(outgoingFile), v.minLength(1), v.maxLength(20))]),
    v.strictTuple([
      Id,
      text(65536),
      v.optional(v.pipe(v.array(outgoingFile), v.maxLength(20))),
      v.strictObject({ replyTo: v.optional(Id) }),
    ]),
  ]),
  // Messages by conversation and seq (a pending message has none: it cannot be changed yet).
  forward: v.strictTuple([Id, Id, Id]),
  editMessage: v.strictTuple([Id, Id, text(65536)]),
  deleteMessage: v.strictTuple([Id, Id]),
  react: v.strictTuple([Id, Id, ReactionEmojiSchema, v.boolean()]),
  pin: v.strictTuple([Id, Id, v.boolean()]),
  loadPins: v.strictTuple([Id]),
  showMessage: v.strictTuple([Id, Id]),
  // ---- search, windows around a message (S2) ----
  search: v.strictTuple([
    v.strictObject({
      query: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
      conversationId: v.optional(Id),
      fromUserId: v.optional(Id),
      since: v.optional(TimestampSchema),
      until: v.optional(TimestampSchema),
      hasFiles: v.optional(v.boolean()),
      beforeSeq: v.optional(Id),
      limit: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(50))),
    }),
  ]),
  loadNewer: v.strictTuple([Id]),
  jumpToLatest: v.strictTuple([Id]),
  // ---- end of search (S2) ----
  // The newest message seen (the read marker moves there).
  markSeen: v.strictTuple([Id, Id]),
  dismissChangeError: v.strictTuple([Id, Id]),
  retry: v.strictTuple([clientId]),
  discard: v.strictTuple([clientId]),
  loadOlder: v.strictTuple([Id]),
  setActiveConversation: v.strictTuple([v.nullable(Id)]),
  setVisible: v.strictTuple([v.boolean()]),
  // The conversation's notification level and/or mute, stored on the hub (0 unmutes, null: until unmuted).
  setNotify: v.strictTuple([
    Id,
    v.strictObject({
      notify: v.optional(v.picklist(['all', 'mentions', 'none', 'default'])),
      mutedUntil: v.optional(v.nullable(TimestampSchema)),
    }),
  ]),
  typing: v.strictTuple([Id]),
  setStatus: v.strictTuple([ChosenStatusSchema]),
  createRoom: v.strictTuple([
    v.strictObject({
      name,
      kind: v.picklist(['open', 'closed']),
      topic: v.optional(topic),
      members: v.optional(v.pipe(v.array(Id), v.maxLength(1000))),
    }),
  ]),
  browseRooms: v.strictTuple([text(100)]),
  joinRoom: v.strictTuple([Id]),
  leaveRoom: v.strictTuple([Id]),
  invite: v.strictTuple([Id, idList]),
  removeMember: v.strictTuple([Id, Id]),
  updateRoom: v.strictTuple([
    Id,
    v.strictObject({
      name: v.optional(name),
      topic: v.optional(topic),
      pinRule: v.optional(v.picklist(['members', 'owners'])),
    }),
  ]),
  transferOwnership: v.strictTuple([Id, Id]),
  members: v.strictTuple([Id]),
  openDirect: v.strictTuple([Id]),
  searchUsers: v.strictTuple([text(100)]),
  // ---- read receipts, drafts (S6) ----
  setReadReceipts: v.strictTuple([v.boolean()]),
  // A composer's unsent text: as long as a message may be, with room for what is still to be cut.
  saveDraft: v.strictTuple([Id, text(100_000)]),
  // ---- end of read receipts, drafts (S6) ----
  confirmAnnouncement: v.strictTuple([Id]),
  // ---- onboarding and self-service (issue 16, I2) ----
  checkInvitation: v.strictTuple([text(2048), v.pipe(v.string(), v.minLength(1), v.maxLength(100))]),
  redeemInvitation: v.strictTuple([
    text(2048),
    v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
    v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  ]),
  setInitialPassword: v.strictTuple([
    text(2048),
    v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
    v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  ]),
  changePassword: v.strictTuple([
    v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
    v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
  ]),
  listSessions: v.strictTuple([]),
  endSession: v.strictTuple([Id]),
  endOtherSessions: v.strictTuple([]),
  // ---- end of onboarding and self-service ----
  // ---- buttons and slash commands (issue 18, K3): the hub checks the rest ----
  messageAction: v.strictTuple([Id, Id, v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/))]),
  commandsList: v.strictTuple([]),
  runCommand: v.strictTuple([Id, v.pipe(v.string(), v.regex(/^\/[\p{L}\p{N}_-]{1,32}$/u)), text(2000)]),
  // ---- end of buttons and slash commands ----
  // The admin console: the hub checks the caller, the command and its arguments.
  admin: v.union([
    v.strictTuple([v.pipe(v.string(), v.minLength(1), v.maxLength(64))]),
    v.strictTuple([v.pipe(v.string(), v.minLength(1), v.maxLength(64)), v.record(v.string(), v.unknown())]),
  ]),
  openExternal: v.strictTuple([text(8192)]),
  // A file of a message by its id (never an address: the main process builds that) and its name.
  saveFile: v.strictTuple([FileIdSchema, v.pipe(v.string(), v.minLength(1), v.maxLength(1024))]),
  clipboardImage: v.strictTuple([]),
} satisfies Record<BackendMethod, v.GenericSchema>;
