import type { OutgoingFile, SendOptions } from '../../common/client/Backend.ts';
import { backend } from '../backend/currentBackend.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { clientSnapshot } from '../state/clientState.ts';
import { composerFilesFor } from '../state/composerFiles.ts';
import type { ComposerFile } from '../state/composerFiles.ts';
import { confirmingAnnouncements, draftFor, replyTargetFor } from '../state/uiState.ts';
import { isSafeExternalUrl } from '../text/linkify.ts';
import { attachmentProblem, readAttached, release } from './attachments.ts';
import { attempt, notify } from './notify.ts';

/**
 * How often keystrokes are passed on as "I am typing" (the client core sends at most one every few
 * seconds itself; this only spares the desktop bridge a call per keystroke).
 */
const typingEveryMs = 1000;
let lastTyping = { conversationId: 0, at: 0 };

/**
 * Sends the text and the files attached in the composer (the message shows at once as pending)
 * and clears the draft and the strip. Attached files the hub would refuse (too large, too many)
 * are not sent: the strip flags them and a notice says why. Sends of one page go out in order,
 * though reading files takes a moment. A reply being written (the composer's quote bar) goes with
 * it as `replyTo`, and the bar closes.
 */
export function sendMessage(conversationId: number, text: string): boolean {
  const body = text.replace(/^\s*\n|\s+$/g, '');
  const strip = composerFilesFor(conversationId);
  const files = strip.value;
  if (!body.trim() && files.length === 0) return false;
  const problem = files.length > 0 ? attachmentProblem(files, language.value) : null;
  if (problem) {
    notify(problem, 'error');
    return false;
  }
  const reply = replyTargetFor(conversationId);
  const options: SendOptions | undefined = reply.value ? { replyTo: reply.value.seq } : undefined;
  reply.value = null;
  draftFor(conversationId).value = '';
  strip.value = [];
  lastTyping = { conversationId: 0, at: 0 };
  sending = sending.then(() => deliver(conversationId, body, files, options));
  return true;
}

let sending: Promise<void> = Promise.resolve();

async function deliver(
  conversationId: number,
  body: string,
  files: readonly ComposerFile[],
  options: SendOptions | undefined,
): Promise<void> {
  let outgoing: OutgoingFile[] = [];
  try {
    outgoing = await Promise.all(files.map(readAttached));
  } catch {
    // The file went away (moved, deleted, a folder was dropped): give the message back to fix.
    notify(t('files.readFailed'), 'error');
    const strip = composerFilesFor(conversationId);
    strip.value = [...files, ...strip.value];
    if (!draftFor(conversationId).value) draftFor(conversationId).value = body;
    return;
  }
  release(files);
  await attempt(() => {
    if (options) return backend().send(conversationId, body, outgoing, options);
    return outgoing.length > 0 ? backend().send(conversationId, body, outgoing) : backend().send(conversationId, body);
  });
}

/** Tells the others the user is typing, at most every few seconds. */
export function noteTyping(conversationId: number): void {
  const now = Date.now();
  if (lastTyping.conversationId === conversationId && now - lastTyping.at < typingEveryMs) return;
  lastTyping = { conversationId, at: now };
  void backend()
    .typing(conversationId)
    .catch(() => {
      // Typing is best effort: offline, it simply is not shown.
    });
}

/** Sends a failed message again. */
export function retryMessage(clientId: string): void {
  void attempt(() => backend().retry(clientId));
}

/** Drops a failed message, or cancels a pending one's upload (its files are forgotten). */
export function discardMessage(clientId: string): void {
  void attempt(() => backend().discard(clientId));
}

/** Conversations with an older page being asked for, each with whether it was asked for again meanwhile. */
const loading = new Map<number, boolean>();

/**
 * Loads an older page of history (once at a time per conversation). A call made while one is under
 * way is not dropped but made once that one has ended: the state says the load is over (and the
 * list, still near the top, asks for the next page) a moment before this call's own await returns,
 * and a dropped ask would leave the reader at the top with nothing more coming until they scroll.
 */
export async function loadOlder(conversationId: number): Promise<void> {
  if (loading.has(conversationId)) {
    loading.set(conversationId, true);
    return;
  }
  loading.set(conversationId, false);
  try {
    await attempt(() => backend().loadOlder(conversationId));
  } finally {
    const again = loading.get(conversationId) === true;
    loading.delete(conversationId);
    if (again) void loadOlder(conversationId);
  }
}

/**
 * Confirms having read an announcement (once at a time). The client core unpins it when the hub
 * has recorded it, here and on the user's other devices; nothing is remembered in the page.
 */
export async function confirmAnnouncement(seq: number): Promise<void> {
  if (confirmingAnnouncements.value.has(seq)) return;
  confirmingAnnouncements.value = new Set([...confirmingAnnouncements.value, seq]);
  try {
    await attempt(() => backend().confirmAnnouncement(seq));
  } finally {
    const next = new Set(confirmingAnnouncements.value);
    next.delete(seq);
    confirmingAnnouncements.value = next;
  }
}

const askedMembersOf = new Set<string>();

/**
 * Makes the sender of a pinned announcement known by name, once per conversation: the client core
 * does not look up the senders of the pending list it loads after a reconnect, and a sender who has
 * written nothing else on screen would otherwise show as "user #N". `members()` brings every
 * member of the conversation the client does not know yet into the state.
 */
export function learnAnnouncementSender(conversationId: number): void {
  // Per person too: after a sign-out the next person's client knows nobody again.
  const key = `${clientSnapshot().me?.id ?? 0}:${conversationId}`;
  if (askedMembersOf.has(key)) return;
  askedMembersOf.add(key);
  void backend()
    .members(conversationId)
    .catch(() => {
      // Offline or gone: the next time the banner needs the name it asks again.
      askedMembersOf.delete(key);
    });
}

/**
 * Opens a link outside the app. Only links the text would show as links get here, but the check
 * is repeated (a mail link with parameters or an address with credentials is refused with a
 * notice); the desktop app's main process checks once more.
 */
export function openLink(url: string): void {
  if (!isSafeExternalUrl(url)) {
    notify(t('link.refused'), 'error');
    return;
  }
  void attempt(() => backend().openExternal(url));
}
