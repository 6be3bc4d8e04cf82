// The PostgreSQL search index cuts terms into tokens in JS (hub/store/postgres/ftsTokens.ts) the way
// SQLite's FTS5 unicode61 tokenizer (remove_diacritics 0) does, so both stores find the same
// messages. Checked here against that real tokenizer: every letter, digit and mark alone and inside a
// token, and the terms of varied texts.
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ftsTokens } from '../../hub/store/postgres/ftsTokens.ts';
import { indexTerms } from '../../hub/store/search/searchTerms.ts';

const db = new Database(':memory:');
db.exec(`CREATE VIRTUAL TABLE s USING fts5(t, content = '', columnsize = 0, detail = full,
           tokenize = 'unicode61 remove_diacritics 0');
         CREATE VIRTUAL TABLE v USING fts5vocab(s, 'instance');`);
afterAll(() => db.close());

/** FTS5's tokens of each text, in order (one contentless row per text). */
function sqliteTokens(texts: readonly string[]): string[][] {
  db.exec(`INSERT INTO s (s) VALUES ('delete-all')`);
  const insert = db.prepare('INSERT INTO s (rowid, t) VALUES (?, ?)');
  db.transaction(() => texts.forEach((text, i) => insert.run(i + 1, text)))();
  const out = texts.map(() => [] as string[]);
  const rows = db.prepare('SELECT doc, term FROM v ORDER BY doc, offset').all() as { doc: number; term: string }[];
  for (const row of rows) out[row.doc - 1]!.push(row.term);
  return out;
}

describe('ftsTokens cuts terms as FTS5 unicode61 does', () => {
  it('for every letter, digit and mark: alone, inside a token, and starting one', () => {
    const chars: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      // What a term can hold: searchTerms.ts keeps letters, digits and marks, lower-cased.
      if (/^[\p{L}\p{N}\p{M}]$/u.test(ch) && ch.toLocaleLowerCase('ru') === ch) chars.push(ch);
    }
    expect(chars.length).toBeGreaterThan(100_000);
    const texts = chars.flatMap((ch) => [ch, `q${ch}q`, `${ch}q`]);
    const expected = sqliteTokens(texts);
    const wrong = texts.filter((text, i) => JSON.stringify(ftsTokens(text)) !== JSON.stringify(expected[i]));
    expect(wrong.map((t) => [...t].map((c) => c.codePointAt(0)!.toString(16)).join(' ')).slice(0, 20)).toEqual([]);
  });

  it('for the terms of varied texts (Cyrillic, Latin, marks, long words, several scripts)', () => {
    const samples = [
      'Акты сверки за МАРТ, ёлка и Ёж',
      'Straße ΣΊΣΥΦΟΣ ὈΔΥΣΣΕΎΣ İstanbul ǅemal',
      'e\u0301te\u0301 cafe\u0301 na\u0332ive क्षत्रिय ‍‌ نستعليق',
      'x'.repeat(200) + ' ' + 'я'.repeat(100),
      'ﬁle ﬀ ① ² ½ ＡＢＣ 𝐀𝐁𝐂 ㍻',
      'a\u0301\u0332b \u0301\u0301 \u0332x 1\u20dd2 각 漢字かな カタカナ',
      'мягкий\u00adзнак zero\u200bwidth',
    ];
    for (let i = 0; i < 200; i++) {
      let text = '';
      for (let j = 0; j < 40; j++) text += String.fromCodePoint(0x20 + Math.floor(Math.random() * 0x3000));
      samples.push(text);
    }
    const terms = samples.map(indexTerms);
    const expected = sqliteTokens(terms);
    terms.forEach((t, i) => expect(ftsTokens(t), JSON.stringify(samples[i])).toEqual(expected[i]));
  });
});
