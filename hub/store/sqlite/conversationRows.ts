import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Message, SystemEvent } from '../../../common/protocol/model.ts';
import type { MemberView } from '../ConversationStore.ts';
import { findMemberConversation, setLastMessage } from './conversations.ts';
import { insertMessage } from './messages.ts';
import { toConversation } from '../rows/conversationRow.ts';

/** The conversation as each of these users sees it (skipping anyone who is not a member). */
export function memberViews(db: Database, conversationId: number, userIds: readonly number[]): MemberView[] {
  const views: MemberView[] = [];
  for (const userId of userIds) {
    const row = findMemberConversation(db, conversationId, userId);
    if (row) views.push({ userId, conversation: toConversation(row) });
  }
  return views;
}

/**
 * Stores a system message (membership or room change), sequenced like any other message. Its
 * client id has a `sys:` prefix that client ids cannot have, so it never collides. Runs inside
 * the transaction that makes the change.
 */
export function insertSystemMessage(db: Database, conversationId: number, system: SystemEvent, ts: number): Message {
  const message = insertMessage(db, {
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
  setLastMessage(db, conversationId, message.seq, ts);
  return message;
}
