import type { ConversationRecord } from '../store/ConversationStore.ts';
import type { HubContext } from './HubContext.ts';
import type { Audience } from './HubEvent.ts';

/** Everyone who hears about new messages of a conversation: its members (the general room: everyone). */
export async function conversationAudience(ctx: HubContext, conversation: ConversationRecord): Promise<Audience> {
  if (conversation.kind === 'general') return { to: 'everyone' };
  return { to: 'users', userIds: await ctx.store.conversations.memberIds(conversation.id) };
}
