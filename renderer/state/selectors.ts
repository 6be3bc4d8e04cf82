import type { Conversation, User } from '../../common/protocol/model.ts';
import { foldForSearch } from '../../common/text/foldForSearch.ts';
import { usersByLogin } from '../text/mentions.ts';

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

/**
 * Whether a conversation matches the sidebar filter (quick switch and forwarding use it too): its
 * name, topic or the peer's login, folded by the one search rule ({@link foldForSearch}: case,
 * ё/е), so «федорова» finds «Фёдорова».
 */
export function matchesFilter(conversation: Conversation, users: Record<number, User>, filter: string): boolean {
  const q = foldForSearch(filter.trim());
  if (!q) return true;
  const peer = conversation.peerId !== null ? users[conversation.peerId] : undefined;
  return [conversationName(conversation, users), conversation.topic, peer?.login ?? ''].some((s) =>
    foldForSearch(s).includes(q),
  );
}

let loginIndex: { users: Record<number, User>; byLogin: Map<string, User> } | null = null;

/**
 * Known users by login in lower case, built once per change of the users (message rows ask for
 * every @mention they show).
 */
export function loginMap(users: Record<number, User>): ReadonlyMap<string, User> {
  if (loginIndex?.users !== users) {
    loginIndex = { users, byLogin: usersByLogin(users) };
  }
  return loginIndex.byLogin;
}

/**
 * Whether a person matches a directory query by the one folding rule (name, login, branch,
 * position; case and ё/е): the people the page already knows are found this way at once, even
 * while (or if) the hub's own search answers otherwise.
 */
export function personMatches(user: User, query: string): boolean {
  const q = foldForSearch(query.trim());
  if (!q) return false;
  return [user.name, user.login, user.branch ?? '', user.position ?? ''].some((s) => foldForSearch(s).includes(q));
}

/** Whether a room matches a room-directory query by its name or topic, folded the same way. */
export function roomMatches(room: { name: string; topic: string }, query: string): boolean {
  const q = foldForSearch(query.trim());
  return !q || foldForSearch(room.name).includes(q) || foldForSearch(room.topic).includes(q);
}
