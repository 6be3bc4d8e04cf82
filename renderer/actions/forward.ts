import { backend } from '../backend/currentBackend.ts';
import { t } from '../i18n/t.ts';
import { clientSnapshot } from '../state/clientState.ts';
import { conversationName } from '../state/selectors.ts';
import { dialog } from '../state/uiState.ts';
import { attempt, notify } from './notify.ts';

/** Opens the «Переслать сообщение» dialog for a message of a conversation. */
export function openForwardDialog(conversationId: number, seq: number): void {
  dialog.value = { kind: 'forward', conversationId, seq };
}

/**
 * Forwards the message to another of the user's conversations (queued like a send: it shows
 * there at once as pending) and says where it went.
 */
export async function forwardMessage(
  fromConversationId: number,
  seq: number,
  toConversationId: number,
): Promise<boolean> {
  const ok = await attempt(() =>
    backend()
      .forward(fromConversationId, seq, toConversationId)
      .then(() => true),
  );
  if (ok !== true) return false;
  const state = clientSnapshot();
  const target = state.conversations[toConversationId];
  notify(t('forward.done', { name: target ? conversationName(target, state.users) : String(toConversationId) }));
  return true;
}
