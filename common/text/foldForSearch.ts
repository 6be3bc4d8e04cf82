/**
 * The one folding rule of every search — messages, people, rooms, the sidebar filter, quick
 * switch, @-autocomplete: Unicode-compatible forms joined (NFKC), lower case by Russian rules,
 * ё → е (people type «Федорова» for «Фёдорова»), and soft hyphens and zero-width characters
 * dropped (pasted from documents). Same length rules are NOT kept: use it on both sides of a
 * comparison, never to map offsets back into the original text.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKC').toLocaleLowerCase('ru').replace(/ё/g, 'е').replace(INVISIBLE, '');
}

/** Whether `haystack` contains `needle` once both are folded (an empty needle matches everything). */
export function foldedIncludes(haystack: string, needle: string): boolean {
  return foldForSearch(haystack).includes(foldForSearch(needle));
}

// Soft hyphen, zero-width space/joiners, word joiner, BOM.
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
