import { signal } from '@preact/signals';
import type { Deployment } from '../../common/client/Backend.ts';
import type { ReplyQuote } from '../../common/protocol/model.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { forgetDraftSignals, savedDraft, watchDraft } from './draftStore.ts';
import type { Signal } from '@preact/signals';

/** Which dialog is open (one at a time). */
export type DialogState =
  | { kind: 'createRoom' }
  | { kind: 'browseRooms' }
  | { kind: 'newDirect' }
  | { kind: 'roomSettings'; conversationId: number }
  | { kind: 'quickSwitch' }
  // reactions, pins, forwarding (helper B)
  | { kind: 'forward'; conversationId: number; seq: number }
  // a person's profile card (S6)
  | { kind: 'profile'; userId: number };

/** A short notice at the bottom of the screen (an action failed, a setting was saved). */
export interface Toast {
  id: number;
  text: string;
  tone: 'error' | 'info';
}

/** The open dialog, if any. */
export const dialog = signal<DialogState | null>(null);

/** The sidebar's filter text. */
export const sidebarFilter = signal('');

/** Whether the members panel is shown next to the conversation. */
export const membersPanelOpen = signal(false);

/** Compact layout (`?compact=1`, e.g. inside a 1C form): narrow, sidebar collapsible. */
export const compactLayout = signal(new URLSearchParams(location.search).get('compact') === '1');

/** Whether the sidebar is shown (always in the normal layout; toggled in the compact one). */
export const sidebarOpen = signal(true);

/**
 * The read marker of the open conversation as it was when it was opened: the "new messages"
 * divider goes after it. Null: no divider.
 */
export const unreadDivider = signal<{ conversationId: number; afterSeq: number } | null>(null);

/** Announcements whose confirmation is on its way to the hub (their button waits). */
export const confirmingAnnouncements = signal<ReadonlySet<number>>(new Set());

/** Notices on screen. */
export const toasts = signal<readonly Toast[]>([]);

/** Whether the page is visible and focused (what the backend hears as `setVisible`). */
export const pageVisible = signal(true);

const drafts = new Map<number, Signal<string>>();

/**
 * The unsent text of one conversation; kept while switching between conversations, and saved as
 * the conversation's draft (draftStore.ts: it survives a reload and a restart).
 */
export function draftFor(conversationId: number): Signal<string> {
  let draft = drafts.get(conversationId);
  if (!draft) {
    drafts.set(conversationId, (draft = signal(savedDraft(conversationId))));
    watchDraft(conversationId, draft);
  }
  return draft;
}

/** Forgets every draft, reply and edit in progress (sign-out: the next user must not see them). */
export function clearDrafts(): void {
  drafts.clear();
  forgetDraftSignals();
  clearMessageActions();
}

/** Incremented to scroll the open conversation to its newest message (after sending, or the ↓ button). */
export const bottomRequest = signal(0);

/** Where start-up is: waiting for the backend's first state, running, or failed to start. */
export const startup = signal<{ phase: 'starting' | 'ready' } | { phase: 'failed'; message: string }>({
  phase: 'starting',
});

/**
 * A notice for the top of the sign-in form that is not about the form's own attempt (an embed
 * link from a 1C form that has expired). Cleared by a successful sign-in.
 */
export const signInNotice = signal<MessageKey | null>(null);

/** The deployment defaults (pre-filled hub address, whether it is locked). */
export const deployment = signal<Deployment | null>(null);

// ---- reactions, pins, forwarding (helper B) ----

/**
 * The open reaction picker: which message it reacts to and the element it was opened from (it is
 * placed next to it, and focus goes back to it when the picker closes).
 */
export const reactionPicker = signal<{ conversationId: number; seq: number; anchor: HTMLElement } | null>(null);

/** Whether the pinned-messages panel is shown next to the conversation. */
export const pinsPanelOpen = signal(false);
// ---- end of reactions, pins, forwarding ----

// ---- message actions (issue 13): reply, edit, the message menu, jumping to a message ----

const replyTargets = new Map<number, Signal<ReplyQuote | null>>();

/**
 * The message the next message of a conversation answers (the composer's quote bar shows it), as a
 * quote taken when the reply began (the original may leave the loaded window meanwhile); null: none.
 */
export function replyTargetFor(conversationId: number): Signal<ReplyQuote | null> {
  let target = replyTargets.get(conversationId);
  if (!target) replyTargets.set(conversationId, (target = signal<ReplyQuote | null>(null)));
  return target;
}

/** A message being edited in the composer: its seq, the text as it was, and the text being typed. */
export interface EditTarget {
  seq: number;
  original: string;
  text: Signal<string>;
}

const editTargets = new Map<number, Signal<EditTarget | null>>();

/**
 * The message of a conversation the composer is editing (null: it writes a new one). The text
 * being edited lives here, not in the draft, so the unsent draft is still there after the edit.
 */
export function editTargetFor(conversationId: number): Signal<EditTarget | null> {
  let target = editTargets.get(conversationId);
  if (!target) editTargets.set(conversationId, (target = signal<EditTarget | null>(null)));
  return target;
}

function clearMessageActions(): void {
  replyTargets.clear();
  editTargets.clear();
  openMessageMenu.value = null;
  deleteTarget.value = null;
}

/** The open message menu: which message, and where (the pointer's place, or below its «…» button). */
export interface MessageMenuState {
  conversationId: number;
  seq: number;
  x: number;
  y: number;
  /** Opened from the keyboard: its first item takes the focus. */
  byKeyboard: boolean;
}

/** The open message menu, if any (one at a time). */
export const openMessageMenu = signal<MessageMenuState | null>(null);

/** The message the delete confirmation asks about, if it is open. */
export const deleteTarget = signal<{ conversationId: number; seq: number } | null>(null);

/** The message row that keeps the list's one tab stop (roving focus), by its row key; null: the newest. */
export const focusedMessageKey = signal<string | null>(null);

/**
 * A request to bring a message into view (a reply's quote, a message link): the list shows it once
 * it is loaded; `nonce` tells one request from the next for the same message.
 */
export const jumpRequest = signal<{ conversationId: number; seq: number; nonce: number } | null>(null);

/** The message highlighted for a moment after a jump. */
export const highlightedMessage = signal<{ conversationId: number; seq: number } | null>(null);
