import * as v from 'valibot';
import { AttachmentSchema, FileRefSchema, ForwardedSchema, ReplyQuoteSchema } from '../protocol/model.ts';
import type { OutboxAction, OutboxEntry, OutboxFile, OutboxForward, OutboxOwner } from './OutboxEntry.ts';

/**
 * The outbox as it is kept in storage: whose it is, its messages in order, and its queued changes
 * to stored messages. The changes are a list of their own (not entries of another kind) so that
 * an older app reading a newer saved outbox never mistakes an edit for a message to send.
 */
export interface SavedOutbox extends OutboxOwner {
  v: 1;
  entries: OutboxEntry[];
  /** Absent in outboxes saved before message actions existed. */
  actions?: OutboxAction[];
}

const seqOf = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x > 0;

/**
 * Reads a saved outbox; null when there is none or it is not one. Entries that do not have the
 * expected shape are dropped (a damaged entry must not keep the others from being sent).
 */
export function parseSavedOutbox(raw: string | null): (SavedOutbox & { actions: OutboxAction[] }) | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<SavedOutbox>;
    if (value.v !== 1 || typeof value.hubUrl !== 'string' || typeof value.userId !== 'number') return null;
    if (!Array.isArray(value.entries)) return null;
    const entries = value.entries.filter(
      (e): e is OutboxEntry =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.clientId === 'string' &&
        typeof e.conversationId === 'number' &&
        typeof e.text === 'string' &&
        typeof e.createdAt === 'number' &&
        (e.status === 'pending' || e.status === 'failed') &&
        (e.files === undefined || (Array.isArray(e.files) && e.files.every(isOutboxFile))) &&
        (e.replyTo === undefined || seqOf(e.replyTo)) &&
        (e.quote === undefined || v.is(ReplyQuoteSchema, e.quote)) &&
        (e.forward === undefined || isOutboxForward(e.forward)),
    );
    const actions = Array.isArray(value.actions) ? value.actions.filter(isOutboxAction) : [];
    return { v: 1, hubUrl: value.hubUrl, userId: value.userId, entries, actions };
  } catch {
    return null;
  }
}

function isOutboxFile(f: unknown): f is OutboxFile {
  const file = f as Partial<OutboxFile> | null;
  return (
    typeof file === 'object' &&
    file !== null &&
    typeof file.localId === 'string' &&
    typeof file.name === 'string' &&
    typeof file.size === 'number' &&
    typeof file.type === 'string' &&
    (file.fileId === undefined || typeof file.fileId === 'string')
  );
}

const ForwardSchema = v.object({
  seq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  fromConversationId: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  text: v.string(),
  files: v.optional(v.array(FileRefSchema)),
  attachments: v.optional(v.array(AttachmentSchema)),
  forwarded: ForwardedSchema,
});

function isOutboxForward(f: unknown): f is OutboxForward {
  return v.is(ForwardSchema, f);
}

/** A saved action with the fields its kind needs. */
export function isOutboxAction(a: unknown): a is OutboxAction {
  const x = a as Partial<OutboxAction> | null;
  if (typeof x !== 'object' || x === null) return false;
  if (typeof x.clientId !== 'string' || !x.clientId || typeof x.createdAt !== 'number') return false;
  if (!seqOf(x.conversationId) || !seqOf(x.seq)) return false;
  switch (x.kind) {
    case 'edit':
      return typeof x.text === 'string';
    case 'delete':
      return true;
    case 'react':
      return typeof x.emoji === 'string' && x.emoji.length > 0 && typeof x.on === 'boolean';
    case 'pin':
      return typeof x.pinned === 'boolean';
    default:
      return false;
  }
}
