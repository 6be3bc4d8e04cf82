// @ts-check
// The token cursor the BSL parser (parseBsl.js, parseBslExpression.js) reads with: one place for
// "what comes next" and for the syntax error that names where and what was expected.

/** @typedef {import('./tokenizeBsl.js').BslToken} BslToken */

/**
 * A node of the parsed module: `type` says which (call, member, ident, string, new, binary, if …);
 * the other fields depend on it (see parseBsl.js and parseBslExpression.js).
 * @typedef {{ type: string, line: number, col: number, [key: string]: any }} BslNode
 */

/** A syntax error at a token: the parser stops the current procedure and goes on after it. */
export class BslSyntaxError extends Error {
  /** @param {BslToken} token @param {string} message */
  constructor(token, message) {
    super(message);
    this.line = token.line;
    this.col = token.col;
  }
}

/** How a token reads in a message: «Если», «;», end of file. */
export function shown(/** @type {BslToken} */ token) {
  return token.type === 'eof' ? 'the end of the file' : `«${token.text}»`;
}

/** Reads tokens in order for the parser. */
export class BslCursor {
  /** @param {BslToken[]} tokens (ending with an eof token) */
  constructor(tokens) {
    this.tokens = tokens;
    this.pos = 0;
    /** Whether `Ждать` is the await operator here (inside an Асинх procedure). */
    this.async = false;
  }

  /** The token `k` ahead (the eof token past the end). */
  peek(k = 0) {
    return /** @type {BslToken} */ (this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]);
  }

  /** Takes the next token. */
  next() {
    const token = this.peek();
    if (token.type !== 'eof') this.pos += 1;
    return token;
  }

  /** Whether the next token is the keyword `kw` (English name: 'if', 'endif' …). */
  isKw(/** @type {string} */ kw, k = 0) {
    const t = this.peek(k);
    return t.type === 'keyword' && t.kw === kw;
  }

  /** Whether the next token is the operator `op`. */
  isOp(/** @type {string} */ op, k = 0) {
    const t = this.peek(k);
    return t.type === 'op' && t.text === op;
  }

  /** Whether the next token is an identifier spelled (ignoring case) as one of `words`. */
  isWord(/** @type {string[]} */ words, k = 0) {
    const t = this.peek(k);
    return t.type === 'ident' && words.includes(t.text.toLowerCase());
  }

  /** Takes the keyword `kw` or fails with "expected `what`". */
  expectKw(/** @type {string} */ kw, /** @type {string} */ what) {
    if (!this.isKw(kw)) throw this.fail(`expected ${what}, found ${shown(this.peek())}`);
    return this.next();
  }

  /** Takes the operator `op` or fails. */
  expectOp(/** @type {string} */ op, /** @type {string} */ context = '') {
    if (!this.isOp(op)) throw this.fail(`expected «${op}»${context ? ` ${context}` : ''}, found ${shown(this.peek())}`);
    return this.next();
  }

  /** Takes an identifier (a name) or fails with "expected `what`". */
  expectIdent(/** @type {string} */ what) {
    const t = this.peek();
    if (t.type !== 'ident') throw this.fail(`expected ${what}, found ${shown(t)}`);
    return this.next();
  }

  /** A syntax error at the next token (or `token`). */
  fail(/** @type {string} */ message, token = this.peek()) {
    return new BslSyntaxError(token, message);
  }
}

/** A node at a token's position. */
export function node(/** @type {string} */ type, /** @type {BslToken} */ at, fields = {}) {
  return /** @type {BslNode} */ ({ type, line: at.line, col: at.col, ...fields });
}
