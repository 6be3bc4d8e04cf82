// Replaying the 1C extension's requests (integrations/1c/Беседа) against a real hub. 1C cannot
// run here, so each replay sends exactly what the BSL sends: the method and path the BSL checker
// reads out of the module for that procedure (scripts/bsl/analyzeBslRequests.js), the headers
// НовыйHTTPЗапрос sets (plus 1C's User-Agent), the bot token that procedure asks for
// (ВыполнитьЗапрос(…, "Сообщения" | "Справочник" | "Встраивание")), and the JSON as ЗаписатьJSON
// writes it (CRLF or, on a Linux server, LF; tab indentation; Cyrillic unescaped; a BOM if asked),
// its keys in the order the BSL inserts them and only keys the BSL may insert.
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
// @ts-expect-error: a plain JS script without declarations.
import { checkBslFiles, findBslFiles } from '../../scripts/bsl/checkBsl.js';
import type { TestHub } from '../helpers/startHub.ts';
import { addBot, json1C, type Loose } from './integrationHelpers.ts';

/** A request of the BSL, as the checker reads it. */
export interface BslRequest {
  module: string;
  procedure: string;
  file: string;
  line: number;
  method: string;
  path: string;
  exact: boolean;
  bodyKeys: string[] | null;
  args: (string | null)[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const checked = checkBslFiles(findBslFiles(path.join(root, 'integrations/1c/Беседа'))) as {
  requests: BslRequest[];
  records: { module: string; proc: { name: string; line: number; endLine: number }; file: string }[];
  reachesHub: (module: string, procedure: string) => boolean;
};

/** Whether Модуль.Процедура of the extension calls the hub, itself or through what it calls. */
export const reachesHub = (module: string, procedure: string) => checked.reachesHub(module, procedure);

/** Every hub request the extension makes, one per procedure and call. */
export const bslRequests: BslRequest[] = checked.requests;

/** "Модуль.Процедура METHOD path" — what a replay covers. */
export const requestKey = (r: BslRequest) => `${r.module}.${r.procedure} ${r.method} ${r.path}`;

/** The BSL's request of `procedure` ("БеседаСервер.ОтправитьСообщение"), the one to `pathStart` when it makes two. */
export function requestOf(procedure: string, pathStart = ''): BslRequest {
  const found = bslRequests.filter((r) => `${r.module}.${r.procedure}` === procedure && r.path.startsWith(pathStart));
  if (found.length !== 1) throw new Error(`${procedure} ${pathStart}: ${found.length} requests in the BSL`);
  return found[0]!;
}

/** A procedure's text, to check the parts of it a replay imitates (the back-off loop). */
export function procedureText(module: string, name: string, source: (file: string) => string): string {
  const record = checked.records.find((r) => r.module === module && r.proc.name === name);
  if (!record) throw new Error(`${module}.${name} is not in the BSL`);
  return source(path.join(root, record.file))
    .split('\n')
    .slice(record.proc.line - 1, record.proc.endLine)
    .join('\n');
}

/** The three bots of the extension, by the name ВыполнитьЗапрос gives their token. */
export type Tokens = Record<'Сообщения' | 'Справочник' | 'Встраивание', string>;

/** Creates the three bots as docs/integrations.md says (messages bot in `rooms`). */
export async function addOneCBots(hub: TestHub, rooms: string[]): Promise<Tokens> {
  return {
    Сообщения: (await addBot(hub, 'onec', { name: '1С:Предприятие', rooms })).token,
    Справочник: (await addBot(hub, 'onec-directory', { directory: true })).token,
    Встраивание: (await addBot(hub, 'onec-embed', { embed: true })).token,
  };
}

/** An answer as 1C sees it (Ответ.КодСостояния, Ответ.Заголовки, the body read into JSON). */
export interface OneCAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: Loose;
}

/** What one replay sends beyond the BSL's method and path. */
export interface ReplayOptions {
  /** The end of the path the BSL computes (КодироватьСтроку(…, КодировкаURL), Формат(…, "ЧГ=0")). */
  tail?: string;
  /** The JSON body: only keys the BSL inserts, sent in the BSL's order. */
  body?: Record<string, unknown>;
  /** A file body (ОтправитьФайл's upload). */
  file?: Buffer;
  bom?: boolean;
  /** ЗаписатьJSON's line breaks on a Linux 1C server. */
  lf?: boolean;
  /** Send to another port (a fault-injecting proxy in front of the hub). */
  port?: number;
}

/** Which BSL requests have been replayed (the coverage test compares it with bslRequests). */
export const replayed = new Set<string>();

/** The bytes and headers 1C sends for a request of the BSL. */
export function build1C(request: BslRequest, tokens: Tokens, options: ReplayOptions = {}) {
  const purpose = request.args.find((a): a is keyof Tokens => a !== null && a in tokens);
  if (!purpose) throw new Error(`${requestKey(request)}: no token name among ${JSON.stringify(request.args)}`);
  expect(options.tail !== undefined, `${requestKey(request)}: a path tail exactly when the BSL computes one`).toBe(
    !request.exact,
  );
  const headers: Record<string, string> = {
    'User-Agent': '1C+Enterprise/8.3',
    Authorization: `Bearer ${tokens[purpose]}`,
    Accept: 'application/json',
  };
  let payload: Buffer | undefined;
  if (options.file) {
    headers['Content-Type'] = 'application/octet-stream';
    payload = options.file;
  } else if (options.body) {
    const allowed = request.bodyKeys ?? [];
    for (const key of Object.keys(options.body)) {
      expect(allowed, `${requestKey(request)} never sends "${key}"`).toContain(key);
    }
    const ordered = Object.fromEntries(allowed.filter((k) => k in options.body!).map((k) => [k, options.body![k]]));
    let text = json1C(ordered);
    if (options.lf) text = text.replace(/\r\n/g, '\n');
    headers['Content-Type'] = 'application/json; charset=utf-8';
    payload = Buffer.concat([Buffer.from(options.bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
  }
  if (payload) headers['Content-Length'] = String(payload.length);
  return { method: request.method, path: request.path + (options.tail ?? ''), headers, payload };
}

/** Sends one request of the BSL to the hub as 1C's HTTPСоединение.ВызватьHTTPМетод does. */
export async function replay(
  hub: TestHub,
  tokens: Tokens,
  request: BslRequest,
  options: ReplayOptions = {},
): Promise<OneCAnswer> {
  replayed.add(requestKey(request));
  const { method, path: requestPath, headers, payload } = build1C(request, tokens, options);
  const req = http.request({ host: '127.0.0.1', port: options.port ?? hub.port, method, path: requestPath, headers });
  req.end(payload);
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode ?? 0, headers: res.headers, text, json };
}

/** КодироватьСтроку(Значение, СпособКодированияСтроки.КодировкаURL): UTF-8, percent-encoded. */
export const urlEncoded = (value: string) => encodeURIComponent(value);
