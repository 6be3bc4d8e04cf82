import { randomUUID } from 'node:crypto';
import type { Message, SystemEvent } from '../../../common/protocol/model.ts';
import type { MemberView } from '../ConversationStore.ts';
import type { PgQueryable } from './PgDatabase.ts';
import { findMemberConversation, setLastMessage } from './conversations.ts';
import { insertMessage } from './messages.ts';
import { toConversation } from '../rows/conversationRow.ts';

/** The conversation as each of these users sees it (skipping anyone who is not a member). */
export async function memberViews(
  q: PgQueryable,
  conversationId: number,
  userIds: readonly number[],
): Promise<MemberView[]> {
  const views: MemberView[] = [];
  for (const userId of userIds) {
    const row = await findMemberConversation(q, conversationId, userId);
    if (row) views.push({ userId, conversation: toConversation(row) });
  }
  return views;
}

/**
 * Stores a system message (membership or room change), sequenced like any other message (its seq
 * from the shared counter, through the messages area's insertMessage). Its client id has a `sys:`
 * prefix that client ids cannot have, so it never collides. Runs inside the transaction that makes
 * the change.
 */
export async function insertSystemMessage(
  q: PgQueryable,
  conversationId: number,
  system: SystemEvent,
  ts: number,
): Promise<Message> {
  const message = await insertMessage(q, {
    conversationId,
    senderId: system.actorId,
    clientId: `sys:${randomUUID()}`,
    kind: 'system',
    text: '',
    ts,
    mentions: [],
    mentionsAll: false,
    system,
  });
  await setLastMessage(q, conversationId, message.seq, ts);
  return message;
}
