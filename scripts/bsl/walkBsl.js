// @ts-check
// Visiting every node of a parsed BSL tree, and the few questions the rules ask of a node.

/** @typedef {import('./BslCursor.js').BslNode} BslNode */

/**
 * Calls `visit` for every node under `root` (a node, a list, or a plain holder such as an Если
 * branch), parents before children, in source order.
 * @param {unknown} root @param {(node: BslNode) => void} visit
 */
export function walkBsl(root, visit) {
  if (Array.isArray(root)) {
    for (const item of root) walkBsl(item, visit);
    return;
  }
  if (root === null || typeof root !== 'object') return;
  const n = /** @type {Record<string, unknown>} */ (root);
  if (typeof n.type === 'string' && typeof n.line === 'number') visit(/** @type {BslNode} */ (n));
  for (const [key, value] of Object.entries(n)) {
    if (key !== 'tokens' && value !== null && typeof value === 'object') walkBsl(value, visit);
  }
}

/** A call's callee as written: "Имя" or "Модуль.Имя" (longer chains joined by dots), or null. */
export function calleeName(/** @type {BslNode} */ call) {
  return dotted(call.callee);
}

/**
 * "А.Б.В" for an identifier or a chain of members on one; null for anything else.
 * @param {BslNode} n @returns {string | null}
 */
export function dotted(n) {
  if (n.type === 'ident') return /** @type {string} */ (n.name);
  if (n.type === 'member') {
    const left = dotted(n.object);
    return left === null ? null : `${left}.${n.name}`;
  }
  return null;
}

/** Whether `name` is one of `names`, ignoring case (1C does). */
export function named(/** @type {string | null | undefined} */ name, /** @type {string[]} */ names) {
  if (name == null) return false;
  const lower = name.toLowerCase();
  return names.some((n) => n.toLowerCase() === lower);
}
