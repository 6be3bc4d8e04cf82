/** A file of an outbox entry: its bytes are in the stash under `localId` until the message is stored. */
export interface OutboxFile {
  localId: string;
  name: string;
  size: number;
  type: string;
  /** The hub's id once uploaded (saved at once, so a restart does not upload it again). */
  fileId?: string;
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
}

/** Whose outbox it is: entries are resumed only for the same account on the same hub. */
export interface OutboxOwner {
  hubUrl: string;
  userId: number;
}
