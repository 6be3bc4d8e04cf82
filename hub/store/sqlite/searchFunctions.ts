import type { Database } from 'better-sqlite3';
import { roomNameKey } from '../../../common/protocol/roomNameKey.ts';
import { foldedText } from '../search/searchTerms.ts';

/**
 * SQL functions for the people and room searches, which compare folded text (SQLite's lower()
 * and NOCASE fold ASCII only): `beseda_fold(text)` is foldForSearch (case, ё/е, NFKC),
 * `beseda_room_key(text)` the room-name key (roomNameKey), so a topic matches the same key a
 * room name does. Registered on a connection before the first statement that uses them; both
 * remember recent answers (a directory has few distinct names, branches and topics).
 */
export function useSearchFunctions(db: Database): void {
  if (registered.has(db)) return;
  registered.add(db);
  db.function('beseda_fold', { deterministic: true }, remembered(foldedText));
  db.function('beseda_room_key', { deterministic: true }, remembered(roomNameKey));
}

const registered = new WeakSet<Database>();
const maxRemembered = 50_000;

function remembered(fold: (text: string) => string): (text: unknown) => unknown {
  const seen = new Map<string, string>();
  return (text) => {
    if (typeof text !== 'string') return text;
    let folded = seen.get(text);
    if (folded === undefined) {
      folded = fold(text);
      if (seen.size >= maxRemembered) seen.clear();
      seen.set(text, folded);
    }
    return folded;
  };
}
