// The 1C side of buttons and commands, imitated (1C cannot run here): a real HTTP server that does
// what the HTTP service БеседаОбратныйВызов (integrations/1c/Беседа/HTTPСервисы) does, step by
// step — the signature by БеседаПодпись.HMACSHA256's own steps (bslHmac, with the block size and
// pads read out of the BSL), the 300 s window, the delivery ids remembered with the answer, the
// dispatch by type with the answers the BSL writes (ЗаписатьJSON's CRLF and tabs). `serviceLines`
// lists the lines of the BSL this imitation follows, so a change there fails the test until the
// imitation follows it.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain JS script without declarations.
import { parseBsl } from '../../scripts/bsl/parseBsl.js';
// @ts-expect-error: a plain JS script without declarations.
import { walkBsl } from '../../scripts/bsl/walkBsl.js';
import { json1C, type Loose } from './integrationHelpers.ts';

const extension = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../integrations/1c/Беседа');
export const signModule = readFileSync(path.join(extension, 'ОбщиеМодули/БеседаПодпись.bsl'), 'utf8');
export const serviceModule = readFileSync(path.join(extension, 'HTTPСервисы/БеседаОбратныйВызов/Модуль.bsl'), 'utf8');

type Node = { type: string; [k: string]: unknown };

/** The constants of БеседаПодпись.HMACSHA256 as the parsed BSL has them: block size, ipad, opad. */
export function hmacConstants(): { block: number; ipad: number; opad: number } {
  const { module, errors } = parseBsl(signModule) as {
    module: { procedures: { name: string; body: unknown }[] };
    errors: unknown[];
  };
  if (errors.length > 0) throw new Error(`БеседаПодпись does not parse: ${JSON.stringify(errors)}`);
  const proc = module.procedures.find((p) => p.name === 'HMACSHA256');
  if (!proc) throw new Error('БеседаПодпись.HMACSHA256 is missing');
  let block: number | undefined;
  /** ВнутреннийБлок / ВнешнийБлок .Установить(Позиция, ПобитовоеИсключительноеИли(БайтКлюча, pad)). */
  const pads = new Map<string, number>();
  walkBsl(proc.body, (n: Node) => {
    if (n.type === 'assign') {
      const target = n.target as Node;
      const value = n.value as Node;
      if (target.type === 'ident' && target.name === 'РазмерБлока' && value.type === 'number')
        block = value.value as number;
    }
    if (n.type === 'call') {
      const callee = n.callee as Node;
      const args = n.args as Node[];
      const xor = args[1];
      if (callee.type === 'member' && callee.name === 'Установить' && xor?.type === 'call') {
        const xorArgs = xor.args as Node[];
        const object = callee.object as Node;
        if (xorArgs[1]?.type === 'number') pads.set(object.name as string, xorArgs[1].value as number);
      }
    }
  });
  const ipad = pads.get('ВнутреннийБлок');
  const opad = pads.get('ВнешнийБлок');
  if (block === undefined || ipad === undefined || opad === undefined)
    throw new Error(`HMACSHA256: block ${block}, ipad ${ipad}, opad ${opad} not found in the BSL`);
  return { block, ipad, opad };
}

const sha256 = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/**
 * БеседаПодпись.HMACSHA256 step by step with plain SHA-256 (no createHmac): a key longer than the
 * block is hashed; the key zero-padded to the block, xor ipad, then xor opad; the inner hash over
 * the inner block and the data, the outer over the outer block and the inner hash; lower-case hex.
 */
export function bslHmac(key: string | Buffer, data: string | Buffer): string {
  const { block, ipad, opad } = hmacConstants();
  const asBytes = (v: string | Buffer) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);
  let keyBytes = asBytes(key);
  if (keyBytes.length > block) keyBytes = sha256(keyBytes);
  const inner = Buffer.alloc(block);
  const outer = Buffer.alloc(block);
  for (let i = 0; i < block; i++) {
    const byte = i < keyBytes.length ? keyBytes[i]! : 0;
    inner[i] = byte ^ ipad;
    outer[i] = byte ^ opad;
  }
  return sha256(outer, sha256(inner, asBytes(data))).toString('hex');
}

/** Lines of the HTTP service the stand-in below follows; each must be in Модуль.bsl as written. */
export const serviceLines = [
  'Если Макс(СейчасUnix - Число(Метка), Число(Метка) - СейчасUnix) > 300 Тогда',
  'Если Не СтрНачинаетсяС(Подпись, "v1=") Тогда',
  'Части.Добавить(ПолучитьДвоичныеДанныеИзСтроки(Метка + ".", КодировкаТекста.UTF8, Ложь));',
  'Части.Добавить(Тело);',
  'Ожидаемая = БеседаПодпись.HMACSHA256(СекретОбратногоВызова(), СоединитьДвоичныеДанные(Части));',
  'Возврат ОтветJSON(401, Новый Структура("error", Отказ));',
  'Если НаборЗаписей.Количество() > 0 Тогда',
  'Возврат ОтветТекстом(200, ТекстОтвета);',
  'Если Объект.Согласующий <> Сотрудник.Ссылка Или Не Сотрудник.МожетПроводить Тогда',
  'Обновление.Вставить("actions", Новый Массив); // кнопки убираются у всех участников',
  'Обновление.Вставить("text", СтрШаблон(НСтр("ru = \'Согласовано: %1, %2\'"), Сотрудник.ФИО, Время));',
  'Ответ = Новый Структура("text, visibility", "", "caller");',
  'Строки.Добавить(СтрШаблон(НСтр("ru = \'Остаток «%1» (арт. %2):\'"), Выборка.Товар, Артикул));',
  'Строки.Добавить(СтрШаблон("- %1: %2", Выборка.Склад, Формат(Выборка.Количество, "ЧН=0")));',
  'Ответ.Заголовки.Вставить("Content-Type", "application/json; charset=utf-8");',
];

/** An order of the sample (Документ.ЗаказКлиента): who approves it, whether it is approved. */
export interface Order {
  approver: string;
  approved: boolean;
  /** How many times it was posted by a button (the thing that must happen once). */
  postings: number;
}

/** The infobase as the service sees it: people by external id, orders by UUID, stock by article. */
export interface Infobase {
  people: Map<string, { name: string; canPost: boolean }>;
  orders: Map<string, Order>;
  stock: Map<string, { item: string; rows: [string, number][] }>;
}

/** What the stand-in got and answered, for the test to look at. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  status: number;
  answer: string;
}

/** The service's clock (seconds), replaceable by a test. */
export type Clock = () => number;

/** ОбратныйВызовPOST, imitated: the answer status and text for one request. */
export function answerCall(
  ib: Infobase,
  seen: Map<string, string>,
  secret: string,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
  now: number,
): { status: number; text: string } {
  const header = (name: string) => String(headers[name] ?? '').trim();
  const stamp = header('x-beseda-timestamp');
  const signature = header('x-beseda-signature');
  const delivery = header('x-beseda-delivery');
  const refuse = (reason: string) => ({ status: 401, text: json1C({ error: reason }) });
  if (!/^\d{1,12}$/.test(stamp)) return refuse('missing or invalid X-Beseda-Timestamp');
  if (Math.max(now - Number(stamp), Number(stamp) - now) > 300)
    return refuse('X-Beseda-Timestamp is more than 300 s away from the clock of 1C');
  if (!signature.startsWith('v1=')) return refuse('missing or invalid X-Beseda-Signature');
  const expected = bslHmac(secret, Buffer.concat([Buffer.from(`${stamp}.`, 'utf8'), body]));
  if (expected !== signature.slice(3).toLowerCase()) return refuse('X-Beseda-Signature does not match');

  let data: Loose;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    return { status: 400, text: json1C({ error: 'invalid body or X-Beseda-Delivery' }) };
  }
  if (delivery === '' || delivery.length > 64) return { status: 400, text: json1C({ error: 'invalid' }) };
  const stored = seen.get(delivery);
  if (stored !== undefined) return { status: 200, text: stored };
  const text = json1C(dispatch(ib, data));
  seen.set(delivery, text);
  return { status: 200, text };
}

function dispatch(ib: Infobase, data: Loose): unknown {
  if (data.type === 'action') return click(ib, data);
  if (data.type === 'command') {
    if (data.command !== '/остаток') return { text: `Команду ${data.command} 1С не знает`, visibility: 'caller' };
    const article = String(data.args ?? '').trim();
    if (article === '') return { text: 'Укажите артикул: /остаток 12345', visibility: 'caller' };
    const found = ib.stock.get(article);
    const lines = found
      ? [`Остаток «${found.item}» (арт. ${article}):`, ...found.rows.map(([w, n]) => `- ${w}: ${n}`)]
      : [`Товара с артикулом ${article} на складах нет`];
    return { text: lines.join('\n'), visibility: 'caller' };
  }
  return {};
}

function click(ib: Infobase, data: Loose): unknown {
  const value = String(data.action?.value ?? '');
  const at = value.indexOf(':');
  const verb = value.slice(0, at);
  if (at < 0 || (verb !== 'approve' && verb !== 'reject')) return { refuse: 'Неизвестная кнопка' };
  const order = ib.orders.get(value.slice(at + 1).toLowerCase());
  if (!order) return { refuse: 'Заказ не найден: возможно, он удалён' };
  const person = ib.people.get(String(data.user?.externalId ?? ''));
  if (!person) return { refuse: 'Ваша учётная запись в Беседе не связана с пользователем 1С' };
  if (order.approver !== data.user.externalId || !person.canPost)
    return { refuse: 'Согласовать этот заказ может только назначенный в нём согласующий' };
  const time = new Date().toTimeString().slice(0, 5);
  const update: Record<string, unknown> = { actions: [] };
  if (order.approved) return { update: { ...update, text: 'Заказ уже согласован' } };
  if (verb === 'approve') {
    order.approved = true;
    order.postings += 1;
    update.text = `Согласовано: ${person.name}, ${time}`;
  } else update.text = `Отклонено: ${person.name}, ${time}`;
  return { update };
}

/** The stand-in server: POST /beseda-callback/hs/beseda/callback as the web server publishes it. */
export async function startOneC(ib: Infobase, clock: Clock = () => Math.floor(Date.now() / 1000)) {
  const seen = new Map<string, string>();
  const received: Received[] = [];
  const state = { secret: '' };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const { status, text } =
      req.method === 'POST' && req.url === '/beseda-callback/hs/beseda/callback'
        ? answerCall(ib, seen, state.secret, req.headers, body, clock())
        : { status: 404, text: '' };
    received.push({ headers: req.headers, body, status, answer: text });
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(text);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/beseda-callback/hs/beseda/callback`,
    port,
    state,
    received,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
