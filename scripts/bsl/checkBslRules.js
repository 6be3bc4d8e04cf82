// @ts-check
// The pitfall rules of the BSL checker: the mistakes a 1C reviewer found in the first integration
// modules (issue 17), each a rule that names what to write instead. Syntax is parseBsl's job; these
// run on modules that parsed.
import { checkQueryText, isQueryText } from './checkQueryText.js';
import { calleeName, named, walkBsl } from './walkBsl.js';

/** @typedef {import('./BslCursor.js').BslNode} BslNode */
/** @typedef {import('./parseBsl.js').BslModule} BslModule */
/** @typedef {import('./analyzeBslRequests.js').ProcRecord} ProcRecord */
/** @typedef {import('./tokenizeBsl.js').BslDiagnostic} BslDiagnostic */

/** Event handlers that run inside the writing or posting transaction of an object. */
const transactionHandlers = [
  ...['ОбработкаПроведения', 'ОбработкаУдаленияПроведения', 'ПередЗаписью', 'ПриЗаписи', 'ПередУдалением'],
  ...['Posting', 'UndoPosting', 'BeforeWrite', 'OnWrite', 'BeforeDelete'],
];
/** Parameter names that choose a person: a server-call module must not take them from the client. */
const personParam = /логин|login|пользовател|user|сотрудник|employee|физлиц|person|внешнийидентификатор|externalid/i;
/** Constants whose name says they hold a secret. */
const secretName = /токен|token|парол|password|секрет|secret|apikey|ключapi/i;

/**
 * The module's flags as its first comment lines state them, up to the first «.» or «)»:
 * «// Флажки: Сервер, Вызов сервера. НЕ «Привилегированный».» or «(флажки: Сервер, Вызов сервера)».
 * @param {string[]} header @returns {string[]} lower case
 */
export function moduleFlags(header) {
  const m = /(?:флажки|flags)\s*:\s*([^.)\n]*)/iu.exec(header.join('\n'));
  return m ? /** @type {string} */ (m[1]).split(',').map((f) => f.replace(/[«»"]/g, '').trim().toLowerCase()) : [];
}

/**
 * The rules' findings in one module.
 * @param {{ module: BslModule, records: ProcRecord[], makesRequests: (r: ProcRecord) => boolean }} input
 * @returns {BslDiagnostic[]}
 */
export function checkBslRules({ module, records, makesRequests }) {
  /** @type {BslDiagnostic[]} */
  const found = [];
  const report = (
    /** @type {{ line: number, col: number }} */ at,
    /** @type {string} */ rule,
    /** @type {string} */ message,
  ) => found.push({ line: at.line, col: at.col, rule, message });
  const everything = [module.body, ...module.procedures.map((p) => p.body)];
  walkBsl(everything, (n) => {
    if (n.type === 'new' && named(n.typeName, ['ЗащищенноеСоединениеOpenSSL', 'OpenSSLSecureConnection'])) {
      if (!n.args[1]) {
        report(
          n,
          'openssl-no-ca',
          'ЗащищенноеСоединениеOpenSSL without certificates does not verify the server: write Новый ЗащищенноеСоединениеOpenSSL(, Новый СертификатыУдостоверяющихЦентровОС)',
        );
      }
    }
    if (
      n.type === 'member' &&
      n.object.type === 'ident' &&
      named(n.object.name, ['Константы', 'Constants']) &&
      secretName.test(n.name)
    ) {
      report(
        n,
        'token-in-constant',
        `a secret in constant ${n.name}: any user who may read constants reads it; keep it in БезопасноеХранилищеДанных, read in privileged mode`,
      );
    }
    if (n.type === 'call' && n.callee.type === 'ident' && named(n.callee.name, ['ПрочитатьJSON', 'ReadJSON'])) {
      const second = n.args[1];
      if (!(second?.type === 'boolean' && second.value === true)) {
        report(
          n,
          'readjson-map',
          'ПрочитатьJSON(Чтение) reads into a Структура, which throws on keys that are not identifiers: ПрочитатьJSON(Чтение, Истина) reads into a Соответствие',
        );
      }
    }
    if (
      n.type === 'call' &&
      n.callee.type === 'ident' &&
      named(n.callee.name, ['ОписаниеОшибки', 'ErrorDescription'])
    ) {
      report(
        n,
        'error-description',
        'ОписаниеОшибки() loses the stack: ПодробноеПредставлениеОшибки(ИнформацияОбОшибке())',
      );
    }
  });
  for (const text of stringTexts(everything)) {
    if (!isQueryText(text.value)) continue;
    for (const problem of checkQueryText(text.value))
      report(text.at(problem.offset), 'query-select-logical', problem.message);
  }
  for (const record of records) found.push(...recordRules(record, makesRequests, moduleFlags(module.header)));
  return found;
}

/** The rules about one procedure as a whole. */
function recordRules(
  /** @type {ProcRecord} */ record,
  /** @type {(r: ProcRecord) => boolean} */ makesRequests,
  /** @type {string[]} */ flags,
) {
  /** @type {BslDiagnostic[]} */
  const found = [];
  const { proc } = record;
  // An extension's handler is named anything; its annotation &После("ОбработкаПроведения") says which.
  const handler = [proc.name, ...proc.directives.flatMap((d) => d.args)].find((n) => named(n, transactionHandlers));
  if (handler) {
    if (record.opensHttp)
      found.push({ ...at(record.opensHttp), rule: 'http-in-transaction', message: httpInTransaction(handler) });
    for (const { call, target } of record.calls) {
      if (makesRequests(target)) {
        found.push({
          ...at(call),
          rule: 'http-in-transaction',
          message: `${httpInTransaction(handler)} (${target.module}.${target.proc.name} calls the hub)`,
        });
      }
    }
  }
  if (flags.includes('вызов сервера') || flags.includes('server call')) {
    for (const p of proc.export ? proc.params : []) {
      if (personParam.test(p.name)) {
        found.push({
          line: proc.line,
          col: proc.col,
          rule: 'server-call-person',
          message: `${proc.name}(${p.name}) in a «Вызов сервера» module: any client code may call it for anyone; take the current user on the server instead`,
        });
      }
    }
  }
  /** @type {BslNode[]} */
  const storageReads = [];
  let privileged = false;
  walkBsl(proc.body, (n) => {
    if (n.type !== 'call') return;
    const name = calleeName(n) ?? '';
    if (/(^|\.)ПрочитатьДанныеИзБезопасногоХранилища$/i.test(name)) storageReads.push(n);
    if (
      named(name, ['УстановитьПривилегированныйРежим', 'SetPrivilegedMode']) &&
      n.args[0]?.type === 'boolean' &&
      n.args[0].value
    )
      privileged = true;
  });
  if (!privileged) {
    for (const n of storageReads) {
      found.push({
        ...at(n),
        rule: 'safe-storage-privileged',
        message: 'БезопасноеХранилищеДанных is read in privileged mode: УстановитьПривилегированныйРежим(Истина) first',
      });
    }
  }
  return found;
}

/** @param {string} handler */
function httpInTransaction(handler) {
  return `${handler} runs inside the transaction: a hub call there holds locks while it waits and is not undone by a rollback; put a record into a queue register and send after commit`;
}

/** @param {BslNode} n */
function at(n) {
  return { line: n.line, col: n.col };
}

/**
 * Each string literal's text, and each chain of literals joined by «+», with a way to turn an
 * offset into the text back into a line and column of the source.
 * @param {unknown} root
 */
function stringTexts(root) {
  /** @type {{ value: string, at: (offset: number) => { line: number, col: number } }[]} */
  const texts = [];
  /** @type {Set<BslNode>} */
  const inChain = new Set();
  walkBsl(root, (n) => {
    if (inChain.has(n)) return;
    const leaves = concatLeaves(n);
    if (!leaves) return;
    walkBsl(n, (part) => inChain.add(part));
    /** @type {{ start: number, lines: number[], line: number, col: number }[]} */
    const segments = [];
    let value = '';
    for (const leaf of leaves) {
      for (const token of leaf.tokens ?? []) {
        segments.push({ start: value.length, lines: token.lines ?? [token.line], line: token.line, col: token.col });
        value += token.value ?? '';
      }
    }
    texts.push({
      value,
      at(offset) {
        const seg = [...segments].reverse().find((s) => s.start <= offset) ?? segments[0];
        if (!seg) return { line: n.line, col: n.col };
        const lineIndex = value.slice(seg.start, offset).split('\n').length - 1;
        return lineIndex === 0 ? { line: seg.line, col: seg.col } : { line: seg.lines[lineIndex] ?? seg.line, col: 1 };
      },
    });
  });
  return texts;
}

/**
 * The string literals of `a + b + …` when every operand is one (or `n` itself when it is a string).
 * @param {BslNode} n @returns {BslNode[] | null}
 */
function concatLeaves(n) {
  if (n.type === 'string') return [n];
  if (n.type !== 'binary' || n.op !== '+') return null;
  const left = concatLeaves(n.left);
  const right = concatLeaves(n.right);
  return left && right ? [...left, ...right] : null;
}
