import type { MessageView } from '../../common/client/ClientState.ts';
import { dayKey } from '../format/dates.ts';

/** One row of the message list: a date separator, the "new messages" divider, or a message. */
export type Row =
  | { kind: 'day'; key: string; ts: number }
  | { kind: 'unread'; key: string }
  | {
      kind: 'message';
      key: string;
      message: MessageView;
      /** First of a run by the same author: shows the avatar and name. */
      groupStart: boolean;
      /** Last of such a run: a little more space below. */
      groupEnd: boolean;
    };

/** Messages by the same author closer than this stay in one group. */
export const groupGapMs = 5 * 60_000;

/** The stable key of a message row: the sender's client id survives the pending → sent change. */
export function messageKey(m: MessageView): string {
  return m.clientId ? `m${m.senderId}:${m.clientId}` : `s${m.seq}`;
}

function groupable(m: MessageView): boolean {
  return m.kind === 'text';
}

/** Whether `next` continues the group of `prev` (same author and name, close in time). */
export function continuesGroup(prev: MessageView, next: MessageView): boolean {
  return (
    groupable(prev) &&
    groupable(next) &&
    prev.senderId === next.senderId &&
    (prev.displayName ?? '') === (next.displayName ?? '') &&
    next.ts - prev.ts < groupGapMs &&
    dayKey(prev.ts) === dayKey(next.ts)
  );
}

/**
 * Turns a conversation's messages (oldest first) into list rows: a date separator whenever the
 * local day changes, the "new messages" divider before the first message from someone else after
 * `unreadAfterSeq` (the read marker when the conversation was opened; null: no divider), and
 * messages grouped by author.
 */
export function buildRows(items: readonly MessageView[], unreadAfterSeq: number | null, meId: number | null): Row[] {
  const rows: Row[] = [];
  const seen = new Set<string>();
  let prev: MessageView | null = null;
  let prevRow: Extract<Row, { kind: 'message' }> | null = null;
  let dividerPlaced = unreadAfterSeq === null;
  for (const m of items) {
    let broke = false;
    if (!prev || dayKey(prev.ts) !== dayKey(m.ts)) {
      rows.push({ kind: 'day', key: `d${dayKey(m.ts)}`, ts: m.ts });
      broke = true;
    }
    if (
      !dividerPlaced &&
      m.status === 'sent' &&
      m.seq > (unreadAfterSeq ?? 0) &&
      m.kind !== 'system' &&
      m.senderId !== meId
    ) {
      rows.push({ kind: 'unread', key: 'unread' });
      dividerPlaced = true;
      broke = true;
    }
    const groupStart = broke || !prev || !continuesGroup(prev, m);
    if (groupStart && prevRow) prevRow.groupEnd = true;
    let key = messageKey(m);
    if (seen.has(key)) key = `${key}#${m.seq}`;
    seen.add(key);
    prevRow = { kind: 'message', key, message: m, groupStart, groupEnd: false };
    rows.push(prevRow);
    prev = m;
  }
  if (prevRow) prevRow.groupEnd = true;
  return rows;
}
