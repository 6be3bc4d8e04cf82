import { backend } from '../backend/currentBackend.ts';
import { pageVisible } from '../state/uiState.ts';
import { refreshUnreadDivider } from './conversations.ts';

function isVisible(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

/**
 * Tells the backend whether the user can see the page (visible tab, focused window): read
 * markers move only then, and notifications are kept for when the user is elsewhere.
 */
export function trackVisibility(): void {
  const update = () => {
    const visible = isVisible();
    if (visible === pageVisible.value) return;
    // Mark where the unread part starts before the backend moves the read marker past it.
    if (visible) refreshUnreadDivider();
    pageVisible.value = visible;
    void backend()
      .setVisible(visible)
      .catch(() => {
        // The backend is gone (page closing) or offline: it learns the state on the next change.
      });
  };
  pageVisible.value = isVisible();
  void backend()
    .setVisible(pageVisible.value)
    .catch(() => {});
  document.addEventListener('visibilitychange', update);
  window.addEventListener('focus', update);
  window.addEventListener('blur', update);
}
