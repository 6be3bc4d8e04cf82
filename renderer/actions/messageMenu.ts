import type { MessageView } from '../../common/client/ClientState.ts';
import { t } from '../i18n/t.ts';
import { clientSnapshot } from '../state/clientState.ts';
import { now } from '../state/clock.ts';
import { openMessageMenu } from '../state/uiState.ts';
import { copyText } from './copyText.ts';
import { askDelete, startEdit, startReply } from './editing.ts';
import { openForwardDialog } from './forward.ts';
import { messageLink } from './messageLinks.ts';
import { messageActions } from './messageRules.ts';
import type { MessageAction, RuleContext } from './messageRules.ts';
import { mayPin, togglePin } from './pins.ts';
import { openReactionPicker } from './reactions.ts';

/** The rules' view of the state now (who the user is, the conversation, the hub's limits). */
export function ruleContext(conversationId: number): RuleContext {
  const state = clientSnapshot();
  return {
    me: state.me,
    conversation: state.conversations[conversationId],
    limits: state.limits,
    now: Math.max(Date.now(), now.value),
    mayPin,
  };
}

/** The items the menu of this message offers now. */
export function actionsFor(message: MessageView): MessageAction[] {
  return messageActions(message, ruleContext(message.conversationId));
}

/** The row of a message in the list, if it is rendered. */
export function messageRowElement(conversationId: number, seq: number): HTMLElement | null {
  if (clientSnapshot().activeConversationId !== conversationId) return null;
  return document.querySelector<HTMLElement>(`.messages [data-message-row][data-seq="${seq}"]`);
}

let openedByKeyAt = 0;

/**
 * Opens a message's menu at a point on screen (the pointer, or under the «…» button). Nothing
 * opens for a message with no items (pending, failed, system).
 */
export function openMenu(message: MessageView, x: number, y: number, byKeyboard: boolean): void {
  if (actionsFor(message).length === 0) return;
  if (byKeyboard) openedByKeyAt = Date.now();
  openMessageMenu.value = { conversationId: message.conversationId, seq: message.seq, x, y, byKeyboard };
}

/**
 * True while the menu of this message is open from a keypress a moment ago: the ContextMenu key and
 * Shift+F10 may be followed by a `contextmenu` event, which must not open it again at the pointer.
 */
export function justOpenedByKey(message: MessageView): boolean {
  const open = openMessageMenu.value;
  return (
    open !== null &&
    open.byKeyboard &&
    open.conversationId === message.conversationId &&
    open.seq === message.seq &&
    Date.now() - openedByKeyAt < 600
  );
}

/** Closes the menu; `refocus`: the focus goes back to the message it was opened on. */
export function closeMenu(refocus: boolean): void {
  const open = openMessageMenu.value;
  openMessageMenu.value = null;
  if (refocus && open) messageRowElement(open.conversationId, open.seq)?.focus({ preventScroll: true });
}

/** Does what a menu item says. `anchor`: where a picker opened by it goes (the message's row). */
export function runAction(action: MessageAction, message: MessageView, anchor: HTMLElement): void {
  switch (action) {
    case 'reply':
      return startReply(message);
    case 'react':
      return openReactionPicker(message.conversationId, message.seq, anchor);
    case 'edit':
      return startEdit(message);
    case 'delete':
      return askDelete(message);
    case 'pin':
    case 'unpin':
      return togglePin(message);
    case 'forward':
      return openForwardDialog(message.conversationId, message.seq);
    case 'copyText':
      void copyText(message.text, t('msgActions.textCopied'));
      return;
    case 'copyLink': {
      const hubUrl = clientSnapshot().hubUrl;
      if (hubUrl) void copyText(messageLink(hubUrl, message.conversationId, message.seq), t('msgActions.linkCopied'));
      return;
    }
  }
}
