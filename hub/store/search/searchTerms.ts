import snowball from 'snowball-stemmers';
import { foldForSearch } from '../../../common/text/foldForSearch.ts';

/**
 * How message text becomes search terms, the same at index time, at query time and when
 * highlighting: words are cut from the ORIGINAL text (so their offsets can be shown), each word
 * is folded with foldForSearch (case, ё/е, NFKC, invisible characters) and stemmed with Snowball
 * (Russian for Cyrillic words, English for Latin ones; other words stay as folded), so «акт»,
 * «акты» and «актов» are one term.
 *
 * The index is contentless (it cannot give back what it indexed): removing a message's terms
 * needs them computed again from its text. Any change to these rules (the word pattern, the
 * folding, the stemmer's version) must come with a schema step that rebuilds the index.
 */

/** A word of a text: [start, end) in UTF-16 code units of the text, and its search term. */
export interface WordSpan {
  start: number;
  end: number;
  term: string;
}

// Letters, digits and combining marks, plus the invisible characters foldForSearch drops (so a
// soft hyphen inside a word keeps it one word). Everything else separates words.
const wordPattern = /[\p{L}\p{N}\p{M}\u00AD\u200B-\u200D\u2060\uFEFF]+/gu;
const notWordChar = /[^\p{L}\p{N}\p{M}]/gu;
const cyrillic = /\p{Script=Cyrillic}/u;
const latin = /\p{Script=Latin}/u;
/** Longer words are cut to this many code units (hashes, pasted garbage): the index stays small. */
const maxTermLength = 64;

const russian = snowball.newStemmer('russian');
const english = snowball.newStemmer('english');

// Words repeat a lot: stemming each distinct folded word once is most of the indexing speed.
const stems = new Map<string, string>();
const maxCachedStems = 100_000;

/** The search term of one word (already cut from a text): folded, trimmed to word characters, stemmed. */
export function termOf(word: string): string {
  let folded = foldForSearch(word).replace(notWordChar, '');
  if (folded.length > maxTermLength) {
    folded = folded.slice(0, maxTermLength);
    // Never leave half a surrogate pair at the end.
    if (/[\uD800-\uDBFF]$/.test(folded)) folded = folded.slice(0, -1);
  }
  if (folded === '') return '';
  const cached = stems.get(folded);
  if (cached !== undefined) return cached;
  const stem = cyrillic.test(folded) ? russian.stem(folded) : latin.test(folded) ? english.stem(folded) : folded;
  // A stemmer never empties a word here, but an empty term must not replace a real one.
  const term = stem === '' ? folded : stem;
  if (stems.size >= maxCachedStems) stems.clear();
  stems.set(folded, term);
  return term;
}

/** The words of `text` with their offsets and terms, in order (words with no term left out). */
export function wordsOf(text: string): WordSpan[] {
  const words: WordSpan[] = [];
  for (const match of text.matchAll(wordPattern)) {
    const term = termOf(match[0]);
    if (term !== '') words.push({ start: match.index, end: match.index + match[0].length, term });
  }
  return words;
}

/** What the index stores for a text: its terms in order, separated by spaces ('' when it has no words). */
export function indexTerms(text: string): string {
  let out = '';
  for (const match of text.matchAll(wordPattern)) {
    const term = termOf(match[0]);
    if (term !== '') out = out === '' ? term : `${out} ${term}`;
  }
  return out;
}

/**
 * Text folded for substring search where no stemming applies (people's names, logins, branches,
 * positions): foldForSearch, the one folding rule of every search, for the store's SQL functions.
 */
export function foldedText(text: string): string {
  return foldForSearch(text);
}
