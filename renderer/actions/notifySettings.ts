import type { Backend } from '../../common/client/Backend.ts';
import { backend } from '../backend/currentBackend.ts';
import { attempt } from './notify.ts';

/**
 * Changes the user's notification level and/or mute of a conversation, stored on the hub (every
 * device and browser of theirs follows); a failure (offline) is shown as a notice.
 */
export async function setConversationNotify(
  conversationId: number,
  change: Parameters<Backend['setNotify']>[1],
): Promise<void> {
  await attempt(() => backend().setNotify(conversationId, change));
}
