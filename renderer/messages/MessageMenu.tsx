import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { MessageView } from '../../common/client/ClientState.ts';
import { actionsFor, closeMenu, messageRowElement, runAction } from '../actions/messageMenu.ts';
import type { MessageAction } from '../actions/messageRules.ts';
import { ActionIcon } from '../components/ActionIcons.tsx';
import { t } from '../i18n/t.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { client } from '../state/clientState.ts';
import { openMessageMenu } from '../state/uiState.ts';
import type { MessageMenuState } from '../state/uiState.ts';
import { menuKeyDown } from '../ui/menuKeyDown.ts';
import { MenuIcon } from './MenuIcon.tsx';

const labels: Record<MessageAction, MessageKey> = {
  reply: 'msgActions.reply',
  react: 'msgActions.react',
  edit: 'msgActions.edit',
  delete: 'msgActions.delete',
  pin: 'msgActions.pin',
  unpin: 'msgActions.unpin',
  forward: 'msgActions.forward',
  copyText: 'msgActions.copyText',
  copyLink: 'msgActions.copyLink',
};

function ItemIcon({ action }: { action: MessageAction }): JSX.Element {
  switch (action) {
    case 'react':
      return <ActionIcon name="smilePlus" size={18} />;
    case 'pin':
    case 'unpin':
      return <ActionIcon name="pin" size={18} />;
    case 'forward':
      return <ActionIcon name="forward" size={18} />;
    case 'reply':
      return <MenuIcon name="reply" />;
    case 'edit':
      return <MenuIcon name="edit" />;
    case 'delete':
      return <MenuIcon name="trash" />;
    case 'copyText':
      return <MenuIcon name="copy" />;
    case 'copyLink':
      return <MenuIcon name="link" />;
  }
}

/** Keeps the menu inside the window: flipped above or left of its point when it would not fit. */
function place(menu: HTMLElement, x: number, y: number): void {
  const { width, height } = menu.getBoundingClientRect();
  const margin = 6;
  let left = x;
  let top = y;
  if (left + width > innerWidth - margin) left = x - width;
  if (top + height > innerHeight - margin) top = y - height - 4;
  left = Math.max(margin, Math.min(left, innerWidth - width - margin));
  top = Math.max(margin, Math.min(top, innerHeight - height - margin));
  menu.style.left = `${Math.round(left)}px`;
  menu.style.top = `${Math.round(top)}px`;
}

function Popup({ open, message }: { open: MessageMenuState; message: MessageView }): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const actions = actionsFor(message);

  useLayoutEffect(() => {
    const menu = ref.current!;
    place(menu, open.x, open.y);
    menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus({ preventScroll: true });
  }, [open]);

  // A press outside, a scroll of the list or a resize closes it (it would float off its message).
  // Listening from the moment the menu is in the page (a layout effect): useEffect runs up to a
  // frame later, and a press outside in that gap would leave the menu open.
  useLayoutEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (!(e.target instanceof Node) || !ref.current?.contains(e.target)) closeMenu(false);
    };
    // Scrolled by the user, that is: the list's own settling (or bringing the row into view just
    // before opening) leaves its position where it was when the menu opened.
    const list = document.querySelector<HTMLElement>('.messages');
    const startTop = list?.scrollTop ?? 0;
    const onScroll = (e: Event) => {
      if (list && e.target === list && Math.abs(list.scrollTop - startTop) > 8) closeMenu(false);
    };
    const onResize = () => closeMenu(false);
    document.addEventListener('pointerdown', onDown, true);
    document.addEventListener('scroll', onScroll, true);
    window.addEventListener('resize', onResize);
    return () => {
      document.removeEventListener('pointerdown', onDown, true);
      document.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onResize);
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent) =>
    menuKeyDown(
      e,
      ref.current!,
      () => closeMenu(true),
      (tab) => {
        // Kept on the message rather than moved on from a menu that floats outside the tab order.
        tab.preventDefault();
        closeMenu(true);
      },
    );

  const choose = (action: MessageAction) => {
    const anchor =
      messageRowElement(message.conversationId, message.seq) ?? document.querySelector<HTMLElement>('.messages')!;
    // Back on the message first: what the item opens (a picker, a dialog) returns the focus there.
    closeMenu(true);
    runAction(action, message, anchor);
  };

  return (
    <div
      ref={ref}
      class="msg-menu"
      role="menu"
      aria-label={t('msgActions.menu')}
      style={{ left: `${open.x}px`, top: `${open.y}px` }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          role="menuitem"
          tabIndex={-1}
          class={action === 'delete' ? 'menu-item danger' : 'menu-item'}
          data-action={action}
          onClick={() => choose(action)}
        >
          <ItemIcon action={action} />
          <span>{t(labels[action])}</span>
        </button>
      ))}
    </div>
  );
}

/**
 * The open message menu of the conversation on screen: role="menu" at the pointer or under the
 * message's «…» button, only the items the user may do; arrows, Home and End move, Enter chooses,
 * Esc and Tab close it with the focus back on the message. A message that went away (deleted
 * elsewhere, out of the window) closes it.
 */
export function MessageMenu({ conversationId }: { conversationId: number }): JSX.Element | null {
  const open = openMessageMenu.value;
  const items = client.messages.value[conversationId]?.items;
  const message = open && open.conversationId === conversationId ? items?.find((m) => m.seq === open.seq) : undefined;
  useEffect(() => {
    if (open && (!message || actionsFor(message).length === 0)) openMessageMenu.value = null;
  });
  if (!open || !message || actionsFor(message).length === 0) return null;
  return <Popup key={`${open.seq}:${open.x}:${open.y}`} open={open} message={message} />;
}
