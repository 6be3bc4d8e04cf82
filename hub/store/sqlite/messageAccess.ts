import type { Database } from 'better-sqlite3';
import { findMember, memberIds } from './members.ts';
import { statement } from './statement.ts';
import type { StoredAudience } from '../MessageStore.ts';
import type { ConversationRow } from '../rows/conversationRow.ts';

/** Conversations anyone may know exist: open rooms that are not archived, and the general room. */
export function isPublic(conversation: ConversationRow): boolean {
  return (conversation.kind === 'open' && conversation.archived === 0) || conversation.kind === 'general';
}

/**
 * Whether the user may read and act on the conversation's messages now: a member, or (the general
 * room, which is everyone's) any enabled person.
 */
export function mayUseConversation(db: Database, conversation: ConversationRow, userId: number): boolean {
  if (findMember(db, conversation.id, userId)) return true;
  if (conversation.kind !== 'general') return false;
  return statement(db, 'SELECT 1 FROM users WHERE id = ? AND is_bot = 0 AND disabled = 0').get(userId) !== undefined;
}

/** The refusal for someone who may not use the conversation: private ones are not admitted to exist. */
export function refusalFor(conversation: ConversationRow): 'not_member' | 'not_found' {
  return isPublic(conversation) ? 'not_member' : 'not_found';
}

/** Who hears about the conversation's messages and their changes: everyone for the general room, else its members. */
export function audienceOf(db: Database, conversation: ConversationRow): StoredAudience {
  return conversation.kind === 'general' ? 'everyone' : memberIds(db, conversation.id);
}
