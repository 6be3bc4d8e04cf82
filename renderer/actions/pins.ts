import type { MessageView } from '../../common/client/ClientState.ts';
import type { Message } from '../../common/protocol/model.ts';
import { pinRefusal } from '../../common/protocol/messagePermissions.ts';
import { backend } from '../backend/currentBackend.ts';
import { clientSnapshot } from '../state/clientState.ts';
import { t } from '../i18n/t.ts';
import { attempt, notify } from './notify.ts';

/** What {@link mayPin} looks at: a message in the window or one of the pinned list. */
type PinTarget = Pick<Message, 'conversationId' | 'kind' | 'deleted' | 'seq'> & { status?: MessageView['status'] };

/**
 * Whether the signed-in user may pin or unpin this message, by the hub's rule: a direct
 * conversation both people; the general room administrators; a room its `pinRule` (`members`,
 * the default: anyone in it; `owners`: the owner and administrators). Never system, deleted or
 * unsent messages. The UI hides what the hub would refuse; the hub checks again.
 */
export function mayPin(message: MessageView | PinTarget): boolean {
  if (message.seq <= 0 || (message.status ?? 'sent') !== 'sent') return false;
  if (message.kind === 'system' || message.deleted) return false;
  const state = clientSnapshot();
  const me = state.me;
  const conversation = state.conversations[message.conversationId];
  if (!me || !conversation) return false;
  return pinRefusal({ userId: me.id, isAdmin: me.isAdmin }, message, conversation) === null;
}

/** Pins the message, or unpins it when it is pinned; queued like every message action. */
export function togglePin(message: MessageView | (PinTarget & Pick<Message, 'pinned'>)): void {
  if (!mayPin(message)) return;
  void attempt(() => backend().pin(message.conversationId, message.seq, !message.pinned));
}

const loadedFor = new Set<string>();

/**
 * Loads the pinned messages of a conversation once per person and conversation (the client core
 * keeps them current with updates afterwards); a failure lets the next opening try again.
 */
export function loadPinsOnce(conversationId: number): void {
  const key = `${clientSnapshot().me?.id ?? 0}:${conversationId}`;
  if (loadedFor.has(key) && clientSnapshot().pins[conversationId]) return;
  loadedFor.add(key);
  void backend()
    .loadPins(conversationId)
    .catch(() => {
      // Offline or refused: the header just shows no count; the next opening asks again.
      loadedFor.delete(key);
    });
}

/** Sets who may pin messages in a room (its owner or an administrator); a notice says it is saved. */
export async function setPinRule(conversationId: number, pinRule: 'members' | 'owners'): Promise<boolean> {
  const ok = await attempt(() =>
    backend()
      .updateRoom(conversationId, { pinRule })
      .then(() => true),
  );
  if (ok) notify(t('pins.ruleSaved'));
  return ok === true;
}
