// @ts-check
// The tokenizer of the BSL checker (scripts/bsl/checkBsl.js). No BSL parser installs from the npm
// registry (tree-sitter-bsl, @1c-syntax/* and bsl-parser do not exist there; onec-syntaxparser finds
// procedure headers with line regexps and reports no errors), so the checker is our own: this file
// turns 1C:Enterprise module text into tokens, reporting what 1C's own syntax check would refuse
// at the character level (an unclosed string, a malformed date, a stray character).

/**
 * @typedef {{
 *   type: 'ident' | 'keyword' | 'number' | 'string' | 'date' | 'op' | 'preproc' | 'label' | 'eof',
 *   text: string,
 *   kw?: string,
 *   value?: string,
 *   lines?: number[],
 *   line: number,
 *   col: number,
 *   end: { line: number, col: number },
 *   spaceBefore: boolean,
 * }} BslToken
 * `kw` is the keyword's English name in lower case (Если and If are both 'if'); `value` is a string
 * literal's text ("" unescaped, `|` continuations joined with "\n") or a preprocessor line's rest;
 * `lines[i]` is the source line of the value's line i (comment lines inside a query text are skipped).
 */

/** @typedef {{ line: number, col: number, message: string, rule: string }} BslDiagnostic */

/** Reserved words, Russian and English, each to its English name: 1C compares them ignoring case. */
/** @type {[string, string][]} */
const keywordPairs = [
  ['если', 'if'],
  ['тогда', 'then'],
  ['иначеесли', 'elsif'],
  ['иначе', 'else'],
  ['конецесли', 'endif'],
  ['для', 'for'],
  ['пока', 'while'],
  ['цикл', 'do'],
  ['конеццикла', 'enddo'],
  ['процедура', 'procedure'],
  ['функция', 'function'],
  ['конецпроцедуры', 'endprocedure'],
  ['конецфункции', 'endfunction'],
  ['перем', 'var'],
  ['знач', 'val'],
  ['экспорт', 'export'],
  ['возврат', 'return'],
  ['прервать', 'break'],
  ['продолжить', 'continue'],
  ['попытка', 'try'],
  ['исключение', 'except'],
  ['конецпопытки', 'endtry'],
  ['вызватьисключение', 'raise'],
  ['новый', 'new'],
  ['и', 'and'],
  ['или', 'or'],
  ['не', 'not'],
  ['истина', 'true'],
  ['ложь', 'false'],
  ['неопределено', 'undefined'],
  ['null', 'null'],
  ['перейти', 'goto'],
  ['добавитьобработчик', 'addhandler'],
  ['удалитьобработчик', 'removehandler'],
];

/** @type {Map<string, string>} */
const keywords = new Map();
for (const [ru, en] of keywordPairs) {
  keywords.set(ru, en);
  keywords.set(en, en);
}

/** A word's keyword name, or undefined for an identifier (also for the contextual Каждого, Из, По, Асинх, Ждать). */
export function keywordOf(/** @type {string} */ word) {
  return keywords.get(word.toLowerCase());
}

const identStart = /[\p{L}_]/u;
const identPart = /[\p{L}\p{N}_]/u;
const twoCharOps = new Set(['<>', '<=', '>=']);
const oneCharOps = new Set([...'+-*/%=<>()[],;.?:&']);

/**
 * Splits a module's text into tokens (a UTF-8 byte-order mark at the start is skipped).
 * @param {string} source
 * @returns {{ tokens: BslToken[], errors: BslDiagnostic[] }}
 */
export function tokenizeBsl(source) {
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  /** @type {BslToken[]} */
  const tokens = [];
  /** @type {BslDiagnostic[]} */
  const errors = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let spaceBefore = true;
  let atLineStart = true;
  const col = () => i - lineStart + 1;
  const fail = (/** @type {number} */ l, /** @type {number} */ c, /** @type {string} */ message) =>
    errors.push({ line: l, col: c, message, rule: 'syntax' });
  const newline = () => {
    line += 1;
    lineStart = i + 1;
    atLineStart = true;
  };
  /** @param {Omit<BslToken, 'line' | 'col' | 'end' | 'spaceBefore'>} token @param {number} l @param {number} c */
  const push = (token, l, c) => {
    tokens.push({ ...token, line: l, col: c, end: { line, col: col() }, spaceBefore });
    spaceBefore = false;
    atLineStart = false;
  };

  while (i < text.length) {
    const ch = /** @type {string} */ (text[i]);
    const l = line;
    const c = col();
    if (ch === '\n') {
      newline();
      i += 1;
      spaceBefore = true;
      continue;
    }
    if (/\s/.test(ch)) {
      i += 1;
      spaceBefore = true;
      continue;
    }
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i += 1;
      spaceBefore = true;
      continue;
    }
    if (ch === '#' && atLineStart) {
      const eol = text.indexOf('\n', i);
      const rest = text.slice(i + 1, eol < 0 ? text.length : eol).replace(/\/\/.*$/, '');
      const name = /^[\p{L}_]*/u.exec(rest)?.[0] ?? '';
      i = eol < 0 ? text.length : eol;
      push({ type: 'preproc', text: `#${name}`, value: rest.slice(name.length).trim() }, l, c);
      continue;
    }
    if (identStart.test(ch)) {
      let j = i + 1;
      while (j < text.length && identPart.test(/** @type {string} */ (text[j]))) j += 1;
      const word = text.slice(i, j);
      i = j;
      const kw = keywordOf(word);
      push(kw ? { type: 'keyword', text: word, kw } : { type: 'ident', text: word }, l, c);
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i, i + 64));
      const num = m?.[0] ?? ch;
      i += num.length;
      push({ type: 'number', text: num }, l, c);
      continue;
    }
    if (ch === '"') {
      const str = readString(text, i, line);
      if (!str.ok) fail(l, c, 'string literal not closed (a continued line must start with "|")');
      const from = i;
      for (; i < str.next; i += 1) {
        if (text[i] !== '\n') continue;
        lineStart = i + 1;
        line += 1;
      }
      push({ type: 'string', text: text.slice(from, str.next), value: str.value, lines: str.lines }, l, c);
      continue;
    }
    if (ch === "'") {
      const date = readDate(text, i);
      if (date.error) fail(l, c, date.error);
      i = date.next;
      if (date.token) push(date.token, l, c);
      continue;
    }
    if (ch === '~') {
      const m = /^~[\p{L}_][\p{L}\p{N}_]*/u.exec(text.slice(i, i + 200));
      if (!m) {
        fail(l, c, 'a label is ~Name');
        i += 1;
        continue;
      }
      i += m[0].length;
      push({ type: 'label', text: m[0], value: m[0].slice(1) }, l, c);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (twoCharOps.has(two)) {
      i += 2;
      push({ type: 'op', text: two }, l, c);
      continue;
    }
    if (oneCharOps.has(ch)) {
      i += 1;
      push({ type: 'op', text: ch }, l, c);
      continue;
    }
    fail(l, c, `unexpected character «${ch}»`);
    i += 1;
  }
  tokens.push({ type: 'eof', text: '', line, col: col(), end: { line, col: col() }, spaceBefore: true });
  return { tokens, errors };
}

/**
 * Reads a string literal starting at the quote at `start`: "" is a quote; a line break continues the
 * literal when the next line starts (after blanks) with "|"; lines starting with // between such
 * lines are comments, not part of the text (1C allows them inside a query text).
 * @param {string} text @param {number} start @param {number} startLine
 * @returns {{ ok: boolean, value: string, lines: number[], next: number }}
 */
function readString(text, start, startLine) {
  let value = '';
  const lines = [startLine];
  let line = startLine;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      if (text[i + 1] === '"') {
        value += '"';
        i += 2;
        continue;
      }
      return { ok: true, value, lines, next: i + 1 };
    }
    if (ch === '\n') {
      // Find the next line that is not a comment; it must begin with "|".
      let j = i + 1;
      line += 1;
      for (;;) {
        while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j += 1;
        if (text.startsWith('//', j)) {
          const eol = text.indexOf('\n', j);
          if (eol < 0) return { ok: false, value, lines, next: text.length };
          j = eol + 1;
          line += 1;
          continue;
        }
        break;
      }
      if (text[j] !== '|') return { ok: false, value, lines, next: i };
      value += '\n';
      lines.push(line);
      i = j + 1;
      continue;
    }
    if (ch !== '\r') value += ch;
    i += 1;
  }
  return { ok: false, value, lines, next: text.length };
}

/**
 * Reads a date literal 'ГГГГММДДЧЧММСС' starting at the quote at `start` (separators allowed:
 * '2025-07-01T10:00:00'); it must close on its line.
 * @param {string} text @param {number} start
 * @returns {{ next: number, error?: string, token?: { type: 'date', text: string, value: string } }}
 */
function readDate(text, start) {
  const close = text.indexOf("'", start + 1);
  const eol = text.indexOf('\n', start + 1);
  if (close < 0 || (eol >= 0 && eol < close)) {
    return { next: eol < 0 ? text.length : eol, error: 'date literal not closed on its line' };
  }
  const body = text.slice(start + 1, close);
  const digits = body.replace(/[^0-9]/g, '');
  const token = { type: /** @type {'date'} */ ('date'), text: `'${body}'`, value: digits };
  if (/[^0-9\s.:\-T/]/.test(body) || ![8, 12, 14].includes(digits.length)) {
    return {
      next: close + 1,
      token,
      error: `malformed date literal '${body}' (8, 12 or 14 digits: 'ГГГГММДД[ЧЧММ[СС]]')`,
    };
  }
  return { next: close + 1, token };
}
