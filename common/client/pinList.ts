import type { Message } from '../protocol/model.ts';
import { revOf } from './MessageWindows.ts';

/**
 * A conversation's pinned messages (newest pin first) after learning how one message is now: a
 * pinned message is added (or its copy replaced, when newer), an unpinned or deleted one taken
 * out. The same list when nothing changes.
 */
export function withPinChange(list: readonly Message[], message: Message): readonly Message[] {
  const index = list.findIndex((m) => m.seq === message.seq);
  const held = index >= 0 ? list[index]! : undefined;
  if (held && revOf(message) <= revOf(held)) return list;
  const rest = held ? list.filter((_, i) => i !== index) : list;
  if (!message.pinned || message.deleted) return held ? rest : list;
  const at = message.pinned.at;
  const position = rest.findIndex(
    (m) => (m.pinned?.at ?? 0) < at || ((m.pinned?.at ?? 0) === at && m.seq < message.seq),
  );
  const next = [...rest];
  next.splice(position < 0 ? next.length : position, 0, message);
  return next;
}
