import type { ConversationRow } from '../store/conversations.ts';
import { memberIds } from '../store/members.ts';
import type { HubContext } from './HubContext.ts';
import type { Audience } from './HubEvent.ts';

/** Everyone who hears about new messages of a conversation: its members (the general room: everyone). */
export function conversationAudience(ctx: HubContext, conversation: ConversationRow): Audience {
  if (conversation.kind === 'general') return { to: 'everyone' };
  return { to: 'users', userIds: memberIds(ctx.db, conversation.id) };
}
