import type { ParamsOf } from '../protocol/clientFrame.ts';
import type { OutboxEntry } from './OutboxEntry.ts';

/**
 * The `send` request for an outbox entry. Only a message with files carries `files` (a text-only
 * frame stays as it always was); `missingId` stands in for a file not uploaded yet (to measure
 * the frame before the uploads). A reply names the message it answers; a forward the original's seq.
 */
export function sendParams(entry: OutboxEntry, missingId = ''): ParamsOf<'send'> {
  const params: ParamsOf<'send'> = { conversationId: entry.conversationId, clientId: entry.clientId, text: entry.text };
  if (entry.files?.length) params.files = entry.files.map((f) => f.fileId ?? missingId);
  if (entry.replyTo !== undefined) params.replyTo = entry.replyTo;
  if (entry.forward) params.forward = entry.forward.seq;
  return params;
}
