import type { Message, MessageUpdate, SystemEvent } from '../../common/protocol/model.ts';

/** What a new message carries; the seq is assigned by the database. */
export interface NewMessage {
  conversationId: number;
  senderId: number;
  clientId: string;
  kind: Message['kind'];
  text: string;
  ts: number;
  mentions: readonly number[];
  mentionsAll: boolean;
  system?: SystemEvent;
  displayName?: string;
  attachments?: Message['attachments'];
  /** Block Kit blocks as the hub keeps them (webhooks, bots). */
  blocks?: Message['blocks'];
  /** Buttons (bots only, issue 18), checked by the operations (hub/ops/MessageButtons.ts). */
  actions?: Message['actions'];
}

/**
 * One message of a group commit; the store checks membership again at commit time. `files`: ids of
 * the sender's own uploads, attached in this order inside the same transaction.
 */
export type AppendRequest = Omit<NewMessage, 'system'> & {
  files?: readonly string[];
  /** The seq of a message of the same conversation this one answers (refused `bad_reply` otherwise). */
  replyTo?: number;
  /**
   * Forward: the seq of a message the sender can read now (member of its conversation, or the
   * general room), not deleted and not a system message. The store copies its text, attachments
   * and files into this message inside the transaction (the request's own text and files are
   * empty) and sets `forwarded` from the original (or the original's own `forwarded`).
   */
  forward?: number;
};

/** Who hears about a stored message: every signed-in person (the general room) or these members. */
export type StoredAudience = 'everyone' | readonly number[];

/** What happened to one message of a batch. */
export type AppendOutcome =
  | {
      kind: 'stored';
      message: Message;
      audience: StoredAudience;
      /** The sender had unread messages in the conversation before writing (their marker moved). */
      clearedUnread: boolean;
      isDirect: boolean;
    }
  /** The sender stored this client id before: the original message. */
  | { kind: 'duplicate'; message: Message }
  /** The sender may not know the conversation (`not_found`) or is not a member (`not_member`). */
  | { kind: 'refused'; reason: 'not_found' | 'not_member' }
  /** A file id is unknown (never uploaded, or collected as unused) or not the sender's own upload. */
  | { kind: 'refused'; reason: 'bad_file'; fileId: string }
  /** `replyTo` is not a message of this conversation; `forward` is not one the sender can read, or deleted, or system. */
  | { kind: 'refused'; reason: 'bad_reply' | 'bad_forward' };

/** A change to one stored message (docs/protocol.md, "Message actions"). */
export type MessageChange =
  /**
   * New text, with the mentions the operations parsed from it (members only); a bot's replace
   * (`POST /api/v1/messages` with `replace`) also sets the cards: `attachments` and `blocks`
   * replace the stored ones (an empty list or null removes them), undefined leaves them.
   */
  | {
      kind: 'edit';
      text: string;
      mentions: readonly number[];
      mentionsAll: boolean;
      attachments?: Message['attachments'] | null;
      blocks?: Message['blocks'] | null;
      /** Buttons (issue 18): replace the stored ones (empty or null removes them), undefined leaves them. */
      actions?: Message['actions'] | null;
    }
  /** Removes text, mentions, attachments, reactions, the pin and the files (rows, not just links). */
  | { kind: 'delete' }
  /** `maxEmoji`: refused `too_many_reactions` when adding a new emoji would pass it. */
  | { kind: 'react'; emoji: string; on: boolean; maxEmoji: number }
  | { kind: 'pin'; pinned: boolean };

/** One change as the operations ask for it, after their authorization checks. */
export interface ChangeRequest {
  actorId: number;
  /** The actor's idempotency key: a repeat answers `duplicate` with the message as it is now. */
  clientId: string;
  seq: number;
  ts: number;
  change: MessageChange;
}

/** What became of a change. */
export type ChangeOutcome =
  /** Applied: a new update (its own seq) for the message's audience. */
  | {
      kind: 'applied';
      update: MessageUpdate;
      audience: StoredAudience;
      /** Delete only: blob hashes (files and previews) no upload names any more, for the blob store to remove. */
      freedBlobs: string[];
    }
  /** Nothing to do (the same text, already reacted, already pinned, already deleted): no update. */
  | { kind: 'unchanged'; message: Message }
  /** The actor used this client id before: the message as it is now. */
  | { kind: 'duplicate'; message: Message }
  /**
   * Re-checked at commit: the message is gone or the actor may not see its conversation
   * (`not_found`), is no longer a member (`not_member`), the message was deleted meanwhile
   * (`deleted`: edits, reactions and pins only), or the reaction limit (`too_many_reactions`).
   */
  | { kind: 'refused'; reason: 'not_found' | 'not_member' | 'deleted' | 'too_many_reactions' };

/** A member's read marker and unread counters in one conversation. */
export interface ReadState {
  readSeq: number;
  unread: number;
  mentions: number;
}

/**
 * Messages and read markers. Every method is atomic on its own; no caller relies on reading its
 * own write through another call in the same turn.
 */
export interface MessageStore {
  /**
   * Group commit: writes the batch in ONE transaction and resolves only after it is durable.
   * Per message: a stored client id answers `duplicate`, a sender no longer in the conversation
   * `refused`; neither aborts the others. A failure of the commit itself rejects the whole batch
   * and leaves nothing of it behind.
   */
  appendBatch(batch: readonly AppendRequest[]): Promise<AppendOutcome[]>;
  /** The message a sender stored under this client id, if any. */
  findByClientId(senderId: number, clientId: string): Promise<Message | undefined>;
  /**
   * The seq of the message an actor changed under this client id, if any: a retry whose
   * acknowledgement was lost is answered before the rules are checked again (the edit window may
   * have passed since, the pin rule changed).
   */
  changedBy(actorId: number, clientId: string): Promise<number | undefined>;
  /** Up to `limit` + 1 newest messages of a conversation with seq < `before`, newest first. */
  before(conversationId: number, before: number, limit: number): Promise<Message[]>;
  /** Up to `limit` + 1 oldest messages of a conversation with seq > `after`, oldest first. */
  after(conversationId: number, after: number, limit: number): Promise<Message[]>;
  /**
   * What happened after `since` in the conversations the user is in now: messages and updates,
   * each oldest first, together at most `limit` + 1 items (the `limit` + 1 lowest seqs of both).
   * Updates carry the message as it is now; several updates of one message in the range may be
   * collapsed into its newest.
   */
  since(userId: number, since: number, limit: number): Promise<{ messages: Message[]; updates: MessageUpdate[] }>;
  /** One message as it is now, with its conversation (undefined when there is no such seq). */
  get(seq: number): Promise<Message | undefined>;
  /**
   * Applies one change atomically: re-checks that the message exists, that the actor is a member
   * of its conversation (the general room: everyone) and the rules above, stores the update in
   * the one sequence and returns it. A `delete` also scrubs the content so it cannot be read back
   * from the database file (secure delete).
   */
  applyChange(request: ChangeRequest): Promise<ChangeOutcome>;
  /** The pinned messages of a conversation, newest pin first. */
  pinned(conversationId: number): Promise<Message[]>;
  /** The newest seq on the hub, of a message or an update (0 when there are none). */
  lastSeq(): Promise<number>;
  /**
   * Moves a member's read marker forward to `seq`, never past the conversation's newest message
   * and never back. `moved` says whether it changed; the state is the member's after the call,
   * or undefined when the user is not a member.
   */
  advanceRead(
    conversationId: number,
    userId: number,
    seq: number,
  ): Promise<(ReadState & { moved: boolean }) | undefined>;
  /** A member's read marker and unread counters; undefined when the user is not a member. */
  readState(conversationId: number, userId: number): Promise<ReadState | undefined>;
}
