// 1C cannot run here, so this replays against a real hub exactly the HTTP requests the extension
// in integrations/1c/Беседа makes, procedure by procedure (method and path read from the BSL by
// the checker, see onecReplay.ts): the directory export by external id (namesakes get distinct
// logins, generated once; a field 1C does not know is left alone), linking an existing account,
// disabling, the chat address of a person whose infobase name is not their full name, messages,
// files and announcements. The last test fails when a procedure of the BSL makes a request that
// no replay here sends, so the replays cannot drift from the BSL.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { http } from './integrationHelpers.ts';
import {
  addOneCBots,
  bslRequests,
  procedureText,
  replay,
  replayed,
  requestKey,
  requestOf,
  urlEncoded,
  type ReplayOptions,
  type Tokens,
} from './onecReplay.ts';

let hub: TestHub;
let tokens: Tokens;
// Infobase users' УникальныйИдентификатор, as the BSL sends them: НРег(Строка(УИД)).
const ivanovA = randomUUID();
const ivanovB = randomUUID();
const sidorov = randomUUID();

beforeAll(async () => {
  hub = await startHub();
  const petrov = await hub.addUser('petrov', 'Петров Пётр', { branch: 'Офис Тверь' });
  const s = await TestSocket.open(hub.wsUrl, (await hub.login('petrov', petrov.password)).token);
  await s.request('rooms.create', { name: 'Склад', kind: 'open' });
  s.close();
  tokens = await addOneCBots(hub, ['Склад', 'all']);
});
afterAll(async () => {
  await hub.stop();
});

const send = (procedure: string, options: ReplayOptions = {}, pathStart = '') =>
  replay(hub, tokens, requestOf(procedure, pathStart), options);
const exportUser = (externalId: string, body: Record<string, unknown>, options: ReplayOptions = {}) =>
  send('БеседаСервер.ВыгрузитьСтрокуПользователя', { tail: urlEncoded(externalId), body, ...options });

/** Signs in through an embed link as the chat form does; the session's user. */
async function openChat(url: string): Promise<{ token: string; user: Record<string, unknown> }> {
  const opened = await http(hub, 'GET', new URL(url).pathname);
  expect(opened.status, opened.text).toBe(302);
  const code = opened.headers.get('location')!.split('#embed=')[1]!;
  const session = await http(hub, 'POST', '/api/v1/embed-links/redeem', { json: { code } });
  expect(session.status, session.text).toBe(200);
  return session.body;
}

describe('directory export by external id (БеседаСервер)', () => {
  it('namesakes get distinct logins, generated once by the hub; a re-export changes no login', async () => {
    const name = 'Иванов Иван Иванович';
    const first = await exportUser(ivanovA, { name, branch: 'Офис Тверь', email: 'ivanov@corp.local', active: true });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ created: true, user: { login: 'ivanov.ii', externalId: ivanovA } });
    expect(first.json.user).toMatchObject({ name, branch: 'Офис Тверь', email: 'ivanov@corp.local', active: true });

    // The namesake (another infobase user, the same full name): a login of its own, the first untouched.
    const second = await exportUser(ivanovB, { name, branch: '', active: true }, { bom: true });
    expect(second.status, second.text).toBe(201);
    expect(second.json.user.login).toBe('ivanov.ii2');
    expect(second.json.user.externalId).toBe(ivanovB);

    // The nightly run again (a Linux 1C server: LF line breaks), no e-mail known this time: the
    // key is not sent, and the address set before stays.
    const again = await exportUser(ivanovA, { name, branch: 'Офис Тверь', active: true }, { lf: true });
    expect(again.status, again.text).toBe(200);
    expect(again.json).toMatchObject({ created: false, user: { login: 'ivanov.ii', email: 'ivanov@corp.local' } });
    const look = await send('БеседаСервер.ПользовательБеседы', { tail: urlEncoded(ivanovB) });
    expect(look.status, look.text).toBe(200);
    expect(look.json.user).toMatchObject({ login: 'ivanov.ii2', active: true });
  });

  it('ПользовательБеседы: an unknown external id is 404 (the BSL returns Неопределено)', async () => {
    const unknown = await send('БеседаСервер.ПользовательБеседы', { tail: urlEncoded(randomUUID()) });
    expect(unknown.status, unknown.text).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
    const text = procedureText('БеседаСервер', 'ПользовательБеседы', (f) => readFileSync(f, 'utf8'));
    expect(text).toMatch(/Сведения\.КодСостояния = 404 Тогда\s+Возврат Неопределено;/);
  });

  it('СвязатьСУчетнойЗаписью adopts an account made by hand, once; the same login for someone else is 409', async () => {
    await hub.addUser('sidorov', 'Сидоров Павел');
    const linked = await send('БеседаСервер.СвязатьСУчетнойЗаписью', {
      tail: urlEncoded(sidorov),
      body: { name: 'Сидоров Павел Андреевич', login: 'sidorov' },
    });
    expect(linked.status, linked.text).toBe(200);
    expect(linked.json.user).toMatchObject({ login: 'sidorov', externalId: sidorov, name: 'Сидоров Павел Андреевич' });
    const stolen = await send('БеседаСервер.СвязатьСУчетнойЗаписью', {
      tail: urlEncoded(randomUUID()),
      body: { name: 'Другой Сидоров', login: 'sidorov' },
    });
    expect(stolen.status, stolen.text).toBe(409);
    expect(stolen.json.error.code).toBe('conflict');
  });

  it('ОтключитьПользователя disables by external id; the namesake stays active', async () => {
    const off = await send('БеседаСервер.ОтключитьПользователя', {
      tail: urlEncoded(ivanovB),
      body: { name: 'Иванов Иван Иванович', active: false },
    });
    expect(off.status, off.text).toBe(200);
    expect(off.json.user).toMatchObject({ login: 'ivanov.ii2', active: false });
    const other = await send('БеседаСервер.ПользовательБеседы', { tail: urlEncoded(ivanovA) });
    expect(other.json.user).toMatchObject({ login: 'ivanov.ii', active: true });
  });
});

describe('the chat address (АдресЧата, БеседаВызовСервера.АдресЧатаТекущегоПользователя)', () => {
  it('is asked for by the current infobase user’s UUID, never by a login built from a name', () => {
    const text = procedureText('БеседаВызовСервера', 'АдресЧатаТекущегоПользователя', (f) => readFileSync(f, 'utf8'));
    expect(text).toMatch(/Функция АдресЧатаТекущегоПользователя\(\) Экспорт/);
    expect(text).toContain('ПользователиИнформационнойБазы.ТекущийПользователь()');
    expect(text).toContain('БеседаСервер.АдресЧата(НРег(Строка(ПользовательИБ.УникальныйИдентификатор)))');
    expect(requestOf('БеседаСервер.АдресЧата').bodyKeys).toEqual(['externalId']);
  });

  it('signs in the person whose infobase name («ИвановИИ») is not their full name, and the namesake apart', async () => {
    const link = await send('БеседаСервер.АдресЧата', { body: { externalId: ivanovA } });
    expect(link.status, link.text).toBe(201);
    expect(link.json.url).toMatch(/\/embed\/[A-Za-z0-9_-]{43}$/);
    const session = await openChat(link.json.url);
    expect(session.user).toMatchObject({ login: 'ivanov.ii' });
    const socket = await TestSocket.open(hub.wsUrl, session.token);
    expect(socket.hello.me).toMatchObject({ login: 'ivanov.ii', name: 'Иванов Иван Иванович' });
    socket.close();
    // The linked account: the same way, by its external id.
    const other = await send('БеседаСервер.АдресЧата', { body: { externalId: sidorov } }, '');
    expect((await openChat(other.json.url)).user).toMatchObject({ login: 'sidorov' });
    // A disabled person gets no chat.
    const disabled = await send('БеседаСервер.АдресЧата', { body: { externalId: ivanovB } });
    expect(disabled.status, disabled.text).toBeGreaterThanOrEqual(400);
  });
});

describe('messages, files, announcements (БеседаСервер)', () => {
  it('ОтправитьСообщение to "ext:<UUID>" and to a room; a retry with the same clientId is the same message', async () => {
    const clientId = `approve-${randomUUID()}`;
    const body = {
      to: `ext:${ivanovA}`,
      text: 'Согласуйте [заказ №17](e1cib/data/Документ.ЗаказКлиента?ref=1) на 1 250 000 ₽',
      clientId,
    };
    const first = await send('БеседаСервер.ОтправитьСообщение', { body });
    expect(first.status, first.text).toBe(201);
    expect(first.json.message.text).toBe(body.text);
    // The answer was lost (timeout): ВыполнитьЗапрос sends the same request again, here with a BOM.
    const retry = await send('БеседаСервер.ОтправитьСообщение', { body, bom: true });
    // 2xx is success to ВыполнитьЗапрос (the hub answers a repeat as it answered the first).
    expect([200, 201], retry.text).toContain(retry.status);
    expect(retry.json.message.seq).toBe(first.json.message.seq);
    const link = await send('БеседаСервер.АдресЧата', { body: { externalId: ivanovA } });
    const socket = await TestSocket.open(hub.wsUrl, (await openChat(link.json.url)).token);
    const page = await socket.request<{ messages: { clientId?: string }[] }>('history', {
      conversationId: first.json.message.conversationId,
    });
    socket.close();
    expect(page.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
    const room = await send('БеседаСервер.ОтправитьСообщение', {
      body: { to: '#Склад', text: 'Проведён заказ №17', clientId: `posted-${randomUUID()}` },
      lf: true,
    });
    expect(room.status, room.text).toBe(201);
  });

  it('ОтправитьФайл: the upload (?name= in КодировкаURL), then the message with the file', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const upload = await send(
      'БеседаСервер.ОтправитьФайл',
      { tail: urlEncoded('Счёт на оплату №17.pdf'), file: pdf },
      '/api/v1/files',
    );
    expect(upload.status, upload.text).toBe(201);
    expect(upload.json.file.name).toBe('Счёт на оплату №17.pdf');
    const message = await send(
      'БеседаСервер.ОтправитьФайл',
      { body: { to: `ext:${ivanovA}`, text: '', clientId: `invoice-${randomUUID()}`, files: [upload.json.file.id] } },
      '/api/v1/messages',
    );
    expect(message.status, message.text).toBe(201);
    expect(message.json.message.files).toEqual([expect.objectContaining({ id: upload.json.file.id })]);
  });

  it('ОтправитьОбъявление, then СостояниеОбъявления (Формат(Номер, "ЧГ=0"))', async () => {
    const sent = await send('БеседаСервер.ОтправитьОбъявление', {
      body: { to: 'all', text: 'В пятницу с 10:00 до 12:00 не будет света.', clientId: `notice-${randomUUID()}` },
    });
    expect(sent.status, sent.text).toBe(201);
    const seq = sent.json.message.seq as number;
    const state = await send('БеседаСервер.СостояниеОбъявления', { tail: String(seq) });
    expect(state.status, state.text).toBe(200);
    expect(state.json.confirmed).toEqual([]);
    expect(state.json.pending.map((p: { login: string }) => p.login)).toContain('ivanov.ii');
  });
});

/** The rows of the README's table «процедура → запрос»: method and the literal start of the path. */
function readmeRows(): { row: string; method: string; path: string }[] {
  const readme = readFileSync(new URL('../../integrations/1c/Беседа/README.md', import.meta.url), 'utf8');
  const rows = [];
  for (const line of readme.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const method = cells[2] ?? '';
    const path = /^`([^`<…]+)/.exec(cells[3] ?? '')?.[1];
    if (/^(GET|POST|PUT|DELETE|PATCH)$/.test(method) && path) rows.push({ row: cells[1] ?? '', method, path });
  }
  return rows;
}

describe('the replays follow the BSL', () => {
  it('the README table names every procedure that makes a request, with a method and path the BSL sends', () => {
    const rows = readmeRows();
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const { row, method, path } of rows) {
      const sent = bslRequests.some(
        (r) => r.method === method && (r.exact ? r.path === path : path.startsWith(r.path)),
      );
      expect(sent, `README: ${row} ${method} ${path}`).toBe(true);
    }
    const table = rows.map((r) => r.row).join('\n');
    for (const r of bslRequests) expect(table, `README names ${r.procedure}`).toContain(r.procedure);
  });

  it('every request a procedure of integrations/1c/Беседа makes is replayed above', () => {
    const keys = bslRequests.map(requestKey);
    expect(keys.length).toBeGreaterThanOrEqual(9);
    expect(keys.filter((k) => !replayed.has(k))).toEqual([]);
  });
});
