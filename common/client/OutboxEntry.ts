import type { Attachment, FileRef, Forwarded, ReplyQuote } from '../protocol/model.ts';

/** A file of an outbox entry: its bytes are in the stash under `localId` until the message is stored. */
export interface OutboxFile {
  localId: string;
  name: string;
  size: number;
  type: string;
  /** The hub's id once uploaded (saved at once, so a restart does not upload it again). */
  fileId?: string;
}

/**
 * What a forward shows while it waits: the original's content as the client held it when the user
 * forwarded it (the hub copies the original itself; this is only the pending view).
 */
export interface OutboxForward {
  /** The original's seq (the `send` request's `forward`). */
  seq: number;
  fromConversationId: number;
  text: string;
  files?: FileRef[];
  attachments?: Attachment[];
  forwarded: Forwarded;
}

/** One message the user wrote that the hub has not acknowledged (pending) or refused (failed). */
export interface OutboxEntry {
  clientId: string;
  conversationId: number;
  text: string;
  /** When the user sent it (shown until the hub's time replaces it). */
  createdAt: number;
  status: 'pending' | 'failed';
  error?: { code: string; message: string };
  /** Files to upload before the message is sent, in the order attached. */
  files?: OutboxFile[];
  /** The hub refused the stored file ids once and the files were uploaded again (not a second time). */
  reuploaded?: boolean;
  /** The seq of the message it answers, and that message's quote as the client held it (the pending view). */
  replyTo?: number;
  quote?: ReplyQuote;
  /** A forward of another message (then `text` is '' and there are no files of its own). */
  forward?: OutboxForward;
}

/** What a message says besides text and files, as the outbox keeps it (see {@link OutboxEntry}). */
export type OutboxExtras = Pick<OutboxEntry, 'replyTo' | 'quote' | 'forward'>;

/** The change a queued action makes to a stored message. */
export type ActionKind = 'edit' | 'delete' | 'react' | 'pin';

/**
 * A change to a stored message the user made that the hub has not acknowledged: sent in order,
 * exactly once by `clientId`, kept with the outbox across restarts.
 */
export interface OutboxAction {
  clientId: string;
  kind: ActionKind;
  conversationId: number;
  seq: number;
  /** edit: the new text. */
  text?: string;
  /** react: the emoji and whether it is put on or taken back. */
  emoji?: string;
  on?: boolean;
  /** pin: pin or unpin. */
  pinned?: boolean;
  createdAt: number;
}

/** Whose outbox it is: entries are resumed only for the same account on the same hub. */
export interface OutboxOwner {
  hubUrl: string;
  userId: number;
}
