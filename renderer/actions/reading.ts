import { backend } from '../backend/currentBackend.ts';
import { clientSnapshot } from '../state/clientState.ts';
import { bottomRequest } from '../state/uiState.ts';
import { jumpToMessage } from './messageLinks.ts';
import { attempt } from './notify.ts';

/** Older pages loaded at most to reach the read marker when the hub cannot open a window around it. */
const maxLandingPages = 40;

/** Pages loaded at most looking for the next unread mention. */
const maxMentionPages = 20;

/** The user has seen the conversation up to `seq` (the read marker moves there; the core checks the rest). */
export function markSeen(conversationId: number, seq: number): void {
  const c = clientSnapshot().conversations[conversationId];
  if (!c || seq <= c.readSeq) return;
  void backend()
    .markSeen(conversationId, seq)
    .catch(() => {
      // Offline or signed out: the list reports what was seen again when the marker is behind it.
    });
}

/** Loads the next newer page of a window opened around an older message. */
export function loadNewer(conversationId: number): Promise<void> {
  return backend()
    .loadNewer(conversationId)
    .catch(() => undefined);
}

function windowOf(conversationId: number) {
  return clientSnapshot().messages[conversationId];
}

function firstHeldSeq(conversationId: number): number | undefined {
  return windowOf(conversationId)?.items.find((m) => m.status === 'sent' && m.seq > 0)?.seq;
}

/** Whether the window holds the message after which the conversation's unread part starts. */
export function coversMarker(conversationId: number, afterSeq: number): boolean {
  const win = windowOf(conversationId);
  if (!win) return false;
  const first = firstHeldSeq(conversationId);
  return !win.hasOlder || (first !== undefined && first <= afterSeq);
}

/**
 * Brings the start of the unread part into the window (the «Новые сообщения» divider goes after
 * `afterSeq`): the client core opens a window around the read marker, or, when the hub has no
 * such message (a marker from before the user joined), older pages are loaded until it is reached.
 */
export async function landOnUnread(conversationId: number, afterSeq: number): Promise<void> {
  if (coversMarker(conversationId, afterSeq)) return;
  const found =
    afterSeq > 0
      ? await backend()
          .showMessage(conversationId, afterSeq)
          .catch(() => false)
      : false;
  if (found && coversMarker(conversationId, afterSeq)) return;
  for (let page = 0; page < maxLandingPages && !coversMarker(conversationId, afterSeq); page++) {
    if (clientSnapshot().activeConversationId !== conversationId) return;
    const before = firstHeldSeq(conversationId);
    await backend()
      .loadOlder(conversationId)
      .catch(() => undefined);
    if (firstHeldSeq(conversationId) === before) return;
  }
}

/** The «↓» button: to the newest message (a window opened around an older one is replaced by the newest page). */
export async function jumpToNewest(conversationId: number): Promise<void> {
  if (windowOf(conversationId)?.hasNewer) await attempt(() => backend().jumpToLatest(conversationId));
  bottomRequest.value += 1;
}

/** The unread messages of the held window that mention the user (or everyone), oldest first. */
export function unreadMentionSeqs(conversationId: number): number[] {
  const state = clientSnapshot();
  const c = state.conversations[conversationId];
  const me = state.me?.id;
  if (!c || me === undefined) return [];
  return (windowOf(conversationId)?.items ?? [])
    .filter(
      (m) =>
        m.status === 'sent' &&
        m.seq > c.readSeq &&
        m.senderId !== me &&
        m.kind !== 'system' &&
        !m.deleted &&
        (m.mentionsAll || m.mentions.includes(me)),
    )
    .map((m) => m.seq);
}

/**
 * The «@» button: jumps to the next unread mention of the user after `afterSeq` (the first one
 * again after the last), loading newer pages (or older ones down to the read marker) when the
 * window does not hold it. Resolves to the seq jumped to, or null when none was found.
 */
export async function jumpToNextMention(conversationId: number, afterSeq: number): Promise<number | null> {
  for (let page = 0; page <= maxMentionPages; page++) {
    const seqs = unreadMentionSeqs(conversationId);
    const next = seqs.find((s) => s > afterSeq);
    if (next !== undefined) return (await jumpToMessage(conversationId, next)) ? next : null;
    const win = windowOf(conversationId);
    const c = clientSnapshot().conversations[conversationId];
    if (!win || !c || c.mentions === 0) return null;
    if (win.hasNewer) await loadNewer(conversationId);
    else if (!coversMarker(conversationId, c.readSeq)) {
      const before = firstHeldSeq(conversationId);
      await backend()
        .loadOlder(conversationId)
        .catch(() => undefined);
      if (firstHeldSeq(conversationId) === before) return null;
    } else if (seqs.length > 0) {
      // Past the last one: round again from the first.
      return (await jumpToMessage(conversationId, seqs[0]!)) ? seqs[0]! : null;
    } else return null;
  }
  return null;
}
