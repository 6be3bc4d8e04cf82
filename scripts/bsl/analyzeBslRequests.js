// @ts-check
// Which HTTP requests each procedure of the 1C modules makes, read from the parsed BSL so the
// replays in tests/integrations/onec*.test.ts cannot drift from it. A request is found where a
// connection (Новый HTTPСоединение) calls ВызватьHTTPМетод / Получить / Записать / Удалить /
// ОтправитьДляОбработки with an HTTPЗапрос; its method and path are followed back through the
// parameters of the procedures that pass them (ВыполнитьЗапрос(Метод, Путь, …) called as
// ВыполнитьЗапрос("POST", "/api/v1/messages", …)), across modules too (БеседаСервер.Имя(…)). The
// procedure where both become literal is the request's origin: the one a replay stands for.
import { calleeName, dotted, named, walkBsl } from './walkBsl.js';

/** @typedef {import('./BslCursor.js').BslNode} BslNode */
/** @typedef {import('./parseBsl.js').BslProcedure} BslProcedure */
/** @typedef {{ kind: 'lit', text: string } | { kind: 'param', index: number } | { kind: 'unknown' }} Part */
/**
 * @typedef {{ method: Part[], path: Part[], line: number, col: number, bodyKeys: string[] | null, args?: (string | null)[],
 *   origin: { module: string, procedure: string, line: number, col: number } | null }} Site
 * @typedef {{ module: string, file: string, proc: BslProcedure, calls: { target: ProcRecord, call: BslNode }[],
 *   own: Site[], opensHttp: BslNode | null }} ProcRecord
 * @typedef {{ module: string, procedure: string, file: string, line: number, col: number, method: string | null,
 *   path: string | null, exact: boolean, bodyKeys: string[] | null, args: (string | null)[] }} BslRequest
 */

const connectionTypes = ['HTTPСоединение', 'HTTPConnection'];
/** @type {Part} */
const unknownPart = { kind: 'unknown' };
/** @returns {Part} */
const litPart = (/** @type {string} */ text) => ({ kind: 'lit', text });
const requestTypes = ['HTTPЗапрос', 'HTTPRequest'];
/** Connection methods and the HTTP method each sends (ВызватьHTTPМетод takes it as its first argument). */
const connectionMethods = new Map([
  ['получить', 'GET'],
  ['get', 'GET'],
  ['записать', 'PUT'],
  ['put', 'PUT'],
  ['удалить', 'DELETE'],
  ['delete', 'DELETE'],
  ['отправитьдляобработки', 'POST'],
  ['post', 'POST'],
  ['изменить', 'PATCH'],
  ['patch', 'PATCH'],
]);

/**
 * The procedures of every module with their calls resolved and their own request sites.
 * @param {{ module: string, file: string, procedures: BslProcedure[] }[]} modules
 * @returns {ProcRecord[]}
 */
export function procedureRecords(modules) {
  /** @type {Map<string, Map<string, ProcRecord>>} */
  const byModule = new Map();
  /** @type {ProcRecord[]} */
  const records = [];
  for (const m of modules) {
    const procs = new Map();
    for (const proc of m.procedures) {
      const record = { module: m.module, file: m.file, proc, calls: [], own: [], opensHttp: null };
      procs.set(proc.name.toLowerCase(), record);
      records.push(record);
    }
    byModule.set(m.module.toLowerCase(), procs);
  }
  for (const record of records) {
    const locals = /** @type {Map<string, ProcRecord>} */ (byModule.get(record.module.toLowerCase()));
    walkBsl(record.proc.body, (n) => {
      if (n.type === 'new' && named(n.typeName, connectionTypes)) record.opensHttp ??= n;
      if (n.type !== 'call') return;
      const name = calleeName(n);
      if (!name) return;
      const parts = name.split('.');
      const target =
        parts.length === 1
          ? byModule.get(record.module.toLowerCase())?.get(name.toLowerCase())
          : parts.length === 2
            ? byModule
                .get(/** @type {string} */ (parts[0]).toLowerCase())
                ?.get(/** @type {string} */ (parts[1]).toLowerCase())
            : undefined;
      if (target && (parts.length === 1 || target.proc.export)) record.calls.push({ target, call: n });
    });
    record.own = ownSites(record, locals);
  }
  return records;
}

/**
 * The requests a procedure sends itself through a connection object. The connection and the
 * request may come from the module's own functions that build them (НовоеСоединение(),
 * НовыйHTTPЗапрос(Путь, …)): the path is then followed through that function's parameters.
 * @param {ProcRecord} record @param {Map<string, ProcRecord>} locals
 */
function ownSites(record, locals) {
  /** The `Новый <type>(…)` a local function returns, with the function, when `expr` calls one. */
  const fromFactory = (/** @type {BslNode} */ expr, /** @type {string[]} */ types) => {
    if (expr.type !== 'call' || expr.callee.type !== 'ident') return null;
    const target = locals.get(expr.callee.name.toLowerCase());
    const made = target && target !== record ? returnedNew(target, types) : null;
    return target && made ? { target, made } : null;
  };
  /** @type {Map<string, Part[]>} */
  const requestPaths = new Map();
  /** @type {Set<string>} */
  const connections = new Set();
  const isConnection = (/** @type {BslNode} */ expr) =>
    (expr.type === 'new' && named(expr.typeName, connectionTypes)) ||
    fromFactory(expr, connectionTypes) !== null ||
    (expr.type === 'ident' && connections.has(expr.name.toLowerCase()));
  /** @returns {Part[] | undefined} */
  const requestPath = (/** @type {BslNode | null | undefined} */ expr) => {
    if (!expr) return undefined;
    if (expr.type === 'new' && named(expr.typeName, requestTypes)) return resolveParts(expr.args[0] ?? null, record);
    if (expr.type === 'ident') return requestPaths.get(expr.name.toLowerCase());
    const built = fromFactory(expr, requestTypes);
    if (!built) return undefined;
    return bindParts(resolveParts(built.made.args[0] ?? null, built.target), expr, built.target, record);
  };
  walkBsl(record.proc.body, (n) => {
    if (n.type !== 'assign' || n.target.type !== 'ident') return;
    const variable = n.target.name.toLowerCase();
    if (isConnection(n.value)) connections.add(variable);
    const path = requestPath(n.value);
    if (path) requestPaths.set(variable, path);
  });
  /** @type {Site[]} */
  const sites = [];
  walkBsl(record.proc.body, (n) => {
    if (n.type !== 'call' || n.callee.type !== 'member' || !isConnection(n.callee.object)) return;
    const verb = n.callee.name.toLowerCase();
    const generic = verb === 'вызватьhttpметод' || verb === 'callhttpmethod';
    const fixed = connectionMethods.get(verb);
    if (!generic && !fixed) return;
    const path = requestPath(n.args[generic ? 1 : 0]) ?? [unknownPart];
    const method = generic ? resolveParts(n.args[0] ?? null, record) : [litPart(/** @type {string} */ (fixed))];
    sites.push(finish({ method, path, line: n.line, col: n.col, bodyKeys: null, origin: null }, record, n, null));
  });
  return sites;
}

/**
 * The `Новый <type>(…)` a function returns: `Возврат Новый …` or `Возврат Переменная` assigned one.
 * @param {ProcRecord} record @param {string[]} types @returns {BslNode | null}
 */
function returnedNew(record, types) {
  /** @type {BslNode | null} */
  let made = null;
  const isNew = (/** @type {BslNode | null} */ n) => n?.type === 'new' && named(n.typeName, types);
  walkBsl(record.proc.body, (n) => {
    if (n.type !== 'return' || !n.value) return;
    if (isNew(n.value)) made = n.value;
    else if (n.value.type === 'ident') {
      walkBsl(record.proc.body, (a) => {
        if (
          a.type === 'assign' &&
          a.target.type === 'ident' &&
          named(a.target.name, [n.value.name]) &&
          isNew(a.value)
        ) {
          made = a.value;
        }
      });
    }
  });
  return made;
}

/** A callee's parts with its parameters replaced by what the caller passes. */
function bindParts(
  /** @type {Part[]} */ parts,
  /** @type {BslNode} */ call,
  /** @type {ProcRecord} */ target,
  /** @type {ProcRecord} */ caller,
) {
  return joinParts(parts.flatMap((p) => (p.kind === 'param' ? argumentParts(call, p.index, target, caller) : [p])));
}

/**
 * What an expression is made of, as far as the procedure shows: literal text, a parameter's
 * value, or something the checker cannot know (a function's result). A variable (a parameter
 * too) is followed to its last assignment on an earlier line than the use.
 * @param {BslNode | null} expr @param {ProcRecord} record @param {number} depth @returns {Part[]}
 */
function resolveParts(expr, record, depth = 0) {
  if (!expr || depth > 8) return [unknownPart];
  if (expr.type === 'string') return [litPart(expr.value)];
  if (expr.type === 'paren') return resolveParts(expr.expr, record, depth + 1);
  if (expr.type === 'binary' && expr.op === '+') {
    return joinParts([...resolveParts(expr.left, record, depth + 1), ...resolveParts(expr.right, record, depth + 1)]);
  }
  if (expr.type !== 'ident') return [unknownPart];
  const index = record.proc.params.findIndex((p) => named(p.name, [expr.name]));
  /** @type {BslNode | null} */
  let last = null;
  walkBsl(record.proc.body, (n) => {
    if (n.type === 'assign' && n.target.type === 'ident' && named(n.target.name, [expr.name]) && n.line < expr.line) {
      if (!last || n.line >= last.line) last = n;
    }
  });
  if (last) return resolveParts(/** @type {BslNode} */ (last).value, record, depth + 1);
  if (index >= 0) return [/** @type {Part} */ ({ kind: 'param', index })];
  return [unknownPart];
}

/** Adjacent literal parts as one. */
function joinParts(/** @type {Part[]} */ parts) {
  /** @type {Part[]} */
  const out = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (p.kind === 'lit' && prev?.kind === 'lit') out[out.length - 1] = litPart(prev.text + p.text);
    else out.push(p);
  }
  return out;
}

/**
 * Marks a site concrete (its origin is `record`, at `call` of `target`) once no parameter is left
 * in it, with the JSON keys of the body passed there.
 * @param {Site} site @param {ProcRecord} record @param {BslNode} call @param {ProcRecord | null} target
 * @returns {Site}
 */
function finish(site, record, call, target) {
  if (site.origin || [...site.method, ...site.path].some((p) => p.kind === 'param')) return site;
  const origin = { module: record.module, procedure: record.proc.name, line: call.line, col: call.col };
  // The string literals of the call, e.g. which bot's token ВыполнитьЗапрос(…, "Сообщения") uses.
  const args = (call.args ?? []).map((/** @type {BslNode | null} */ a) => (a?.type === 'string' ? a.value : null));
  return { ...site, origin, args, bodyKeys: target ? bodyKeysOf(call, record, target) : null };
}

/**
 * The keys a procedure puts (Вставить) into the Структура / Соответствие it passes as the body
 * (the callee's parameter named Тело or Body): [] for no body (Неопределено), null when unknown.
 * @param {BslNode} call @param {ProcRecord} record @param {ProcRecord} target @returns {string[] | null}
 */
function bodyKeysOf(call, record, target) {
  const index = target.proc.params.findIndex((p) => named(p.name, ['Тело', 'Body']));
  if (index < 0) return null;
  const arg = call.args[index];
  if (!arg || arg.type === 'undefined') return [];
  if (arg.type !== 'ident') return null;
  const variable = arg.name.toLowerCase();
  /** @type {string[]} */
  const keys = [];
  let found = false;
  walkBsl(record.proc.body, (n) => {
    if (n.type === 'assign' && n.target.type === 'ident' && n.target.name.toLowerCase() === variable) {
      if (n.value.type === 'new' && named(n.value.typeName, ['Структура', 'Structure', 'Соответствие', 'Map'])) {
        found = true;
        const first = n.value.args[0];
        if (first?.type === 'string') keys.push(...first.value.split(',').map((/** @type {string} */ k) => k.trim()));
      }
    }
    if (n.type !== 'call' || n.callee.type !== 'member' || !named(n.callee.name, ['Вставить', 'Insert'])) return;
    const owner = dotted(n.callee.object);
    if (owner?.toLowerCase() === variable && n.args[0]?.type === 'string') keys.push(n.args[0].value);
  });
  return found ? [...new Set(keys)] : null;
}

/**
 * Every request site each procedure makes, its own and through the procedures it calls, with the
 * parameters of the callee replaced by the caller's arguments.
 * @param {ProcRecord[]} records @returns {Map<ProcRecord, Site[]>}
 */
export function sitesByProcedure(records) {
  /** @type {Map<ProcRecord, Site[]>} */
  const memo = new Map();
  const visiting = new Set();
  /** @returns {Site[]} */
  const sitesOf = (/** @type {ProcRecord} */ record) => {
    const known = memo.get(record);
    if (known) return known;
    if (visiting.has(record)) return [];
    visiting.add(record);
    const sites = [...record.own];
    for (const { target, call } of record.calls) {
      for (const site of sitesOf(target)) {
        const bind = (/** @type {Part[]} */ parts) => bindParts(parts, call, target, record);
        sites.push(finish({ ...site, method: bind(site.method), path: bind(site.path) }, record, call, target));
      }
    }
    visiting.delete(record);
    memo.set(record, sites);
    return sites;
  };
  for (const record of records) sitesOf(record);
  return memo;
}

/** The parts of argument `index` of a call, or of the callee parameter's default when left out. */
function argumentParts(
  /** @type {BslNode} */ call,
  /** @type {number} */ index,
  /** @type {ProcRecord} */ target,
  /** @type {ProcRecord} */ caller,
) {
  const arg = call.args[index];
  if (arg) return resolveParts(arg, caller);
  const fallback = target.proc.params[index]?.default;
  return fallback?.type === 'string' ? [litPart(fallback.value)] : [unknownPart];
}

/**
 * The requests of the modules, one per call where method and path became literal.
 * @param {ProcRecord[]} records @returns {BslRequest[]}
 */
export function bslRequests(records) {
  const all = sitesByProcedure(records);
  /** @type {BslRequest[]} */
  const requests = [];
  for (const record of records) {
    for (const site of all.get(record) ?? []) {
      if (!site.origin || site.origin.module !== record.module || site.origin.procedure !== record.proc.name) continue;
      const method = site.method.length === 1 && site.method[0]?.kind === 'lit' ? site.method[0].text : null;
      const first = site.path[0];
      requests.push({
        module: record.module,
        procedure: record.proc.name,
        file: record.file,
        line: site.origin.line,
        col: site.origin.col,
        method,
        path: first?.kind === 'lit' ? first.text : null,
        exact: site.path.length === 1 && first?.kind === 'lit',
        bodyKeys: site.bodyKeys,
        args: site.args ?? [],
      });
    }
  }
  return requests;
}
