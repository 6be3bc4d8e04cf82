/**
 * The lower-cased form of a name used for case-insensitive search of people and for branch keys.
 * SQLite's NOCASE and LIKE fold ASCII only, so keys are folded here with Russian rules (ё,
 * Cyrillic capitals). Room names use the stricter look-alike key of common/protocol/roomNameKey.ts.
 */
export function searchKey(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('ru');
}
