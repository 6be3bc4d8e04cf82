// @ts-check
// Which installed packages the hub needs at run time: package-lock.json's production tree, walked
// from package.json's `dependencies` the way Node resolves them. Used by pack-hub.js to copy
// exactly those folders out of this checkout's node_modules (with their compiled native modules).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * @typedef {object} LockEntry
 * @property {string} [version]
 * @property {boolean} [dev]
 * @property {boolean} [optional]
 * @property {Record<string, string>} [dependencies]
 * @property {Record<string, string>} [optionalDependencies]
 * @property {Record<string, string>} [peerDependencies]
 * @property {Record<string, { optional?: boolean }>} [peerDependenciesMeta]
 */

/**
 * Where Node finds `name` when required from the package at `from` ('' = the project): the
 * nearest `node_modules/name` up the folder chain, as the lock records it.
 * @param {Record<string, LockEntry>} packages
 * @param {string} from
 * @param {string} name
 */
function resolveInLock(packages, from, name) {
  let dir = from;
  for (;;) {
    const candidate = dir ? `${dir}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return null;
    const up = dir.lastIndexOf('/node_modules/');
    dir = up < 0 ? '' : dir.slice(0, up);
  }
}

/**
 * The lock locations (`node_modules/a`, `node_modules/a/node_modules/b`, …) of every package the
 * project's `dependencies` need, transitively. Optional dependencies are taken when installed here
 * (sharp's prebuilt binaries for this platform) and left out when not (the other platforms'); a
 * required one that is missing, or one the lock marks dev-only, is an error: the copy would not run.
 * @param {string} root the checkout (package.json, package-lock.json, node_modules)
 * @returns {string[]} sorted
 */
export function productionPackages(root) {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  /** @type {Record<string, LockEntry>} */
  const packages = lock.packages;
  const project = packages[''];
  if (!project) throw new Error('package-lock.json has no root entry (lockfileVersion 2 or 3 needed)');
  /** @type {Set<string>} */
  const found = new Set();
  /** @type {Array<[string, LockEntry]>} */
  const queue = [['', project]];
  while (queue.length > 0) {
    const [from, entry] = /** @type {[string, LockEntry]} */ (queue.shift());
    /** @type {Array<[string, boolean]>} name, optional */
    const wanted = [
      ...Object.keys(entry.dependencies ?? {}).map((n) => /** @type {[string, boolean]} */ ([n, false])),
      ...Object.keys(entry.optionalDependencies ?? {}).map((n) => /** @type {[string, boolean]} */ ([n, true])),
      // An optional peer (valibot's typescript) is the user's choice, never needed to run.
      ...Object.keys(entry.peerDependencies ?? {})
        .filter((n) => entry.peerDependenciesMeta?.[n]?.optional !== true)
        .map((n) => /** @type {[string, boolean]} */ ([n, false])),
    ];
    for (const [name, optional] of wanted) {
      const at = resolveInLock(packages, from, name);
      const installed = at !== null && existsSync(path.join(root, at, 'package.json'));
      if (!installed) {
        if (optional) continue;
        throw new Error(`${name} (needed by ${from || 'the project'}) is not installed: run npm ci first`);
      }
      if (found.has(at)) continue;
      const dep = /** @type {LockEntry} */ (packages[at]);
      if (dep.dev) throw new Error(`${at} is a run-time dependency but the lock marks it dev-only`);
      found.add(at);
      queue.push([at, dep]);
    }
  }
  return [...found].sort();
}

/**
 * The version the lock records for a package location.
 * @param {string} root
 * @param {string} location e.g. `node_modules/sharp`
 * @returns {string | undefined}
 */
export function lockedVersion(root, location) {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  return lock.packages[location]?.version;
}
