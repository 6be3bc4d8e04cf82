/**
 * The lower-cased form of a name used for case-insensitive search and uniqueness. SQLite's NOCASE
 * and LIKE fold ASCII only, so keys are folded here with Russian rules (ё, Cyrillic capitals).
 */
export function searchKey(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('ru');
}
