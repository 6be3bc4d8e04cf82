import { effect, untracked } from '@preact/signals';
import { client } from '../state/clientState.ts';
import { openGeneral, openInitialConversation } from './conversations.ts';

/**
 * Keeps a conversation open while signed in: opens one once the list arrives, and moves to the
 * general room when the open one disappears (left, removed from it). Returns the stop function.
 */
export function followState(): () => void {
  return effect(() => {
    const me = client.me.value;
    const conversations = client.conversations.value;
    const active = client.activeConversationId.value;
    if (!me) return;
    if (active === null) {
      if (Object.keys(conversations).length > 0) untracked(openInitialConversation);
    } else if (!conversations[active]) {
      untracked(openGeneral);
    }
  });
}
