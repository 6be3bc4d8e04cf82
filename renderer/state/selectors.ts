import type { Conversation, User } from '../../common/protocol/model.ts';

/** The name shown for a conversation: the room name, or the other person's current name. */
export function conversationName(conversation: Conversation, users: Record<number, User>): string {
  if (conversation.kind === 'direct' && conversation.peerId !== null) {
    return users[conversation.peerId]?.name ?? conversation.name;
  }
  return conversation.name;
}

const collator = new Intl.Collator(['ru', 'en'], { sensitivity: 'base', numeric: true });

/**
 * Conversations in the sidebar's order: the general room, then rooms by name, then direct
 * conversations, most recent first. Keyboard navigation follows the same order.
 */
export function sortedConversations(
  conversations: Record<number, Conversation>,
  users: Record<number, User>,
): Conversation[] {
  const all = Object.values(conversations);
  const general = all.filter((c) => c.kind === 'general').sort((a, b) => a.id - b.id);
  const rooms = all
    .filter((c) => c.kind === 'open' || c.kind === 'closed')
    .sort((a, b) => Number(a.archived) - Number(b.archived) || collator.compare(a.name, b.name) || a.id - b.id);
  const directs = all
    .filter((c) => c.kind === 'direct')
    .sort((a, b) => b.lastTs - a.lastTs || collator.compare(conversationName(a, users), conversationName(b, users)));
  return [...general, ...rooms, ...directs];
}

/** Whether a conversation matches the sidebar filter (by its name or topic, case-insensitively). */
export function matchesFilter(conversation: Conversation, users: Record<number, User>, filter: string): boolean {
  const q = filter.trim().toLocaleLowerCase();
  if (!q) return true;
  const peer = conversation.peerId !== null ? users[conversation.peerId] : undefined;
  return [conversationName(conversation, users), conversation.topic, peer?.login ?? ''].some((s) =>
    s.toLocaleLowerCase().includes(q),
  );
}
