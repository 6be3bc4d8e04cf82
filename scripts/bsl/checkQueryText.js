// @ts-check
// The query-language check of the BSL checker: a query text (a string literal with ВЫБРАТЬ) whose
// select list holds a logical expression — `НЕ А.Недействителен И НЕ А.ПометкаУдаления КАК Активен`
// — is refused by 1C's query language, which has no boolean expressions there; the way is
// `ВЫБОР КОГДА … ТОГДА ИСТИНА ИНАЧЕ ЛОЖЬ КОНЕЦ`. Also checks that parentheses and ВЫБОР … КОНЕЦ pair.

/** @typedef {{ text: string, upper: string, offset: number }} QueryToken */

/**
 * Operators that make an expression logical (outside a КОГДА … ТОГДА condition). ССЫЛКА (REFS) is
 * left out: it is also a field's name (`Пользователи.Ссылка`, or `Ссылка` alone).
 */
const logical = new Set([
  ...['И', 'ИЛИ', 'НЕ', 'В', 'ПОДОБНО', 'МЕЖДУ', 'ЕСТЬ'],
  ...['AND', 'OR', 'NOT', 'IN', 'LIKE', 'BETWEEN', 'IS'],
  ...['=', '<>', '<', '>', '<=', '>='],
]);
/** Words that end a select list at its own depth. */
const listEnd = new Set([
  ...[
    'ИЗ',
    'ПОМЕСТИТЬ',
    'ГДЕ',
    'ОБЪЕДИНИТЬ',
    'СГРУППИРОВАТЬ',
    'УПОРЯДОЧИТЬ',
    'ИТОГИ',
    'ДЛЯ',
    'ИМЕЮЩИЕ',
    'ИНДЕКСИРОВАТЬ',
  ],
  ...['FROM', 'INTO', 'WHERE', 'UNION', 'GROUP', 'ORDER', 'TOTALS', 'FOR', 'HAVING', 'INDEX'],
  ';',
]);
const selectWords = new Set(['ВЫБРАТЬ', 'SELECT']);
const listModifiers = new Set(['РАЗЛИЧНЫЕ', 'РАЗРЕШЕННЫЕ', 'DISTINCT', 'ALLOWED']);

/** Whether a string literal's text is a query (starts, after blanks and comments, with ВЫБРАТЬ). */
export function isQueryText(/** @type {string} */ text) {
  const first = tokenizeQuery(text)[0];
  return first !== undefined && selectWords.has(first.upper);
}

/**
 * The problems of a query text, each at an offset into the text.
 * @param {string} text @returns {{ offset: number, message: string }[]}
 */
export function checkQueryText(text) {
  const tokens = tokenizeQuery(text);
  /** @type {{ offset: number, message: string }[]} */
  const problems = [];
  /** @type {QueryToken[]} */
  const stack = [];
  for (const t of tokens) {
    if (t.text === '(' || t.upper === 'ВЫБОР' || t.upper === 'CASE') stack.push(t);
    else if (t.text === ')' || t.upper === 'КОНЕЦ' || t.upper === 'END') {
      const open = stack.pop();
      const paren = t.text === ')';
      if (!open || (open.text === '(') !== paren) {
        problems.push({
          offset: t.offset,
          message: `query: «${t.text}» does not close ${open ? `«${open.text}»` : 'anything'}`,
        });
        return problems;
      }
    }
  }
  for (const open of stack) problems.push({ offset: open.offset, message: `query: «${open.text}» is not closed` });
  if (problems.length > 0) return problems;
  tokens.forEach((t, i) => {
    if (selectWords.has(t.upper)) problems.push(...checkSelectList(tokens, i + 1));
  });
  return problems;
}

/** The items of the select list starting at `from` (after ВЫБРАТЬ), each checked for logical operators. */
function checkSelectList(/** @type {QueryToken[]} */ tokens, /** @type {number} */ from) {
  let i = from;
  while (i < tokens.length) {
    const t = /** @type {QueryToken} */ (tokens[i]);
    if (listModifiers.has(t.upper)) i += 1;
    else if (t.upper === 'ПЕРВЫЕ' || t.upper === 'TOP') i += 2;
    else break;
  }
  const problems = [];
  let depth = 0;
  let itemStart = i;
  for (; i <= tokens.length; i += 1) {
    const t = tokens[i];
    if (t && (t.text === '(' || t.upper === 'ВЫБОР' || t.upper === 'CASE')) depth += 1;
    if (t && (t.text === ')' || t.upper === 'КОНЕЦ' || t.upper === 'END')) depth -= 1;
    const ends = !t || depth < 0 || (depth === 0 && listEnd.has(t.upper));
    if (ends || (depth === 0 && t?.text === ',')) {
      const bad = logicalIn(tokens.slice(itemStart, i));
      if (bad) {
        problems.push({
          offset: bad.offset,
          message:
            `query: the select list has a logical expression («${bad.text}»), which the query language refuses; ` +
            'write ВЫБОР КОГДА … ТОГДА ИСТИНА ИНАЧЕ ЛОЖЬ КОНЕЦ',
        });
      }
      if (ends) return problems;
      itemStart = i + 1;
    }
  }
  return problems;
}

/** The first logical operator of a select item outside КОГДА … ТОГДА and outside nested subqueries. */
function logicalIn(/** @type {QueryToken[]} */ item) {
  /** @type {('case' | 'when' | 'paren' | 'subquery')[]} */
  const stack = [];
  for (let i = 0; i < item.length; i += 1) {
    const t = /** @type {QueryToken} */ (item[i]);
    const top = stack[stack.length - 1];
    if (t.text === '(') stack.push(selectWords.has(item[i + 1]?.upper ?? '') ? 'subquery' : 'paren');
    else if (t.text === ')') stack.pop();
    else if (top === 'subquery') continue;
    else if (t.upper === 'КАК' || t.upper === 'AS')
      i += 1; // the alias, whatever its name
    else if (t.upper === 'ВЫБОР' || t.upper === 'CASE') stack.push('case');
    else if (t.upper === 'КОГДА' || t.upper === 'WHEN') stack.push('when');
    else if ((t.upper === 'ТОГДА' || t.upper === 'THEN') && top === 'when') stack.pop();
    else if (t.upper === 'КОНЕЦ' || t.upper === 'END') stack.pop();
    else if (top !== 'when' && logical.has(t.upper)) return t;
  }
  return null;
}

/**
 * Words (a dotted field path is one word), numbers, "strings", &parameters and operators of a query text, comments (//) left out.
 * @param {string} text @returns {QueryToken[]}
 */
function tokenizeQuery(text) {
  /** @type {QueryToken[]} */
  const tokens = [];
  const word = '[\\p{L}_][\\p{L}\\p{N}_]*';
  const re = new RegExp(`//[^\\n]*|"(?:[^"]|"")*"|&?${word}(?:\\.${word})*|\\d+(?:\\.\\d+)?|<>|<=|>=|\\S`, 'gu');
  for (const m of text.matchAll(re)) {
    if (m[0].startsWith('//')) continue;
    tokens.push({ text: m[0], upper: m[0].toUpperCase(), offset: m.index ?? 0 });
  }
  return tokens;
}
