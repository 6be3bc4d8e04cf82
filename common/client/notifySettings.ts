import type { Backend } from './Backend.ts';
import type { RoomRequestsParts } from './RoomRequests.ts';

/**
 * Backend.setNotify: sends `conversations.notify` and takes the hub's answer (the conversation
 * with its new `notify` / `mutedUntil`) into the state at once; the hub tells the user's other
 * devices itself. Not queued: it fails when the hub is not there, and the menu says so.
 */
export async function setNotify(
  parts: RoomRequestsParts,
  conversationId: number,
  change: Parameters<Backend['setNotify']>[1],
): Promise<void> {
  const params: { conversationId: number; notify?: typeof change.notify; mutedUntil?: number | null } = {
    conversationId,
  };
  if (change.notify !== undefined) params.notify = change.notify;
  if (change.mutedUntil !== undefined) params.mutedUntil = change.mutedUntil;
  const { conversation } = await parts.request('conversations.notify', params);
  parts.intake.conversationChanged(conversation);
}
