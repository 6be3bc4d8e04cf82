import { client } from './clientState.ts';
import { compactLayout, sidebarOpen } from './uiState.ts';

/** Below this width the chat takes the whole window and the sidebar folds away behind a button. */
export const narrowQuery = '(max-width: 700px)';

/**
 * Follows the window's width: a narrow window gets the compact layout (the sidebar collapses
 * behind a button, the chat takes the width), a wide one goes back to the layout it was opened
 * with (`?compact=1` stays compact). Returns the function that stops following.
 */
export function followNarrowWindow(): () => void {
  if (typeof matchMedia !== 'function') return () => undefined;
  const asked = compactLayout.value;
  const query = matchMedia(narrowQuery);
  const apply = (narrow: boolean) => {
    const compact = asked || narrow;
    if (compact === compactLayout.value) return;
    compactLayout.value = compact;
    // Narrowed with a conversation open: the conversation keeps the width. Widened: the sidebar is back.
    sidebarOpen.value = !compact || client.activeConversationId.value === null;
  };
  apply(query.matches);
  const onChange = (e: MediaQueryListEvent) => apply(e.matches);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
