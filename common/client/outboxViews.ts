import type { MessageView } from './ClientState.ts';
import type { OutboxEntry, OutboxFile } from './OutboxEntry.ts';

/**
 * One conversation's outbox entries as the message views its window ends with: pending or failed,
 * with seq 0, and each file's upload progress (`loaded`: bytes the hub has received so far). A
 * reply carries the quote built when it was written; a forward shows the original's text, files
 * and `forwarded` mark.
 */
export function outboxViews(
  entries: readonly OutboxEntry[],
  conversationId: number,
  senderId: number,
  loaded: (file: OutboxFile) => number,
): MessageView[] {
  const views: MessageView[] = [];
  for (const e of entries) {
    if (e.conversationId !== conversationId) continue;
    const view: MessageView = {
      seq: 0,
      conversationId,
      senderId,
      clientId: e.clientId,
      kind: 'text',
      text: e.text,
      ts: e.createdAt,
      mentions: [],
      mentionsAll: false,
      status: e.status,
    };
    if (e.error) view.error = e.error;
    if (e.quote) view.replyTo = e.quote;
    if (e.forward) {
      // The original's content as the client held it; the hub's copy replaces it once stored.
      view.text = e.forward.text;
      view.forwarded = e.forward.forwarded;
      if (e.forward.files?.length) view.files = e.forward.files;
      if (e.forward.attachments?.length) view.attachments = e.forward.attachments;
    }
    if (e.files) {
      view.uploads = e.files.map((f) => ({ name: f.name, size: f.size, type: f.type, loaded: loaded(f) }));
    }
    views.push(view);
  }
  return views;
}
