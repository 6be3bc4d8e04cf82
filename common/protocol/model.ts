import * as v from 'valibot';

/** A positive integer id (users, conversations, message sequence numbers). */
export const IdSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

/** A sequence number or read marker: 0 means "nothing yet". */
export const SeqSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** Milliseconds since the Unix epoch. */
export const TimestampSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** A user's presence as other users see it. */
export const PresenceStatusSchema = v.picklist(['online', 'away', 'dnd', 'offline']);
/** One of `online`, `away`, `dnd`, `offline`. */
export type PresenceStatus = v.InferOutput<typeof PresenceStatusSchema>;

/** The status a user can choose for themselves. */
export const ChosenStatusSchema = v.picklist(['online', 'away', 'dnd']);
/** One of `online`, `away`, `dnd`. */
export type ChosenStatus = v.InferOutput<typeof ChosenStatusSchema>;

/** A user as every signed-in user may see them. */
export const UserSchema = v.object({
  id: IdSchema,
  login: v.string(),
  name: v.string(),
  /** Branch office or department, if the directory has one. */
  branch: v.nullable(v.string()),
  isBot: v.boolean(),
  isAdmin: v.boolean(),
  /** Disabled users stay resolvable (their old messages still need a name). */
  disabled: v.boolean(),
  presence: PresenceStatusSchema,
  /** When the user was last connected; null if never. */
  lastSeen: v.nullable(TimestampSchema),
  /** Job title, from the directory (CSV import, `PUT /api/v1/users`, LDAP). */
  position: v.optional(v.string()),
  /** Work phone, from the directory. */
  phone: v.optional(v.string()),
  /** Work e-mail, from the directory. */
  email: v.optional(v.string()),
  /** The IANA time zone the user's app last reported (`Europe/Samara`), for «местное время» on the profile card. */
  timeZone: v.optional(v.string()),
});
/** A user as every signed-in user may see them. */
export type User = v.InferOutput<typeof UserSchema>;

/** The kinds of conversation. */
export const ConversationKindSchema = v.picklist(['general', 'open', 'closed', 'direct']);
/** `general` (everyone), `open` and `closed` rooms, `direct` (exactly two users). */
export type ConversationKind = v.InferOutput<typeof ConversationKindSchema>;

/** How much of a conversation notifies the viewer: every message, mentions (and direct messages) only, nothing. */
export const NotifyLevelSchema = v.picklist(['all', 'mentions', 'none']);
/** One of `all`, `mentions`, `none`. */
export type NotifyLevel = v.InferOutput<typeof NotifyLevelSchema>;

/** A conversation as one of its members sees it, with that member's unread state. */
export const ConversationSchema = v.object({
  id: IdSchema,
  kind: ConversationKindSchema,
  /** Room name; for a direct conversation, the other user's name (as the viewer sees it). */
  name: v.string(),
  topic: v.string(),
  /** The owner of a room; null for the general room and direct conversations. */
  ownerId: v.nullable(IdSchema),
  /** For a direct conversation, the other user's id. */
  peerId: v.nullable(IdSchema),
  memberCount: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  archived: v.boolean(),
  createdAt: TimestampSchema,
  /** Sequence number of the newest message in the conversation (0 if none). */
  lastSeq: SeqSchema,
  /** Time of the newest message (or of creation). */
  lastTs: TimestampSchema,
  /** The viewer's read marker: every message with seq <= readSeq has been seen. */
  readSeq: SeqSchema,
  /**
   * Who may pin messages in a room: `members` (any member; the default) or `owners` (the owner and
   * administrators). The general room is always `owners` (administrators); direct conversations `members`.
   */
  pinRule: v.optional(v.picklist(['members', 'owners'])),
  /** Messages after the read marker from others (system messages excluded). */
  unread: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** Of those, messages that mention the viewer (or @all); in a direct conversation, all of them. */
  mentions: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /**
   * The viewer's notification level for this conversation, stored on the hub so every device
   * agrees; absent: the default (`mentions` for the general room, `all` elsewhere).
   */
  notify: v.optional(NotifyLevelSchema),
  /**
   * Muted until this time (ms); null: muted until unmuted; absent: not muted. A muted
   * conversation still counts unread, quietly (no notification, no sound, no flashing).
   */
  mutedUntil: v.optional(v.nullable(TimestampSchema)),
  /**
   * Direct conversations, when both people have read receipts on: the other person's read marker
   * here (✓✓ on the viewer's messages up to it) and the newest seq any of their devices has
   * received (✓ delivered). Absent when either switched receipts off.
   */
  peerReadSeq: v.optional(SeqSchema),
  peerReceivedSeq: v.optional(SeqSchema),
});
/** A conversation as one of its members sees it. */
export type Conversation = v.InferOutput<typeof ConversationSchema>;

/** A room in the open-room directory (the viewer need not be a member). */
export const RoomSummarySchema = v.object({
  id: IdSchema,
  kind: v.picklist(['open', 'closed']),
  name: v.string(),
  topic: v.string(),
  memberCount: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** Whether the viewer is a member already. */
  joined: v.boolean(),
});
/** A room in the open-room directory. */
export type RoomSummary = v.InferOutput<typeof RoomSummarySchema>;

/** What a system message records (rendered by clients in the user's language). */
export const SystemEventSchema = v.object({
  event: v.picklist(['created', 'joined', 'left', 'invited', 'removed', 'renamed', 'topic', 'owner', 'archived']),
  /** Who did it. */
  actorId: IdSchema,
  /** Who it was done to (invited, removed, new owner). */
  targetIds: v.optional(v.array(IdSchema)),
  /** New name or topic. */
  value: v.optional(v.string()),
});
/** What a system message records. */
export type SystemEvent = v.InferOutput<typeof SystemEventSchema>;

/** A field of a webhook attachment. */
export const AttachmentFieldSchema = v.object({
  title: v.string(),
  value: v.string(),
  short: v.boolean(),
});

/** A Slack-style attachment, rendered as a card (never as HTML). */
export const AttachmentSchema = v.object({
  /** A plain-text summary (for notifications and clients that cannot show cards). */
  fallback: v.optional(v.string()),
  /** `good`, `warning`, `danger` or `#rrggbb`: the card's colour bar. */
  color: v.optional(v.string()),
  pretext: v.optional(v.string()),
  title: v.optional(v.string()),
  titleLink: v.optional(v.string()),
  text: v.optional(v.string()),
  authorName: v.optional(v.string()),
  /** Where the author's name links to (http/https only). */
  authorLink: v.optional(v.string()),
  fields: v.optional(v.array(AttachmentFieldSchema)),
  footer: v.optional(v.string()),
  /** Slack's `image_url`: a picture (a Grafana panel), shown as a link, never loaded by the client itself. */
  imageUrl: v.optional(v.string()),
  /** Slack's `thumb_url`: a small picture, shown as a link like `imageUrl`. */
  thumbUrl: v.optional(v.string()),
  /**
   * Block Kit blocks inside the card (Uptime Kuma sends `attachments: [{color, blocks}]`), shown
   * under its text inside the colour bar. Lazy: {@link BlockSchema} is declared below.
   */
  blocks: v.optional(v.lazy(() => v.pipe(v.array(BlockSchema), v.maxLength(50)))),
});
/** A Slack-style attachment. */
export type Attachment = v.InferOutput<typeof AttachmentSchema>;

/** A text in a block: Beseda's markup (the hub translated Slack's `mrkdwn` already), never HTML. */
const BlockText = v.pipe(v.string(), v.maxLength(3000));
/** An address a block links to: http(s) only, checked again where it is opened. */
const BlockUrl = v.pipe(v.string(), v.maxLength(2000), v.regex(/^https?:\/\//i));

/**
 * A Block Kit block from an incoming webhook or a bot, as the hub keeps it (a safe subset of
 * Slack's: header, section with text, fields and an image shown as a link, context, divider,
 * image as a link, and link buttons). Rendered as a structured card, never as HTML.
 */
export const BlockSchema = v.variant('type', [
  v.object({ type: v.literal('header'), text: BlockText }),
  v.object({
    type: v.literal('section'),
    text: v.optional(BlockText),
    fields: v.optional(v.pipe(v.array(BlockText), v.maxLength(10))),
    /** A section's image accessory, shown as a link. */
    image: v.optional(v.object({ url: BlockUrl, alt: v.pipe(v.string(), v.maxLength(2000)) })),
  }),
  v.object({ type: v.literal('context'), elements: v.pipe(v.array(BlockText), v.maxLength(10)) }),
  v.object({ type: v.literal('divider') }),
  v.object({
    type: v.literal('image'),
    url: BlockUrl,
    alt: v.pipe(v.string(), v.maxLength(2000)),
    title: v.optional(BlockText),
  }),
  /** Slack's `actions` block reduced to what opens an address: its url buttons. */
  v.object({
    type: v.literal('links'),
    links: v.pipe(v.array(v.object({ text: v.pipe(v.string(), v.maxLength(200)), url: BlockUrl })), v.maxLength(5)),
  }),
]);
/** A Block Kit block as the hub keeps it. */
export type Block = v.InferOutput<typeof BlockSchema>;

/**
 * A button on a message (issue 18): a click is sent to the hub as `message.action`, which calls
 * the posting bot's callback URL with the action's id and value and the person who clicked.
 */
export const MessageActionSchema = v.object({
  /** Unique within the message: 1–64 of A-Z a-z 0-9 _ -. */
  id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  label: v.pipe(v.string(), v.minLength(1), v.maxLength(80)),
  /** Handed to the bot as is (e.g. `approve:17`); never shown. */
  value: v.pipe(v.string(), v.maxLength(2000)),
  style: v.optional(v.picklist(['primary', 'danger'])),
  /** May one person click it more than once (default: once). */
  multi: v.optional(v.boolean()),
});
/** A button on a message. */
export type MessageAction = v.InferOutput<typeof MessageActionSchema>;

/** A slash command IT registered, bound to a bot (issue 18). */
export const SlashCommandSchema = v.object({
  /** With its slash: `/остаток`. */
  name: v.string(),
  description: v.string(),
  /** What follows the name, e.g. `<артикул>`. */
  usage: v.string(),
  botId: IdSchema,
});
/** A slash command IT registered. */
export type SlashCommand = v.InferOutput<typeof SlashCommandSchema>;

/** A file id the hub assigned to one upload: `f` and 22 URL-safe characters (unguessable, but never the check). */
export const FileIdSchema = v.pipe(v.string(), v.regex(/^f[A-Za-z0-9_-]{22}$/));

/** A file attached to a message, as every reader of the message sees it. */
export const FileRefSchema = v.object({
  id: FileIdSchema,
  /** The name the uploader gave (shown, and used for downloads). */
  name: v.string(),
  /** Size in bytes. */
  size: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** The media type the hub serves it as (verified for images; `application/octet-stream` when unknown). */
  type: v.string(),
  /** `image`: raster bytes the hub verified and made a preview of (shown inline); `file`: a card with a download. */
  kind: v.picklist(['image', 'file']),
  /** Pixel size of the image as displayed (EXIF orientation applied); images only. */
  width: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  height: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  /** An animated GIF/WebP/PNG: the preview is its first frame, the full file plays. */
  animated: v.optional(v.boolean()),
});
/** A file attached to a message. */
export type FileRef = v.InferOutput<typeof FileRefSchema>;

/** One emoji on a message and who put it there, oldest first. */
export const ReactionSchema = v.object({
  emoji: v.string(),
  userIds: v.array(IdSchema),
});
/** One emoji on a message and who put it there. */
export type Reaction = v.InferOutput<typeof ReactionSchema>;

/**
 * The message a reply answers, as it is NOW (built when read, never stored as a copy): an edit of
 * the original shows in its replies, a deletion leaves `deleted` and no text.
 */
export const ReplyQuoteSchema = v.object({
  seq: IdSchema,
  senderId: IdSchema,
  displayName: v.optional(v.string()),
  /** The original's text, cut to its first 300 characters ('' when deleted or files only). */
  text: v.string(),
  /** The original's first image (for a thumbnail). */
  image: v.optional(FileRefSchema),
  /** How many files the original carries. */
  fileCount: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  deleted: v.optional(v.boolean()),
});
/** The message a reply answers. */
export type ReplyQuote = v.InferOutput<typeof ReplyQuoteSchema>;

/** Where a forwarded message came from: the original's author and time (shown «Переслано от …»). */
export const ForwardedSchema = v.object({
  senderId: IdSchema,
  displayName: v.optional(v.string()),
  ts: TimestampSchema,
});
/** Where a forwarded message came from. */
export type Forwarded = v.InferOutput<typeof ForwardedSchema>;

/** A stored message. */
export const MessageSchema = v.object({
  /** Hub-assigned, strictly increasing across the whole hub. */
  seq: IdSchema,
  conversationId: IdSchema,
  senderId: IdSchema,
  /** The id the sending client chose; unique per sender. */
  clientId: v.string(),
  /** `text` from a person or bot, `system` for membership and room changes, `announcement` needs confirming. */
  kind: v.picklist(['text', 'system', 'announcement']),
  text: v.string(),
  /** Hub time of acceptance, ms since epoch. */
  ts: TimestampSchema,
  /** Users mentioned with @login. */
  mentions: v.array(IdSchema),
  /** Whether the message mentions @all. */
  mentionsAll: v.boolean(),
  system: v.optional(SystemEventSchema),
  /** Display name override (incoming webhooks' `username`). */
  displayName: v.optional(v.string()),
  attachments: v.optional(v.array(AttachmentSchema)),
  /** Buttons (bots only), at most 5, shown under the message (issue 18). */
  actions: v.optional(v.pipe(v.array(MessageActionSchema), v.maxLength(5))),
  /** Block Kit blocks (webhooks, bots), at most 50, shown as a structured card under the text. */
  blocks: v.optional(v.pipe(v.array(BlockSchema), v.maxLength(50))),
  /** Uploaded files (screenshots, documents), in the order the sender attached them. */
  files: v.optional(v.array(FileRefSchema)),
  /** The message this one answers. */
  replyTo: v.optional(ReplyQuoteSchema),
  /** Forwarded from another conversation: the original's author and time. */
  forwarded: v.optional(ForwardedSchema),
  /** When the author last changed the text (absent: never edited). */
  editedAt: v.optional(TimestampSchema),
  /**
   * The message was deleted (by its author, the room's owner or an administrator): its text,
   * files, reactions, mentions and attachments are gone from the hub; it stays as a placeholder.
   */
  deleted: v.optional(v.object({ by: IdSchema, at: TimestampSchema })),
  /** Reactions, in the order each emoji was first used. */
  reactions: v.optional(v.array(ReactionSchema)),
  /** Pinned in its conversation: by whom and when. */
  pinned: v.optional(v.object({ by: IdSchema, at: TimestampSchema })),
  /**
   * The seq of the newest update (edit, delete, reaction, pin) applied to this message; absent
   * when never changed. A client keeps the copy with the higher `rev`.
   */
  rev: v.optional(IdSchema),
});
/** A stored message. */
export type Message = v.InferOutput<typeof MessageSchema>;

/**
 * A change to a stored message, in the one sequence with messages (its own `seq`), delivered live
 * as `message.updated` and in `sync`. `message` is the message as it is when the update is read
 * (so an old edit of a since-deleted message carries no text); apply it when its `rev` is newer.
 */
export const MessageUpdateSchema = v.object({
  seq: IdSchema,
  kind: v.picklist(['edit', 'delete', 'react', 'pin']),
  conversationId: IdSchema,
  /** Who made the change. */
  actorId: IdSchema,
  ts: TimestampSchema,
  message: MessageSchema,
  /** Edits only: users the edit mentions for the first time (notified once; never counted as unread). */
  newMentions: v.optional(v.array(IdSchema)),
});
/** A change to a stored message. */
export type MessageUpdate = v.InferOutput<typeof MessageUpdateSchema>;

/** One search result: the message as it is now and where the query matched in its text. */
export const SearchHitSchema = v.object({
  message: MessageSchema,
  /**
   * Matched words as [start, end) offsets in UTF-16 code units of `message.text` (the words as
   * typed, whatever form the query used: «акт» highlights «актов»), in order, not overlapping.
   */
  highlights: v.array(v.tuple([v.number(), v.number()])),
});
/** One search result. */
export type SearchHit = v.InferOutput<typeof SearchHitSchema>;

/** The user's own settings, on every device (`hello.settings`, `settings` frames). */
export const UserSettingsSchema = v.object({
  /** Show others when I have read their direct messages (and see theirs); default true. */
  readReceipts: v.boolean(),
});
/** The user's own settings. */
export type UserSettings = v.InferOutput<typeof UserSettingsSchema>;

/** A member of a conversation. */
export const MemberSchema = v.object({
  userId: IdSchema,
  role: v.picklist(['owner', 'member']),
  joinedAt: TimestampSchema,
});
/** A member of a conversation. */
export type Member = v.InferOutput<typeof MemberSchema>;

/** Limits the hub announces in `hello`. */
export const LimitsSchema = v.object({
  maxTextBytes: v.pipe(v.number(), v.safeInteger()),
  maxFrameBytes: v.pipe(v.number(), v.safeInteger()),
  historyPageMax: v.pipe(v.number(), v.safeInteger()),
  syncPageMax: v.pipe(v.number(), v.safeInteger()),
  /** The largest file the hub accepts, in bytes (IT's setting; default 100 MB). */
  maxFileBytes: v.pipe(v.number(), v.safeInteger()),
  /** How many files one message may carry. */
  maxFilesPerMessage: v.pipe(v.number(), v.safeInteger()),
  /** How long after sending an author may edit a message, in ms; 0: no limit (IT's `--edit-window`). */
  editWindowMs: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** How many different emoji one message may carry. */
  maxReactionsPerMessage: v.pipe(v.number(), v.safeInteger()),
});
/** Limits the hub announces in `hello`. */
export type Limits = v.InferOutput<typeof LimitsSchema>;
