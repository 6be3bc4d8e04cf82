import { wordsOf } from './searchTerms.ts';

/**
 * A user's search query as the index understands it. The language is small on purpose and has
 * no syntax errors: words (any form matches: their terms come from searchTerms.ts), `"…"` a
 * phrase (an unclosed quote runs to the end), a trailing `*` a prefix (3 characters or more,
 * else the word itself), a leading `-` leaves out messages with that word or phrase. Anything
 * else — FTS operators (AND, OR, NOT, NEAR), brackets, stray quotes and stars — is plain text.
 */
export interface ParsedQuery {
  /** Phrases that must all match; each a list of terms in order, the last maybe a prefix. */
  required: QueryPhrase[];
  /** Phrases that must not match. */
  excluded: QueryPhrase[];
}

/** One phrase (or a single word) of a query. */
export interface QueryPhrase {
  terms: string[];
  /** The last term matches any term it begins. */
  prefix: boolean;
}

/** Why a query cannot be searched for, in words for the user. */
export class BadQuery extends Error {}

/** Words and phrases one query may hold. */
export const maxQueryParts = 16;
const minPrefixLength = 3;

/** Reads a query (see {@link ParsedQuery}); throws {@link BadQuery} when it has no words to search for. */
export function parseQuery(query: string): ParsedQuery {
  const parsed: ParsedQuery = { required: [], excluded: [] };
  // A chunk is a quoted phrase or a run of non-space characters; the quote needs no closing.
  for (const chunk of query.matchAll(/(-?)"([^"]*)"?|(\S+)/gu)) {
    const quoted = chunk[2] !== undefined;
    let text = quoted ? chunk[2]! : chunk[3]!;
    let exclude = quoted && chunk[1] === '-';
    if (!quoted && text.startsWith('-')) {
      exclude = true;
      text = text.replace(/^-+/u, '');
    }
    const prefix = !quoted && /\*$/u.test(text);
    const terms = wordsOf(text).map((w) => w.term);
    if (terms.length === 0) continue;
    const last = terms[terms.length - 1]!;
    const phrase = { terms, prefix: prefix && [...last].length >= minPrefixLength };
    (exclude ? parsed.excluded : parsed.required).push(phrase);
  }
  if (parsed.required.length === 0)
    throw new BadQuery(
      parsed.excluded.length > 0
        ? 'a search needs at least one word to find, not only words to leave out'
        : 'the query has no words to search for',
    );
  if (parsed.required.length + parsed.excluded.length > maxQueryParts)
    throw new BadQuery(`a query may hold at most ${maxQueryParts} words and phrases`);
  return parsed;
}

/**
 * The FTS5 MATCH expression of a parsed query. Every term is emitted inside double quotes (terms
 * hold only letters, digits and marks), so nothing the user typed is ever read as FTS5 syntax.
 */
export function ftsMatch(query: ParsedQuery): string {
  // Only the `terms` column: the index's other columns hold tokens of its own (see messageIndex.ts).
  const phrase = (p: QueryPhrase) => `terms : "${p.terms.join(' ')}"${p.prefix ? ' *' : ''}`;
  const required = query.required.map(phrase).join(' AND ');
  if (query.excluded.length === 0) return required;
  return `(${required}) NOT (${query.excluded.map(phrase).join(' OR ')})`;
}

/**
 * Which words of a found message to highlight: those whose term is a required term (or begins
 * with a required prefix). Offsets are the original text's, in UTF-16 code units, in order.
 */
export function highlightsOf(text: string, query: ParsedQuery): [number, number][] {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of query.required) {
    p.terms.forEach((term, i) => {
      if (p.prefix && i === p.terms.length - 1) prefixes.push(term);
      else exact.add(term);
    });
  }
  const marks: [number, number][] = [];
  for (const word of wordsOf(text)) {
    if (exact.has(word.term) || prefixes.some((p) => word.term.startsWith(p))) marks.push([word.start, word.end]);
  }
  return marks;
}
