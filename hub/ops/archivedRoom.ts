import type { ConversationRecord } from '../store/ConversationStore.ts';
import { HubError } from './HubError.ts';

/**
 * An archived room (`beseda-hub room archive`) keeps its members and history, read-only: nothing
 * is posted, edited, reacted to, pinned or invited into it until it is brought back. (A room its
 * last member left is archived too, with nobody in it to try.)
 */
export function refuseArchived(conversation: ConversationRecord): void {
  if (conversation.archived)
    throw new HubError('forbidden', 'this room is archived: nothing can be posted or changed in it');
}
