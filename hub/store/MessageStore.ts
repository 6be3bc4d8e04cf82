import type { Message, SystemEvent } from '../../common/protocol/model.ts';

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
}

/**
 * One message of a group commit; the store checks membership again at commit time. `files`: ids of
 * the sender's own uploads, attached in this order inside the same transaction.
 */
export type AppendRequest = Omit<NewMessage, 'system'> & { files?: readonly string[] };

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
  | { kind: 'refused'; reason: 'bad_file'; fileId: string };

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
  /** Up to `limit` + 1 newest messages of a conversation with seq < `before`, newest first. */
  before(conversationId: number, before: number, limit: number): Promise<Message[]>;
  /** Up to `limit` + 1 messages with seq > `since` in the conversations the user is in now, oldest first. */
  since(userId: number, since: number, limit: number): Promise<Message[]>;
  /** The newest seq on the hub (0 when there are none). */
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
