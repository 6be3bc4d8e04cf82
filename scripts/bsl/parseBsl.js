// @ts-check
// The parser of the BSL checker: a module's variables, procedures and functions (with their
// compilation directives and parameters) and body, into a tree of BslNode. Preprocessor lines
// (#Область, #Если, #Вставка …) are checked for balance and then left out, as 1C does before
// compiling. A syntax error ends the current procedure; parsing goes on after its end word so
// one file reports every broken procedure.
import { BslCursor, BslSyntaxError, node, shown } from './BslCursor.js';
import { parseStatements } from './parseBslStatements.js';
import { tokenizeBsl } from './tokenizeBsl.js';

/** @typedef {import('./BslCursor.js').BslNode} BslNode */
/** @typedef {import('./tokenizeBsl.js').BslToken} BslToken */
/** @typedef {import('./tokenizeBsl.js').BslDiagnostic} BslDiagnostic */

/**
 * @typedef {{
 *   name: string, kind: 'procedure' | 'function', export: boolean, async: boolean,
 *   params: { name: string, byVal: boolean, default: BslNode | null }[],
 *   directives: { name: string, args: string[] }[],
 *   body: BslNode[], line: number, col: number, endLine: number,
 * }} BslProcedure
 * @typedef {{ procedures: BslProcedure[], body: BslNode[], vars: string[], header: string[] }} BslModule
 */

const directives = new Set(
  [
    ...['НаКлиенте', 'НаСервере', 'НаСервереБезКонтекста', 'НаКлиентеНаСервереБезКонтекста', 'НаКлиентеНаСервере'],
    ...['AtClient', 'AtServer', 'AtServerNoContext', 'AtClientAtServerNoContext', 'AtClientAtServer'],
    ...['Перед', 'После', 'Вместо', 'ИзменениеИКонтроль', 'Before', 'After', 'Around', 'ChangeAndValidate'],
  ].map((d) => d.toLowerCase()),
);

/** Preprocessor words: each opener with its closer, and the words allowed between. */
const preprocOpen = new Map([
  ['область', 'конецобласти'],
  ['region', 'endregion'],
  ['если', 'конецесли'],
  ['if', 'endif'],
  ['вставка', 'конецвставки'],
  ['insert', 'endinsert'],
  ['удаление', 'конецудаления'],
  ['delete', 'enddelete'],
]);
const preprocMiddle = new Set(['иначеесли', 'иначе', 'elsif', 'else']);
const preprocOther = new Set(['использовать', 'use']);

/**
 * Parses a module's text.
 * @param {string} source
 * @returns {{ module: BslModule, errors: BslDiagnostic[] }}
 */
export function parseBsl(source) {
  const { tokens, errors } = tokenizeBsl(source);
  const code = tokens.filter((t) => t.type !== 'preproc');
  errors.push(...checkPreprocessor(tokens.filter((t) => t.type === 'preproc')));
  const c = new BslCursor(code);
  /** @type {BslModule} */
  const module = { procedures: [], body: [], vars: [], header: headerComment(source) };
  let bodyStarted = false;
  while (c.peek().type !== 'eof') {
    const start = c.pos;
    try {
      const marks = parseDirectives(c);
      if (c.isKw('var')) {
        if (bodyStarted || module.procedures.length > 0)
          throw c.fail('module variables (Перем) come before procedures');
        module.vars.push(...parseVar(c, true));
      } else if (c.isKw('procedure') || c.isKw('function') || c.isWord(['асинх', 'async'])) {
        if (bodyStarted) throw c.fail('procedures come before the statements of the module body');
        module.procedures.push(parseProcedure(c, marks));
      } else {
        if (marks.length > 0) throw c.fail(`a directive precedes Перем, Процедура or Функция, not ${shown(c.peek())}`);
        bodyStarted = true;
        module.body.push(...parseStatements(c, [], { kind: null, loops: 0 }));
      }
    } catch (err) {
      if (!(err instanceof BslSyntaxError)) throw err;
      errors.push({ line: err.line, col: err.col, message: err.message, rule: 'syntax' });
      skipProcedure(c, start);
    }
  }
  errors.sort((a, b) => a.line - b.line || a.col - b.col);
  return { module, errors };
}

/** The comment lines at the top of the file, without «//» (where a module's flags are stated). */
function headerComment(/** @type {string} */ source) {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = [];
  for (const line of lines) {
    const m = /^\s*\/\/(.*)$/.exec(line);
    if (!m) break;
    header.push(/** @type {string} */ (m[1]).trim());
  }
  return header;
}

/** After an error: on to the word that ends the procedure the error is in (or the end of the file). */
function skipProcedure(/** @type {BslCursor} */ c, /** @type {number} */ start) {
  if (c.pos === start) c.next();
  while (c.peek().type !== 'eof' && !c.isKw('endprocedure') && !c.isKw('endfunction')) c.next();
  c.next();
}

/** `&НаСервере`, `&Перед("ОбработкаПроведения")` …: the compilation directives and annotations. */
function parseDirectives(/** @type {BslCursor} */ c) {
  /** @type {{ name: string, args: string[] }[]} */
  const marks = [];
  while (c.isOp('&')) {
    c.next();
    const name = c.expectIdent('a directive name after «&»');
    if (!directives.has(name.text.toLowerCase())) throw c.fail(`unknown compilation directive &${name.text}`, name);
    /** @type {string[]} */
    const args = [];
    if (c.isOp('(') && !c.peek().spaceBefore) {
      c.next();
      while (c.peek().type === 'string') {
        args.push(c.next().value ?? '');
        if (!c.isOp(',')) break;
        c.next();
      }
      c.expectOp(')', `closing &${name.text}(…)`);
    }
    marks.push({ name: name.text, args });
  }
  return marks;
}

/** `Перем А, Б Экспорт;` */
function parseVar(/** @type {BslCursor} */ c, /** @type {boolean} */ moduleLevel) {
  c.next();
  const names = [];
  for (;;) {
    names.push(c.expectIdent('a variable name after Перем').text);
    if (c.isKw('export')) {
      if (!moduleLevel) throw c.fail('Экспорт is for module variables, not a procedure’s');
      c.next();
    }
    if (!c.isOp(',')) break;
    c.next();
  }
  c.expectOp(';', 'after Перем');
  return names;
}

/** @param {BslCursor} c @param {{ name: string, args: string[] }[]} marks @returns {BslProcedure} */
function parseProcedure(c, marks) {
  const isAsync = c.isWord(['асинх', 'async']);
  if (isAsync) c.next();
  const head = c.peek();
  if (!c.isKw('procedure') && !c.isKw('function')) throw c.fail(`expected Процедура or Функция, found ${shown(head)}`);
  c.next();
  const kind = head.kw === 'function' ? 'function' : 'procedure';
  const end = kind === 'function' ? 'endfunction' : 'endprocedure';
  const name = c.expectIdent(`the name of the ${kind}`);
  c.expectOp('(', `after the name ${name.text}`);
  const params = parseParams(c);
  const exported = c.isKw('export');
  if (exported) c.next();
  const ctx = { kind: /** @type {'procedure' | 'function'} */ (kind), loops: 0 };
  c.async = isAsync;
  try {
    while (c.isKw('var')) parseVar(c, false);
    const body = parseStatements(c, [end, kind === 'function' ? 'endprocedure' : 'endfunction'], ctx);
    const closer = c.next();
    if (closer.kw !== end) {
      throw c.fail(
        `${kind} ${name.text} ends with ${shown(closer)}: expected ${end === 'endfunction' ? 'КонецФункции' : 'КонецПроцедуры'}`,
        closer,
      );
    }
    return {
      name: name.text,
      kind: ctx.kind,
      export: exported,
      async: isAsync,
      params,
      directives: marks,
      body,
      line: head.line,
      col: head.col,
      endLine: closer.line,
    };
  } finally {
    c.async = false;
  }
}

/** `(Знач А, Б = 15, В = "")`: a default value is a literal. */
function parseParams(/** @type {BslCursor} */ c) {
  /** @type {BslProcedure['params']} */
  const params = [];
  if (c.isOp(')')) return (c.next(), params);
  for (;;) {
    const byVal = c.isKw('val');
    if (byVal) c.next();
    const name = c.expectIdent('a parameter name');
    if (params.some((p) => p.name.toLowerCase() === name.text.toLowerCase())) {
      throw c.fail(`parameter ${name.text} is declared twice`, name);
    }
    let value = null;
    if (c.isOp('=')) {
      c.next();
      value = parseDefault(c);
    }
    params.push({ name: name.text, byVal, default: value });
    if (c.isOp(',')) {
      c.next();
      continue;
    }
    c.expectOp(')', 'closing the parameter list');
    return params;
  }
}

/** A parameter's default: a number (maybe negative), string, date, Истина, Ложь, Неопределено or NULL. */
function parseDefault(/** @type {BslCursor} */ c) {
  const t = c.peek();
  const minus = c.isOp('-');
  if (minus) c.next();
  const v = c.next();
  if (v.type === 'number') return node('number', t, { value: Number(v.text) * (minus ? -1 : 1) });
  if (!minus && v.type === 'string') return node('string', v, { value: v.value, tokens: [v] });
  if (!minus && v.type === 'date') return node('date', v, { value: v.value });
  if (!minus && v.type === 'keyword' && ['true', 'false', 'undefined', 'null'].includes(v.kw ?? '')) {
    return node(v.kw === 'true' || v.kw === 'false' ? 'boolean' : /** @type {string} */ (v.kw), v, {
      value: v.kw === 'true',
    });
  }
  throw c.fail(`a default value is a literal (number, string, date, Истина, Ложь, Неопределено), not ${shown(v)}`, v);
}

/** Whether #Область/#КонецОбласти, #Если/#КонецЕсли, #Вставка/#КонецВставки … pair up. */
function checkPreprocessor(/** @type {BslToken[]} */ lines) {
  /** @type {BslDiagnostic[]} */
  const errors = [];
  /** @type {{ token: BslToken, closer: string }[]} */
  const open = [];
  for (const t of lines) {
    const word = t.text.slice(1).toLowerCase();
    const closer = preprocOpen.get(word);
    if (closer) {
      if (word === 'область' || word === 'region') {
        if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(t.value ?? '')) errors.push(diag(t, `${t.text} needs a name`));
      } else if ((word === 'если' || word === 'if') && !/(^|\s)(тогда|then)$/iu.test(t.value ?? '')) {
        errors.push(diag(t, `${t.text} … ends with Тогда`));
      }
      open.push({ token: t, closer });
    } else if (preprocMiddle.has(word)) {
      const top = open[open.length - 1];
      if (!top || !['конецесли', 'endif'].includes(top.closer)) errors.push(diag(t, `${t.text} without #Если`));
    } else if (preprocOther.has(word)) {
      continue;
    } else if ([...preprocOpen.values()].includes(word)) {
      const top = open.pop();
      if (!top) errors.push(diag(t, `${t.text} without an opening line`));
      else if (top.closer !== word) {
        errors.push(diag(t, `${t.text} closes ${top.token.text} of line ${top.token.line}`));
      }
    } else {
      errors.push(diag(t, `unknown preprocessor instruction ${t.text}`));
    }
  }
  for (const { token } of open) errors.push(diag(token, `${token.text} is not closed`));
  return errors;
}

/** @param {BslToken} t @param {string} message @returns {BslDiagnostic} */
function diag(t, message) {
  return { line: t.line, col: t.col, message, rule: 'syntax' };
}
