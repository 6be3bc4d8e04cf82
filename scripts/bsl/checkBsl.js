// @ts-check
// The BSL checker: `npm run -s check:bsl` parses every .bsl file under integrations/ (or the paths
// given) and prints each problem as file:line:col: message [rule], exiting 1 when there is one.
// Syntax (tokenizeBsl, parseBsl) and the pitfall rules of issue 17 (checkBslRules) run here; the
// requests each procedure makes (analyzeBslRequests) are what tests/integrations/onec*.test.ts
// replays against a real hub.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bslRequests, procedureRecords, sitesByProcedure } from './analyzeBslRequests.js';
import { checkBslRules } from './checkBslRules.js';
import { parseBsl } from './parseBsl.js';

/** @typedef {import('./analyzeBslRequests.js').ProcRecord} ProcRecord */
/** @typedef {import('./analyzeBslRequests.js').BslRequest} BslRequest */
/** @typedef {import('./parseBsl.js').BslModule} BslModule */
/** @typedef {{ file: string, line: number, col: number, message: string, rule: string }} BslProblem */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** File names that are the module of the folder they are in (a form's Модуль.bsl, an object's МодульОбъекта.bsl). */
const folderModules = ['модуль', 'module', 'модульобъекта', 'objectmodule', 'модульменеджера', 'managermodule'];

/** The name code calls a module by: the file's name, or its folder's for a form or object module. */
export function moduleNameOf(/** @type {string} */ file) {
  const base = path.basename(file, '.bsl');
  return folderModules.includes(base.toLowerCase()) ? path.basename(path.dirname(file)) : base;
}

/** Every .bsl file under `dir`, sorted. */
export function findBslFiles(/** @type {string} */ dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findBslFiles(full));
    else if (entry.name.toLowerCase().endsWith('.bsl')) out.push(full);
  }
  return out.sort();
}

/**
 * Checks modules together (a rule may need another module: a posting handler that calls a
 * function which calls the hub).
 * @param {{ file: string, text: string }[]} sources
 * @returns {{ problems: BslProblem[], requests: BslRequest[], modules: { file: string, module: BslModule }[],
 *   records: ProcRecord[], reachesHub: (module: string, procedure: string) => boolean }}
 */
export function checkBslSources(sources) {
  /** @type {BslProblem[]} */
  const problems = [];
  const parsed = sources.map(({ file, text }) => {
    const { module, errors } = parseBsl(text);
    problems.push(...errors.map((e) => ({ file, ...e })));
    return { file, module, broken: errors.length > 0 };
  });
  const records = procedureRecords(
    parsed.map(({ file, module }) => ({ file, module: moduleNameOf(file), procedures: module.procedures })),
  );
  const sites = sitesByProcedure(records);
  /** @type {Map<ProcRecord, boolean>} */
  const memo = new Map();
  /** @returns {boolean} */
  const makesRequests = (/** @type {ProcRecord} */ r) => {
    const known = memo.get(r);
    if (known !== undefined) return known;
    memo.set(r, false); // a cycle adds nothing
    const yes = (sites.get(r) ?? []).length > 0 || r.opensHttp !== null || r.calls.some((c) => makesRequests(c.target));
    memo.set(r, yes);
    return yes;
  };
  for (const { file, module, broken } of parsed) {
    if (broken) continue;
    const own = records.filter((r) => r.file === file);
    problems.push(...checkBslRules({ module, records: own, makesRequests }).map((p) => ({ file, ...p })));
  }
  const requests = bslRequests(records);
  for (const r of requests) {
    if (r.method === null || r.path === null) {
      problems.push({
        file: r.file,
        line: r.line,
        col: r.col,
        rule: 'request-literal',
        message: `${r.procedure}: a hub request's method and the start of its path are literal where it is made, so tests can replay it`,
      });
    }
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
  /** Whether Модуль.Процедура reaches the hub, itself or through what it calls. */
  const reachesHub = (/** @type {string} */ moduleName, /** @type {string} */ procedure) => {
    const record = records.find((r) => r.module === moduleName && r.proc.name === procedure);
    if (!record) throw new Error(`${moduleName}.${procedure} is not in the modules`);
    return makesRequests(record);
  };
  return { problems, requests, modules: parsed.map(({ file, module }) => ({ file, module })), records, reachesHub };
}

/** Reads and checks files (paths as given, shown relative to the project). */
export function checkBslFiles(/** @type {string[]} */ files) {
  return checkBslSources(
    files.map((f) => ({ file: path.relative(root, path.resolve(f)), text: readFileSync(f, 'utf8') })),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const targets = args.length > 0 ? args : [path.join(root, 'integrations')];
  const files = targets.flatMap((t) => (statSync(t).isDirectory() ? findBslFiles(t) : [t]));
  const { problems, requests, records } = checkBslFiles(files);
  for (const p of problems) console.log(`${p.file}:${p.line}:${p.col}: ${p.message} [${p.rule}]`);
  const summary = `${files.length} BSL files, ${records.length} procedures, ${requests.length} hub requests`;
  console.log(problems.length === 0 ? `${summary}: no problems` : `${summary}: ${problems.length} problems`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
