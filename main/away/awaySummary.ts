import { isMuted, notifyLevel } from '../../common/client/classifyMessage.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import type { DesktopStrings } from '../i18n/DesktopStrings.ts';
import type { NotificationSpec } from '../notify/Notifier.ts';
import { notificationText } from '../notify/notificationText.ts';

/** What the app knew of a conversation before it went away (closed, asleep). */
export type AwayBaseline = Pick<Conversation, 'lastSeq' | 'readSeq' | 'unread' | 'mentions'>;

/** One conversation's share of what came while the user was away. */
export interface AwayEntry {
  conversationId: number;
  name: string;
  direct: boolean;
  /** Messages that would have notified (for a mentions-only room: its mentions). */
  messages: number;
  /** Of those, mentions of the user or @all (rooms only: in a direct conversation every message is personal). */
  mentions: number;
  lastSeq: number;
}

/** The conversations' baseline now (taken when the machine goes to sleep). */
export function awayBaseline(conversations: Readonly<Record<number, Conversation>>): Record<number, AwayBaseline> {
  const out: Record<number, AwayBaseline> = {};
  for (const c of Object.values(conversations))
    out[c.id] = { lastSeq: c.lastSeq, readSeq: c.readSeq, unread: c.unread, mentions: c.mentions };
  return out;
}

/**
 * What came while away, from the hub's unread counts (hello carries them before any catch-up, and
 * they are the hub's own, so a catch-up cannot count twice): against `before` when the app was
 * running (sleep), or every unread message when it was not (`before` null: the app just started).
 * A conversation counts as the notifications would have: never archived or muted ones, nor one
 * set to `none`; a mentions-only room counts only its mentions. Messages the user read elsewhere
 * meanwhile are not counted; the counts cannot tell which old unread ones were read, so then the
 * number is a lower bound.
 */
export function awayEntries(
  conversations: Readonly<Record<number, Conversation>>,
  before: Readonly<Record<number, AwayBaseline>> | null,
  now: number,
): AwayEntry[] {
  const out: AwayEntry[] = [];
  for (const c of Object.values(conversations)) {
    const level = notifyLevel(c);
    if (c.archived || level === 'none' || isMuted(c, now)) continue;
    const base = before?.[c.id];
    if (base && c.lastSeq <= base.lastSeq) continue;
    // Everything unread now is new when the old unread ones were read meanwhile (or there were none).
    const fresh = (current: number, then: number) =>
      !base || c.readSeq >= base.lastSeq ? current : Math.max(0, current - then);
    const unread = fresh(c.unread, base?.unread ?? 0);
    const mentions = c.kind === 'direct' ? 0 : Math.min(unread, fresh(c.mentions, base?.mentions ?? 0));
    const messages = c.kind !== 'direct' && level === 'mentions' ? mentions : unread;
    if (messages === 0) continue;
    out.push({
      conversationId: c.id,
      name: c.name,
      direct: c.kind === 'direct',
      messages,
      mentions,
      lastSeq: c.lastSeq,
    });
  }
  return out;
}

/**
 * The one notification for what came while away: «Пока вас не было: 5 сообщений в 3 разговорах,
 * 2 упоминания», naming the conversations with mentions, then the direct ones, then the rest
 * (newest first in each); a click opens the most important one — the newest with a mention, else
 * the newest direct conversation, else the newest. Null when nothing came.
 */
export function awaySummary(
  entries: readonly AwayEntry[],
  strings: DesktopStrings,
  platform: NodeJS.Platform,
): NotificationSpec | null {
  if (entries.length === 0) return null;
  const rank = (e: AwayEntry) => (e.mentions > 0 ? 0 : e.direct ? 1 : 2);
  const ordered = [...entries].sort((a, b) => rank(a) - rank(b) || b.lastSeq - a.lastSeq);
  const messages = entries.reduce((n, e) => n + e.messages, 0);
  const mentions = entries.reduce((n, e) => n + e.mentions, 0);
  const names = ordered.map((e) => notificationText(e.name, platform));
  return {
    title: strings.away.title(messages, entries.length, mentions),
    body: strings.away.body(names.length > 4 ? [...names.slice(0, 4), '…'] : names),
    conversationId: ordered[0]!.conversationId,
  };
}
