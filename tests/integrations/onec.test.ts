// 1C cannot run here, so this replays against a real hub exactly the HTTP requests the sample
// modules in integrations/1c/ make: method, path, the headers they set (plus 1C's User-Agent) and
// the JSON as 1C's ЗаписатьJSON writes it (CRLF line breaks, tab indentation, unescaped
// Cyrillic), with and without a UTF-8 byte-order mark. The modules' requests are read from the
// BSL source, so a change there that this replay does not follow fails here.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { addBot, json1C, type Loose } from './integrationHelpers.ts';

const moduleFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../integrations/1c/Беседа.bsl');
const bsl = readFileSync(moduleFile, 'utf8');

/** What a function of the module sends: the method, the path (before any argument) and the JSON keys in order. */
function requestOf(name: string): { method: string; path: string; keys: string[] } {
  const block = new RegExp(`(?:Функция|Процедура) ${name}\\(([\\s\\S]*?)(?:КонецФункции|КонецПроцедуры)`).exec(bsl);
  if (!block) throw new Error(`${name} is not in ${moduleFile}`);
  const call = /ВыполнитьЗапрос\("(\w+)", "([^"]+)"/.exec(block[1]!);
  if (!call) throw new Error(`${name} makes no request`);
  return {
    method: call[1]!,
    path: call[2]!,
    keys: [...block[1]!.matchAll(/Тело\.Вставить\("([^"]+)"/g)].map((m) => m[1]!),
  };
}

let hub: TestHub;
let token: string;
let sklad: number;

/** One request as 1C's HTTPСоединение sends it for ВыполнитьЗапрос. */
function send1C(
  method: string,
  requestPath: string,
  body?: Record<string, unknown>,
  options: { bom?: boolean; token?: string } = {},
): Promise<{ status: number; text: string; json: Loose }> {
  const headers: Record<string, string> = {
    'User-Agent': '1C+Enterprise/8.3',
    Authorization: `Bearer ${options.token ?? token}`,
    Accept: 'application/json',
  };
  let payload: Buffer | undefined;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    const text = Buffer.from(json1C(body), 'utf8');
    payload = options.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]) : text;
    headers['Content-Length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: hub.port, method, path: requestPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** The body a function builds, with its keys in the module's order. */
function bodyOf(name: string, values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of requestOf(name).keys) if (key in values) body[key] = values[key];
  return body;
}

beforeAll(async () => {
  hub = await startHub();
  const u = await hub.addUser('petrov', 'Петров', { branch: 'Офис Тверь' });
  const s = await TestSocket.open(hub.wsUrl, (await hub.login('petrov', u.password)).token);
  sklad = (await s.request<{ conversation: { id: number } }>('rooms.create', { name: 'Склад', kind: 'open' }))
    .conversation.id;
  s.close();
  token = (
    await addBot(hub, 'onec', { name: '1С:Предприятие', rooms: ['Склад', 'Офис Тверь'], embed: true, directory: true })
  ).token;
});
afterAll(async () => {
  await hub.stop();
});

describe('the requests of integrations/1c/Беседа.bsl', () => {
  it('the module sets the headers and JSON the replay sends', () => {
    expect(bsl).toContain('Заголовки.Вставить("Content-Type", "application/json; charset=utf-8");');
    expect(bsl).toContain('Заголовки.Вставить("Authorization", "Bearer " + ');
    expect(bsl).toContain('Заголовки.Вставить("Accept", "application/json");');
    expect(bsl).toMatch(/Новый HTTPСоединение\(/);
    expect(bsl).toMatch(/Новый HTTPЗапрос\(Путь, Заголовки\)/);
    expect(bsl).toMatch(/ЗаписатьJSON\(Запись, Значение\)/);
    expect(bsl).toMatch(/ПрочитатьJSON\(Чтение\)/);
    expect(requestOf('ОтправитьСообщение')).toEqual({
      method: 'POST',
      path: '/api/v1/messages',
      keys: ['to', 'text', 'clientId'],
    });
    expect(requestOf('ОтправитьОбъявление')).toEqual({
      method: 'POST',
      path: '/api/v1/announcements',
      keys: ['to', 'text'],
    });
    expect(requestOf('СостояниеОбъявления')).toMatchObject({ method: 'GET', path: '/api/v1/announcements/' });
    expect(requestOf('ВыгрузитьПользователя')).toEqual({
      method: 'PUT',
      path: '/api/v1/users/',
      keys: ['name', 'branch', 'email', 'active'],
    });
    expect(requestOf('ОтключитьПользователя')).toMatchObject({ method: 'DELETE', path: '/api/v1/users/' });
    expect(requestOf('СсылкаДляВстраивания')).toEqual({ method: 'POST', path: '/api/v1/embed-links', keys: ['login'] });
  });

  it('ОтправитьСообщение: to a room, with and without a BOM; a retry with the same id is one message', async () => {
    const { method, path: p } = requestOf('ОтправитьСообщение');
    const body = bodyOf('ОтправитьСообщение', {
      to: '#Склад',
      text: 'Проведён заказ №17\nот 01.07.2025 на сумму 1 200,00 руб.',
      clientId: 'order-3f2a6c1e-8d4b-4e0a-9c1d-2b7e5f6a9d10',
    });
    expect(json1C(body)).toContain('{\r\n\t"to": "#Склад",\r\n\t"text": ');
    const first = await send1C(method, p, body);
    expect(first.status, first.text).toBe(201);
    expect(first.json.message).toMatchObject({ conversationId: sklad, text: body.text });
    const retry = await send1C(method, p, body, { bom: true });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.json.message.seq).toBe(first.json.message.seq);
    const withBom = await send1C(method, p, bodyOf('ОтправитьСообщение', { to: '#Склад', text: 'С BOM' }), {
      bom: true,
    });
    expect(withBom.status, withBom.text).toBe(201);
    expect(withBom.json.message.text).toBe('С BOM');
  });

  it('ВыгрузитьПользователя creates, then updates; ОтправитьСообщение to "@логин"; ОтключитьПользователя', async () => {
    const put = requestOf('ВыгрузитьПользователя');
    const login = 'ivanov.i.i'; // ЛогинБеседы("Иванов И.И.")
    const entry = { name: 'Иванов Иван Иванович', branch: 'Офис Тверь', email: '', active: true };
    const created = await send1C(
      put.method,
      put.path + encodeURIComponent(login),
      bodyOf('ВыгрузитьПользователя', entry),
    );
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({ created: true, user: { login, branch: 'Офис Тверь', email: null } });
    const again = await send1C(
      put.method,
      put.path + encodeURIComponent(login),
      bodyOf('ВыгрузитьПользователя', entry),
      {
        bom: true,
      },
    );
    expect(again.status, again.text).toBe(200);
    expect(again.json.created).toBe(false);

    const send = requestOf('ОтправитьСообщение');
    const direct = await send1C(
      send.method,
      send.path,
      bodyOf('ОтправитьСообщение', { to: `@${login}`, text: 'Добро пожаловать!' }),
    );
    expect(direct.status, direct.text).toBe(201);

    const del = requestOf('ОтключитьПользователя');
    const disabled = await send1C(del.method, del.path + encodeURIComponent(login));
    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.json.user).toMatchObject({ login, disabled: true });
  });

  it('ОтправитьОбъявление to a branch, then СостояниеОбъявления', async () => {
    const announce = requestOf('ОтправитьОбъявление');
    const res = await send1C(
      announce.method,
      announce.path,
      bodyOf('ОтправитьОбъявление', { to: 'branch:Офис Тверь', text: 'В пятницу с 10:00 до 12:00 не будет света.' }),
    );
    expect(res.status, res.text).toBe(201);
    const seq = res.json.message.seq as number;
    const status = requestOf('СостояниеОбъявления');
    const report = await send1C(status.method, status.path + String(seq)); // Формат(Номер, "ЧГ=0")
    expect(report.status, report.text).toBe(200);
    expect(report.json.pending.map((p: { login: string }) => p.login)).toEqual(['petrov']);
    expect(report.json.confirmed).toEqual([]);
  });

  it('СсылкаДляВстраивания returns an address the HTML field can open', async () => {
    const embed = requestOf('СсылкаДляВстраивания');
    const res = await send1C(embed.method, embed.path, bodyOf('СсылкаДляВстраивания', { login: 'petrov' }));
    expect(res.status, res.text).toBe(201);
    expect(res.json.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${hub.port}/embed/[A-Za-z0-9_-]{43}$`));
  });

  it('errors come back as JSON the module turns into an exception text', async () => {
    const send = requestOf('ОтправитьСообщение');
    const wrongToken = await send1C(send.method, send.path, bodyOf('ОтправитьСообщение', { to: '#Склад', text: 'x' }), {
      token: 'bot_' + 'Z'.repeat(43),
    });
    expect(wrongToken.status).toBe(401);
    expect(wrongToken.json.error).toMatchObject({ code: 'unauthorized', message: expect.any(String) });
    const noRoom = await send1C(send.method, send.path, bodyOf('ОтправитьСообщение', { to: '#Нет такой', text: 'x' }));
    expect(noRoom.status).toBe(404);
    expect(noRoom.json.error.code).toBe('not_found');
  });
});
