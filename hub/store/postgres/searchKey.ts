/**
 * The lower-cased form of a name used for case-insensitive search of people and for branch keys:
 * the twin of sqlite/searchKey.ts and the very same rule (keys written by the SQLite store are
 * copied as they are, and must keep matching). PostgreSQL's lower() follows the server's locale,
 * so keys are folded here with Russian rules (ё, Cyrillic capitals), never in SQL.
 */
export function searchKey(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('ru');
}
