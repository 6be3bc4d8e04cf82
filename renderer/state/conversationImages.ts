import type { FileRef } from '../../common/protocol/model.ts';
import { client } from './clientState.ts';

/** One image of a conversation's loaded messages, as the viewer steps through them. */
export interface ConversationImage {
  key: string;
  file: FileRef;
  seq: number;
  senderId: number;
  displayName?: string | undefined;
  ts: number;
}

/** The key of an image in a message: its seq and file id. */
export function imageKey(seq: number, fileId: string): string {
  return `${seq}:${fileId}`;
}

/** The images in a conversation's loaded messages, oldest first (what ← and → step through). */
export function conversationImages(conversationId: number): ConversationImage[] {
  const items = client.messages.value[conversationId]?.items ?? [];
  const out: ConversationImage[] = [];
  for (const m of items) {
    if (m.status !== 'sent' || !m.files) continue;
    for (const file of m.files) {
      if (file.kind !== 'image') continue;
      out.push({
        key: imageKey(m.seq, file.id),
        file,
        seq: m.seq,
        senderId: m.senderId,
        displayName: m.displayName,
        ts: m.ts,
      });
    }
  }
  return out;
}
