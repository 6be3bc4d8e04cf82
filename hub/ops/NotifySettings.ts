import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import type { NotifyChange } from '../store/ConversationStore.ts';
import { notMember, requireMember } from './access.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';

/**
 * `conversations.notify`: the caller's own notification level and/or mute of a conversation they
 * are in, stored on the hub so the desktop app and every browser agree. Only members: anyone else
 * gets `not_found` or `forbidden` exactly as for reading it. The conversation as the caller now
 * sees it goes to every one of their connections (the other devices redraw their menus and
 * badges) and is the answer. A request that changes nothing still answers the conversation.
 */
export async function setNotifySettings(
  ctx: HubContext,
  actor: Actor,
  p: ParamsOf<'conversations.notify'>,
): Promise<Conversation> {
  await requireMember(ctx, p.conversationId, actor.userId);
  const change: NotifyChange = {};
  if (p.notify !== undefined) change.notify = p.notify === 'default' ? null : p.notify;
  if (p.mutedUntil !== undefined) change.mutedUntil = p.mutedUntil;
  const conversation = await ctx.store.conversations.setNotify(p.conversationId, actor.userId, change, ctx.clock());
  // Left between the check and the write.
  if (!conversation) throw notMember();
  if (change.notify !== undefined || change.mutedUntil !== undefined)
    ctx.events.publish({
      audience: { to: 'users', userIds: [actor.userId] },
      frame: { type: 'conversation', conversation },
    });
  return conversation;
}
