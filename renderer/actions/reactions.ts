import type { MessageView } from '../../common/client/ClientState.ts';
import type { Message } from '../../common/protocol/model.ts';
import { backend } from '../backend/currentBackend.ts';
import { t } from '../i18n/t.ts';
import { clientSnapshot } from '../state/clientState.ts';
import { reactionPicker } from '../state/uiState.ts';
import { attempt, notify } from './notify.ts';

/** The held copy of a message of the loaded window (undefined when it is not loaded). */
export function heldMessage(conversationId: number, seq: number): MessageView | undefined {
  return clientSnapshot().messages[conversationId]?.items.find((m) => m.seq === seq);
}

/** Whether a message can carry reactions at all (the hub refuses system, deleted and unsent ones). */
export function mayReact(
  message: Pick<Message, 'kind' | 'deleted' | 'seq'> & { status?: MessageView['status'] },
): boolean {
  return message.seq > 0 && (message.status ?? 'sent') === 'sent' && message.kind !== 'system' && !message.deleted;
}

/**
 * Whether `emoji` may be added to the message: it is on it already, or the message has fewer
 * distinct emoji than the hub's `maxReactionsPerMessage`.
 */
export function mayAddEmoji(message: Pick<Message, 'reactions'>, emoji: string): boolean {
  const reactions = message.reactions ?? [];
  if (reactions.some((r) => r.emoji === emoji)) return true;
  const limit = clientSnapshot().limits?.maxReactionsPerMessage ?? 20;
  return reactions.length < limit;
}

/** Whether the message has as many distinct emoji as the hub allows. */
export function reactionsFull(message: Pick<Message, 'reactions'>): boolean {
  const limit = clientSnapshot().limits?.maxReactionsPerMessage ?? 20;
  return (message.reactions?.length ?? 0) >= limit;
}

/** Whether the signed-in user has put `emoji` on the message. */
export function reactedWith(message: Pick<Message, 'reactions'>, emoji: string): boolean {
  const me = clientSnapshot().me?.id;
  return me !== undefined && !!message.reactions?.some((r) => r.emoji === emoji && r.userIds.includes(me));
}

/**
 * Puts the user's `emoji` on the message, or takes it back when it is there already (a chip's
 * click, a choice in the picker). Queued through the backend's outbox; the chip shows the change
 * at once. A new emoji over the hub's limit is not sent: a notice says why.
 */
export function toggleReaction(conversationId: number, seq: number, emoji: string): void {
  const message = heldMessage(conversationId, seq);
  if (!message || !mayReact(message)) return;
  const on = !reactedWith(message, emoji);
  if (on && !mayAddEmoji(message, emoji)) {
    const n = clientSnapshot().limits?.maxReactionsPerMessage ?? 20;
    notify(t('reactions.limit', { n }), 'error');
    return;
  }
  void attempt(() => backend().react(conversationId, seq, emoji, on));
}

/**
 * Opens the reaction picker for a message next to `anchor` (the «+» chip, the message menu's
 * «Реакция» item, the row); closing it returns the focus to `anchor`.
 */
export function openReactionPicker(conversationId: number, seq: number, anchor: HTMLElement): void {
  // A click on the «+» that opened the picker closes it (its mousedown, outside the picker), and
  // must not open it again with the click that follows.
  if (dismissed?.anchor === anchor && Date.now() - dismissed.at < 1000) return;
  reactionPicker.value = { conversationId, seq, anchor };
}

let dismissed: { anchor: HTMLElement; at: number } | null = null;

/** Closes the reaction picker; the focus goes back to where it was opened from (unless told not to). */
export function closeReactionPicker(returnFocus = true): void {
  const open = reactionPicker.value;
  reactionPicker.value = null;
  dismissed = open && !returnFocus ? { anchor: open.anchor, at: Date.now() } : null;
  if (dismissed) {
    // Only for the click that goes with this press: once it has reached the document (after the
    // anchor's own handler), the anchor opens the picker again.
    const mark = dismissed;
    document.addEventListener(
      'click',
      () => {
        if (dismissed === mark) dismissed = null;
      },
      { once: true },
    );
  }
  if (!returnFocus || !open) return;
  if (document.contains(open.anchor)) {
    open.anchor.focus();
    return;
  }
  // Opened from a menu that has closed since: the message's row takes the focus instead.
  document.querySelector<HTMLElement>(`[data-message-row][data-seq="${open.seq}"]`)?.focus();
}
