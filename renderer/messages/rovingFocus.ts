import { signal } from '@preact/signals';
import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { justOpenedByKey, openMenu } from '../actions/messageMenu.ts';
import { focusedMessageKey } from '../state/uiState.ts';

/**
 * The row key of the one message row Tab reaches (roving focus): the list sets it to the row the
 * user last focused while it is loaded, else to the newest message.
 */
export const rovingKey = signal<string | null>(null);

/** The message rows in the list, in order (only the rendered ones: the list is virtualized). */
function rowsOf(row: HTMLElement): HTMLElement[] {
  const list = row.closest('.messages');
  return list ? [...list.querySelectorAll<HTMLElement>('[data-message-row]')] : [];
}

/** Moves the focus to the message above or below; at the rendered edge the list scrolls to bring more in first. */
function step(row: HTMLElement, direction: -1 | 1): void {
  const rows = rowsOf(row);
  const next = rows[rows.indexOf(row) + direction];
  if (next) {
    next.focus();
    next.scrollIntoView({ block: 'nearest' });
    return;
  }
  const list = row.closest<HTMLElement>('.messages');
  if (!list) return;
  list.scrollBy(0, direction * Math.max(120, list.clientHeight / 3));
  requestAnimationFrame(() => {
    const again = rowsOf(row);
    again[again.indexOf(row) + direction]?.focus();
  });
}

/** Where a menu opened from the keyboard goes: under the row's «…» button, else at the row's top. */
function menuPoint(row: HTMLElement): { x: number; y: number } {
  row.scrollIntoView({ block: 'nearest' });
  const button = row.querySelector<HTMLElement>('.msg-more');
  const rect = (button && button.getClientRects().length > 0 ? button : row).getBoundingClientRect();
  return { x: rect.left, y: rect.bottom + 2 };
}

/**
 * What makes a message row a keyboard stop: focusable (one row at a time in Tab order), ↑/↓ move
 * between messages, the ContextMenu key or Shift+F10 opens the message menu, a right-click opens it
 * at the pointer (unless text is selected in the message: then the browser's own menu copies it).
 * Keys typed inside the row's links and buttons are theirs.
 */
export function rowProps(
  message: MessageView,
  key: string,
): Pick<JSX.HTMLAttributes<HTMLDivElement>, 'tabIndex' | 'onKeyDown' | 'onFocus' | 'onContextMenu'> {
  return {
    tabIndex: rovingKey.value === key ? 0 : -1,
    onFocus: (e) => {
      if (e.target === e.currentTarget) focusedMessageKey.value = key;
    },
    onKeyDown: (e) => {
      if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
      const row = e.currentTarget;
      if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && !e.shiftKey) {
        e.preventDefault();
        step(row, e.key === 'ArrowUp' ? -1 : 1);
      } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
        e.preventDefault();
        const { x, y } = menuPoint(row);
        openMenu(message, x, y, true);
      }
    },
    onContextMenu: (e) => {
      if (message.status !== 'sent' || message.kind === 'system') return;
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed && e.currentTarget.contains(selection.anchorNode)) return;
      e.preventDefault();
      if (justOpenedByKey(message)) return;
      openMenu(message, e.clientX, e.clientY, false);
    },
  };
}
