// @ts-check
// Expressions of the 1C:Enterprise language, by precedence: ИЛИ, И, НЕ, comparisons, + -, * / %,
// unary + -, then a primary with its .member, [index] and (arguments). Arguments may be left out
// (`Новый HTTPСоединение(Сервер, Порт, , , , 15)`), which is why an argument list holds nulls.
import { node, shown } from './BslCursor.js';

/** @typedef {import('./BslCursor.js').BslNode} BslNode */
/** @typedef {import('./BslCursor.js').BslCursor} BslCursor */

const comparisons = new Set(['=', '<>', '<', '>', '<=', '>=']);

/** Parses one expression. */
export function parseExpression(/** @type {BslCursor} */ c) {
  return parseOr(c);
}

/** @returns {BslNode} */
function parseOr(/** @type {BslCursor} */ c) {
  let left = parseAnd(c);
  while (c.isKw('or')) {
    const op = c.next();
    left = node('binary', op, { op: 'or', left, right: parseAnd(c) });
  }
  return left;
}

/** @returns {BslNode} */
function parseAnd(/** @type {BslCursor} */ c) {
  let left = parseNot(c);
  while (c.isKw('and')) {
    const op = c.next();
    left = node('binary', op, { op: 'and', left, right: parseNot(c) });
  }
  return left;
}

/** @returns {BslNode} */
function parseNot(/** @type {BslCursor} */ c) {
  if (c.isKw('not')) {
    const op = c.next();
    return node('unary', op, { op: 'not', operand: parseNot(c) });
  }
  return parseComparison(c);
}

/** @returns {BslNode} */
function parseComparison(/** @type {BslCursor} */ c) {
  let left = parseAdditive(c);
  while (c.peek().type === 'op' && comparisons.has(c.peek().text)) {
    const op = c.next();
    left = node('binary', op, { op: op.text, left, right: parseAdditive(c) });
  }
  return left;
}

/** @returns {BslNode} */
function parseAdditive(/** @type {BslCursor} */ c) {
  let left = parseMultiplicative(c);
  while (c.isOp('+') || c.isOp('-')) {
    const op = c.next();
    left = node('binary', op, { op: op.text, left, right: parseMultiplicative(c) });
  }
  return left;
}

/** @returns {BslNode} */
function parseMultiplicative(/** @type {BslCursor} */ c) {
  let left = parseUnary(c);
  while (c.isOp('*') || c.isOp('/') || c.isOp('%')) {
    const op = c.next();
    left = node('binary', op, { op: op.text, left, right: parseUnary(c) });
  }
  return left;
}

/** @returns {BslNode} */
function parseUnary(/** @type {BslCursor} */ c) {
  if (c.isOp('-') || c.isOp('+')) {
    const op = c.next();
    return node('unary', op, { op: op.text, operand: parseUnary(c) });
  }
  if (c.async && c.isWord(['ждать', 'await'])) {
    const op = c.next();
    return node('await', op, { operand: parseUnary(c) });
  }
  return parsePostfix(c, parsePrimary(c));
}

/**
 * The `.Имя`, `[индекс]` and `(аргументы)` after a primary. A call's parentheses follow a name
 * (a variable, a method): 1C has no calls of computed values. Each node is placed where the
 * whole expression starts (`Константы.Токен.Получить()` at «Константы»).
 * @param {BslCursor} c @param {BslNode} target @returns {BslNode}
 */
export function parsePostfix(c, target) {
  let expr = target;
  for (;;) {
    if (c.isOp('.')) {
      const dot = c.next();
      const name = c.peek();
      if (name.type !== 'ident' && name.type !== 'keyword')
        throw c.fail(`expected a name after «.», found ${shown(name)}`);
      c.next();
      expr = node('member', dot, { object: expr, name: name.text, line: expr.line, col: expr.col });
    } else if (c.isOp('[')) {
      const open = c.next();
      const index = parseExpression(c);
      c.expectOp(']', 'closing the index');
      expr = node('index', open, { object: expr, index, line: expr.line, col: expr.col });
    } else if (c.isOp('(') && (expr.type === 'ident' || expr.type === 'member')) {
      const open = c.next();
      expr = node('call', open, { callee: expr, args: parseArguments(c), line: expr.line, col: expr.col });
    } else {
      return expr;
    }
  }
}

/**
 * The arguments after «(» up to and including «)»: a left-out argument is null.
 * @param {BslCursor} c @returns {(BslNode | null)[]}
 */
export function parseArguments(c) {
  /** @type {(BslNode | null)[]} */
  const args = [];
  if (c.isOp(')')) {
    c.next();
    return args;
  }
  for (;;) {
    args.push(c.isOp(',') || c.isOp(')') ? null : parseExpression(c));
    if (c.isOp(',')) {
      c.next();
      continue;
    }
    c.expectOp(')', 'closing the argument list');
    return args;
  }
}

/** @returns {BslNode} */
function parsePrimary(/** @type {BslCursor} */ c) {
  const t = c.peek();
  switch (t.type) {
    case 'number':
      c.next();
      return node('number', t, { value: Number(t.text) });
    case 'date':
      c.next();
      return node('date', t, { value: t.value });
    case 'string': {
      // Adjacent literals are one string: "…" "…" (the usual way to split a long text).
      const parts = [c.next()];
      while (c.peek().type === 'string') parts.push(c.next());
      return node('string', t, { value: parts.map((p) => p.value).join(''), tokens: parts });
    }
    case 'ident':
      c.next();
      return node('ident', t, { name: t.text });
    case 'keyword':
      return parseKeywordPrimary(c, t);
    case 'op':
      if (t.text === '(') {
        c.next();
        const inner = parseExpression(c);
        c.expectOp(')', 'closing the parenthesis');
        return node('paren', t, { expr: inner });
      }
      if (t.text === '?') {
        c.next();
        c.expectOp('(', 'after «?»');
        const args = parseArguments(c);
        if (args.length !== 3 || args.some((a) => a === null)) {
          throw c.fail('?(Условие, ЗначениеЕслиИстина, ЗначениеЕслиЛожь) takes three arguments', t);
        }
        return node('ternary', t, { args });
      }
  }
  throw c.fail(`expected an expression, found ${shown(t)}`);
}

/** @param {BslCursor} c @param {import('./tokenizeBsl.js').BslToken} t @returns {BslNode} */
function parseKeywordPrimary(c, t) {
  switch (t.kw) {
    case 'true':
    case 'false':
      c.next();
      return node('boolean', t, { value: t.kw === 'true' });
    case 'undefined':
      c.next();
      return node('undefined', t);
    case 'null':
      c.next();
      return node('null', t);
    case 'new': {
      c.next();
      if (c.isOp('(')) {
        // Новый("ИмяТипа", Параметры): the type by name.
        c.next();
        return node('new', t, { typeName: null, args: parseArguments(c) });
      }
      const name = c.expectIdent('a type name after «Новый»');
      const args = c.isOp('(') ? (c.next(), parseArguments(c)) : [];
      return node('new', t, { typeName: name.text, args });
    }
  }
  throw c.fail(`expected an expression, found ${shown(t)}`);
}
