import { backend } from '../backend/currentBackend.ts';
import { applyStatePatch, client, clientSnapshot } from '../state/clientState.ts';
import { compactLayout, membersPanelOpen, sidebarOpen, unreadDivider } from '../state/uiState.ts';
import { sortedConversations } from '../state/selectors.ts';
import { attempt } from './notify.ts';

const lastOpenedKey = 'beseda.lastConversation';

/** Opens a conversation (or none): shows it, and tells the backend which one is on screen. */
export function openConversation(conversationId: number | null): void {
  const state = clientSnapshot();
  const conversation = conversationId === null ? undefined : state.conversations[conversationId];
  if (conversationId !== null && !conversation) return;
  if (conversationId !== state.activeConversationId) {
    unreadDivider.value =
      conversation && conversation.unread > 0
        ? { conversationId: conversation.id, afterSeq: conversation.readSeq }
        : null;
    membersPanelOpen.value = false;
  }
  // Shown at once; the backend confirms with the same patch.
  applyStatePatch({ activeConversationId: conversationId });
  if (compactLayout.value && conversationId !== null) sidebarOpen.value = false;
  try {
    if (conversationId === null) localStorage.removeItem(lastOpenedKey);
    else localStorage.setItem(lastOpenedKey, String(conversationId));
  } catch {
    // Not remembered across reloads; nothing else depends on it.
  }
  void attempt(() => backend().setActiveConversation(conversationId));
}

/** After sign-in or a reload: reopens the conversation last looked at, else the general room. */
export function openInitialConversation(): void {
  const state = clientSnapshot();
  if (state.activeConversationId !== null && state.conversations[state.activeConversationId]) {
    openConversation(state.activeConversationId);
    return;
  }
  let last: number | null = null;
  try {
    last = Number(localStorage.getItem(lastOpenedKey)) || null;
  } catch {
    last = null;
  }
  if (last !== null && state.conversations[last]) return openConversation(last);
  const general = Object.values(state.conversations).find((c) => c.kind === 'general');
  if (general) openConversation(general.id);
}

/** Moves to the previous (-1) or next (+1) conversation in the sidebar's order. */
export function stepConversation(direction: -1 | 1): void {
  const list = sortedConversations(client.conversations.value, client.users.value);
  if (list.length === 0) return;
  const index = list.findIndex((c) => c.id === client.activeConversationId.value);
  const next = index < 0 ? 0 : (index + direction + list.length) % list.length;
  openConversation(list[next]!.id);
}

/** When the page becomes visible again with unread messages in the open conversation, marks where they start. */
export function refreshUnreadDivider(): void {
  const state = clientSnapshot();
  const id = state.activeConversationId;
  const conversation = id === null ? undefined : state.conversations[id];
  if (conversation && conversation.unread > 0) {
    unreadDivider.value = { conversationId: conversation.id, afterSeq: conversation.readSeq };
  }
}

/** Opens the general room (after leaving or losing the open conversation). */
export function openGeneral(): void {
  const general = Object.values(clientSnapshot().conversations).find((c) => c.kind === 'general');
  openConversation(general ? general.id : null);
}
