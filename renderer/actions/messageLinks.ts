import { backend } from '../backend/currentBackend.ts';
import { t } from '../i18n/t.ts';
import { clientSnapshot } from '../state/clientState.ts';
import { highlightedMessage, jumpRequest } from '../state/uiState.ts';
import { openConversation } from './conversations.ts';
import { attempt, notify } from './notify.ts';

/** Where a message link points: a conversation and a message in it. */
export interface MessageAddress {
  conversationId: number;
  seq: number;
}

const route = /^#\/c\/([1-9]\d{0,15})\/m\/([1-9]\d{0,15})$/;

/** How long a message jumped to stays highlighted. */
export const highlightMs = 2000;

/** The hub address without a trailing slash (a link is the hub's page plus a fragment). */
function hubBase(hubUrl: string): string {
  return hubUrl.replace(/\/+$/, '');
}

/** The link to a message: `<hubUrl>/#/c/<conversationId>/m/<seq>` (the web client opens it there). */
export function messageLink(hubUrl: string, conversationId: number, seq: number): string {
  return `${hubBase(hubUrl)}/#/c/${conversationId}/m/${seq}`;
}

/** The message a page fragment (`#/c/12/m/345`) names, or null. */
export function parseMessageHash(hash: string): MessageAddress | null {
  const m = route.exec(hash);
  if (!m) return null;
  const conversationId = Number(m[1]);
  const seq = Number(m[2]);
  return Number.isSafeInteger(conversationId) && Number.isSafeInteger(seq) ? { conversationId, seq } : null;
}

/**
 * The message a link names when it is a message link of this hub (same origin and path as
 * `hubUrl`, then the fragment), else null: links to other hubs or pages stay ordinary links.
 */
export function parseMessageLink(href: string, hubUrl: string | null): MessageAddress | null {
  if (!hubUrl) return null;
  let url: URL;
  let hub: URL;
  try {
    url = new URL(href);
    hub = new URL(hubBase(hubUrl));
  } catch {
    return null;
  }
  if (url.origin !== hub.origin || url.username || url.password || url.search) return null;
  const path = (p: string) => p.replace(/\/+$/, '');
  if (path(url.pathname) !== path(hub.pathname)) return null;
  return parseMessageHash(url.hash);
}

let nonce = 0;
let highlightTimer: ReturnType<typeof setTimeout> | undefined;

function highlight(address: MessageAddress): void {
  clearTimeout(highlightTimer);
  highlightedMessage.value = { ...address };
  highlightTimer = setTimeout(() => {
    const now = highlightedMessage.value;
    if (now?.conversationId === address.conversationId && now.seq === address.seq) highlightedMessage.value = null;
  }, highlightMs);
}

/**
 * Brings a message of the open conversation into view and highlights it for a moment: the client
 * core loads older history until the message is in the window (a reply's original, a link);
 * a notice says so when the hub has no such message for the user.
 */
export async function jumpToMessage(conversationId: number, seq: number): Promise<boolean> {
  const found = await attempt(() => backend().showMessage(conversationId, seq));
  if (found === undefined) return false;
  if (!found) {
    notify(t('msgActions.notFound'), 'error');
    return false;
  }
  // The user moved to another conversation meanwhile: opening that one later must not jump.
  if (clientSnapshot().activeConversationId !== conversationId) return false;
  highlight({ conversationId, seq });
  const shown = visibleRow(seq);
  // Already on screen: the list stays where it is; only the focus moves there.
  if (shown) shown.focus({ preventScroll: true });
  else jumpRequest.value = { conversationId, seq, nonce: ++nonce };
  return true;
}

/** The open conversation's row of the message when it is entirely within the list's view. */
function visibleRow(seq: number): HTMLElement | null {
  const list = document.querySelector<HTMLElement>('.messages');
  const row = list?.querySelector<HTMLElement>(`[data-message-row][data-seq="${seq}"]`);
  if (!list || !row) return null;
  const view = list.getBoundingClientRect();
  const box = row.getBoundingClientRect();
  return box.top >= view.top && box.bottom <= view.bottom ? row : null;
}

/** Opens the conversation a message link names and jumps to the message (a notice if not found). */
export function openMessage(address: MessageAddress): void {
  if (!clientSnapshot().conversations[address.conversationId]) {
    notify(t('msgActions.notFound'), 'error');
    return;
  }
  openConversation(address.conversationId);
  void jumpToMessage(address.conversationId, address.seq);
}

/**
 * A click on a link inside a message: a message link of this hub opens the message here instead
 * of a browser tab. Handled in the capture phase, so the link's own handler (which would open it
 * outside) never runs. Modified clicks (Ctrl, middle button) are left to the browser.
 */
export function interceptMessageLink(e: MouseEvent): void {
  if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  const anchor = e.target instanceof Element ? e.target.closest('a[href]') : null;
  if (!anchor) return;
  const address = parseMessageLink(anchor.getAttribute('href') ?? '', clientSnapshot().hubUrl);
  if (!address) return;
  e.preventDefault();
  e.stopPropagation();
  openMessage(address);
}

/**
 * The page was opened at (or moved to) a message address, `#/c/<conversation>/m/<seq>`: opens it
 * once the conversations are known, then drops the fragment so a reload does not jump again.
 * True when the fragment was a message address.
 */
export function followMessageHash(): boolean {
  const address = parseMessageHash(location.hash);
  if (!address) return false;
  history.replaceState(null, '', location.pathname + location.search);
  openMessage(address);
  return true;
}
