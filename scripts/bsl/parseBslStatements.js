// @ts-check
// Statements of the 1C:Enterprise language inside a procedure or the module body: the blocks
// (Если … КонецЕсли, Для / Для Каждого / Пока … Цикл … КонецЦикла, Попытка … Исключение …
// КонецПопытки) and the simple ones (assignment, call, Возврат, Прервать, Продолжить,
// ВызватьИсключение, Перейти, ДобавитьОбработчик). «;» separates statements: it may be left out
// only before the word that closes the block.
import { node, shown } from './BslCursor.js';
import { parseArguments, parseExpression, parsePostfix } from './parseBslExpression.js';

/** @typedef {import('./BslCursor.js').BslNode} BslNode */
/** @typedef {import('./BslCursor.js').BslCursor} BslCursor */
/** @typedef {{ kind: 'procedure' | 'function' | null, loops: number }} StatementContext */

/** What closes each block, by the English keyword name, for "expected …" messages. */
const closers = {
  endif: 'КонецЕсли',
  elsif: 'ИначеЕсли',
  else: 'Иначе',
  enddo: 'КонецЦикла',
  except: 'Исключение',
  endtry: 'КонецПопытки',
  endprocedure: 'КонецПроцедуры',
  endfunction: 'КонецФункции',
};

/**
 * Statements up to (not including) one of the keywords in `until`, or the end of the file when
 * `until` is empty (the module body).
 * @param {BslCursor} c @param {string[]} until @param {StatementContext} ctx @returns {BslNode[]}
 */
export function parseStatements(c, until, ctx) {
  /** @type {BslNode[]} */
  const body = [];
  const ends = () => (until.length === 0 ? c.peek().type === 'eof' : until.some((kw) => c.isKw(kw)));
  for (;;) {
    if (ends()) return body;
    if (c.peek().type === 'eof') {
      const names = until.map((kw) => closers[/** @type {keyof closers} */ (kw)] ?? kw).join(' or ');
      throw c.fail(`expected ${names} before the end of the file`);
    }
    if (c.isOp(';')) {
      c.next();
      continue;
    }
    const statement = parseStatement(c, ctx);
    body.push(statement);
    if (statement.type === 'label') continue; // `~Метка:` stands before the statement it marks
    if (c.isOp(';')) c.next();
    else if (!ends()) throw c.fail(`expected «;» after the statement, found ${shown(c.peek())}`);
  }
}

/** @param {BslCursor} c @param {StatementContext} ctx @returns {BslNode} */
function parseStatement(c, ctx) {
  const t = c.peek();
  if (t.type === 'label') {
    c.next();
    c.expectOp(':', 'after the label');
    return node('label', t, { name: t.value });
  }
  if (t.type === 'keyword') {
    switch (t.kw) {
      case 'if':
        return parseIf(c, ctx);
      case 'for':
        return parseFor(c, ctx);
      case 'while': {
        c.next();
        const condition = parseExpression(c);
        c.expectKw('do', 'Цикл after the condition of Пока');
        return node('while', t, { condition, body: parseLoopBody(c, ctx) });
      }
      case 'try': {
        c.next();
        const body = parseStatements(c, ['except'], ctx);
        c.next();
        const handler = parseStatements(c, ['endtry'], ctx);
        c.next();
        return node('try', t, { body, handler });
      }
      case 'return':
        return parseReturn(c, ctx);
      case 'break':
      case 'continue':
        c.next();
        if (ctx.loops === 0) throw c.fail(`«${t.text}» outside a loop`, t);
        return node(t.kw, t);
      case 'raise': {
        c.next();
        if (c.isOp('(')) return node('raise', t, { args: (c.next(), parseArguments(c)) });
        const ends = c.isOp(';') || c.peek().type === 'keyword' || c.peek().type === 'eof';
        return node('raise', t, { args: ends ? [] : [parseExpression(c)] });
      }
      case 'goto': {
        c.next();
        const label = c.next();
        if (label.type !== 'label') throw c.fail('expected ~Метка after Перейти', label);
        return node('goto', t, { name: label.value });
      }
      case 'addhandler':
      case 'removehandler': {
        c.next();
        const event = parseExpression(c);
        c.expectOp(',', `between the event and the handler of «${t.text}»`);
        return node(t.kw, t, { event, handler: parseExpression(c) });
      }
      case 'var':
        throw c.fail('Перем must come before the statements of a procedure', t);
      default:
        throw c.fail(`unexpected ${shown(t)}: expected a statement`, t);
    }
  }
  return parseSimple(c);
}

/** An assignment or a procedure call (the only expressions that stand as statements). */
function parseSimple(/** @type {BslCursor} */ c) {
  const t = c.peek();
  if (c.async && c.isWord(['ждать', 'await'])) {
    c.next();
    return node('await', t, { operand: parseExpression(c) });
  }
  if (t.type !== 'ident') throw c.fail(`unexpected ${shown(t)}: expected a statement`);
  c.next();
  const target = parsePostfix(c, node('ident', t, { name: t.text }));
  if (c.isOp('=')) {
    if (target.type === 'call') throw c.fail('cannot assign to the result of a call');
    c.next();
    return node('assign', t, { target, value: parseExpression(c) });
  }
  if (target.type !== 'call') {
    throw c.fail(`expected «=» or «(» after «${t.text}…»: a statement is an assignment or a call`);
  }
  return node('callStatement', t, { call: target });
}

/** @param {BslCursor} c @param {StatementContext} ctx */
function parseIf(c, ctx) {
  const t = c.next();
  /** @type {{ condition: BslNode, body: BslNode[] }[]} */
  const branches = [];
  /** @type {BslNode[] | null} */
  let otherwise = null;
  for (;;) {
    const condition = parseExpression(c);
    c.expectKw('then', 'Тогда after the condition');
    branches.push({ condition, body: parseStatements(c, ['elsif', 'else', 'endif'], ctx) });
    if (c.isKw('elsif')) {
      c.next();
      continue;
    }
    if (c.isKw('else')) {
      c.next();
      otherwise = parseStatements(c, ['endif'], ctx);
    }
    c.expectKw('endif', 'КонецЕсли');
    return node('if', t, { branches, otherwise });
  }
}

/** Для Каждого Элемент Из Коллекция Цикл … and Для Счетчик = Начало По Конец Цикл …. */
function parseFor(/** @type {BslCursor} */ c, /** @type {StatementContext} */ ctx) {
  const t = c.next();
  if (c.isWord(['каждого', 'each'])) {
    c.next();
    const variable = c.expectIdent('the loop variable after Для Каждого');
    if (!c.isWord(['из', 'in'])) throw c.fail(`expected Из after the loop variable, found ${shown(c.peek())}`);
    c.next();
    const collection = parseExpression(c);
    c.expectKw('do', 'Цикл after the collection');
    return node('forEach', t, { variable: variable.text, collection, body: parseLoopBody(c, ctx) });
  }
  const variable = c.expectIdent('the loop counter after Для');
  c.expectOp('=', 'after the loop counter');
  const from = parseExpression(c);
  if (!c.isWord(['по', 'to'])) throw c.fail(`expected По after the start value, found ${shown(c.peek())}`);
  c.next();
  const to = parseExpression(c);
  c.expectKw('do', 'Цикл after the end value');
  return node('for', t, { variable: variable.text, from, to, body: parseLoopBody(c, ctx) });
}

/** The statements between Цикл and КонецЦикла. */
function parseLoopBody(/** @type {BslCursor} */ c, /** @type {StatementContext} */ ctx) {
  const inner = { ...ctx, loops: ctx.loops + 1 };
  const body = parseStatements(c, ['enddo'], inner);
  c.next();
  return body;
}

/** Возврат: with a value in a function, without one in a procedure. */
function parseReturn(/** @type {BslCursor} */ c, /** @type {StatementContext} */ ctx) {
  const t = c.next();
  const bare =
    c.isOp(';') || c.peek().type === 'eof' || (c.peek().type === 'keyword' && (c.peek().kw ?? '') in closers);
  if (ctx.kind === null) throw c.fail('Возврат outside a procedure or function', t);
  if (ctx.kind === 'procedure' && !bare) throw c.fail('a procedure returns no value: Возврат without a value', t);
  if (ctx.kind === 'function' && bare) throw c.fail('a function returns a value: Возврат Значение', t);
  return node('return', t, { value: bare ? null : parseExpression(c) });
}
