// Business events after commit (issue 17): the posting handler of the sample document only writes
// a queue record (БеседаОчередь.ПоставитьВОчередь, no hub call — the checker follows every call);
// the scheduled job (ОтправитьОчередь → ОтправитьЗапись) sends each record with clientId = Ключ and
// replace: true. Replayed against a real hub with the register imitated in memory (1C cannot run
// here): a rolled-back posting leaves no record and so sends nothing; re-posting edits the earlier
// message (message.updated) instead of a second one; an answer lost after the hub acted, or a 503
// with Retry-After, is sent again by ВыполнитьЗапрос's loop and still makes one message.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { http } from './integrationHelpers.ts';
import { faultyProxy, likeBsl, loopOfTheBsl } from './onecBackoff.ts';
import {
  addOneCBots,
  procedureText,
  reachesHub,
  replay,
  requestOf,
  urlEncoded,
  type OneCAnswer,
  type Tokens,
} from './onecReplay.ts';

let hub: TestHub;
let tokens: Tokens;
let approver: TestSocket;
const approverId = randomUUID();
const bsl = (module: string, name: string) => procedureText(module, name, (f) => readFileSync(f, 'utf8'));

/** A record of the register БеседаОчередьСообщений (the resources the job reads). */
interface QueueRecord {
  Кому: string;
  Текст: string;
  Файл?: { Имя: string; Данные: Buffer };
  /** The buttons (БеседаСервер.Кнопка), sent as actions when the record has them. */
  Действия?: Record<string, string>[];
}

/** The register, and postings that write it in a transaction that commits or rolls back. */
class Register {
  records = new Map<string, QueueRecord>();
  /** ОбработкаПроведения in its transaction: ПоставитьВОчередь writes (replacing the key's record). */
  post(write: (put: (Ключ: string, record: QueueRecord) => void) => void, commit: boolean): void {
    const inTransaction = new Map(this.records);
    write((key, record) => inTransaction.set(key, record));
    if (commit) this.records = inTransaction;
  }
}

/** ОтправитьОчередь: each record as ОтправитьЗапись sends it; deleted on success. Every answer returned. */
async function sendQueue(register: Register, port = hub.port): Promise<OneCAnswer[]> {
  const answers: OneCAnswer[] = [];
  for (const [key, record] of [...register.records]) {
    const message = await likeBsl(() =>
      replay(hub, tokens, requestOf('БеседаСервер.ОтправитьСообщение'), {
        body: {
          to: record.Кому,
          text: record.Текст,
          clientId: key,
          replace: true,
          ...(record.Действия ? { actions: record.Действия } : {}),
        },
        port,
      }),
    );
    if (!message.answer || message.gaveUp || message.answer.status >= 300) continue; // Отложить
    answers.push(message.answer);
    if (record.Файл) answers.push(...(await sendFile(record, key, port)));
    register.records.delete(key);
  }
  return answers;
}

/** The file of a record: its own message, clientId "f" + SHA-1(Ключ, Текст, Имя) (ИдентификаторФайла). */
async function sendFile(record: QueueRecord, key: string, port: number): Promise<OneCAnswer[]> {
  const file = record.Файл!;
  const fileId = 'f' + createHash('sha1').update(`${key}\n${record.Текст}\n${file.Имя}`, 'utf8').digest('hex');
  const upload = await replay(hub, tokens, requestOf('БеседаСервер.ОтправитьФайл', '/api/v1/files'), {
    tail: urlEncoded(file.Имя),
    file: file.Данные,
    port,
  });
  expect(upload.status, upload.text).toBe(201);
  const body = { to: record.Кому, text: '', clientId: fileId, files: [upload.json.file.id] };
  const sent = await replay(hub, tokens, requestOf('БеседаСервер.ОтправитьФайл', '/api/v1/messages'), { body, port });
  return [upload, sent];
}

const approval = (sum: string): QueueRecord => ({
  Кому: `ext:${approverId}`,
  Текст: `Согласуйте [заказ №17](e1cib/data/Документ.ЗаказКлиента?ref=80c1) на ${sum} ₽`,
});

beforeAll(async () => {
  hub = await startHub();
  tokens = await addOneCBots(hub, ['all']);
  const put = await replay(hub, tokens, requestOf('БеседаСервер.ВыгрузитьСтрокуПользователя'), {
    tail: urlEncoded(approverId),
    body: { name: 'Соколова Анна Викторовна', branch: '', active: true },
  });
  expect(put.status, put.text).toBe(201);
  const link = await replay(hub, tokens, requestOf('БеседаСервер.АдресЧата'), { body: { externalId: approverId } });
  const opened = await http(hub, 'GET', new URL(link.json.url).pathname);
  const code = opened.headers.get('location')!.split('#embed=')[1]!;
  const session = await http(hub, 'POST', '/api/v1/embed-links/redeem', { json: { code } });
  approver = await TestSocket.open(hub.wsUrl, session.body.token);
});
afterAll(async () => {
  approver?.close();
  await hub.stop();
});

/** Messages the approver received with this clientId (live frames). */
const received = (clientId: string) => approver.all('message').filter((f) => f.message.clientId === clientId);

/** A marker through the same path: once it arrives, anything sent before it has arrived too. */
async function settle(): Promise<void> {
  const clientId = `marker-${randomUUID()}`;
  const sent = await replay(hub, tokens, requestOf('БеседаСервер.ОтправитьСообщение'), {
    body: { to: `ext:${approverId}`, text: 'метка', clientId },
  });
  expect(sent.status, sent.text).toBe(201);
  await arrived('message', (f) => f.message.clientId === clientId);
}

/** A frame the approver has received, or the next one (the answer to 1C may come after the frame). */
function arrived<T extends 'message' | 'message.updated'>(
  type: T,
  match: (f: Extract<ServerFrame, { type: T }>) => boolean,
): Promise<Extract<ServerFrame, { type: T }>> {
  const past = approver.all(type).find(match);
  return past ? Promise.resolve(past) : approver.next(type, match, 30_000);
}

describe('the BSL keeps hub calls out of the transaction', () => {
  it('the posting handlers only queue; the job and ОтправитьЗапись send with clientId = Ключ and replace', () => {
    expect(reachesHub('ЗаказКлиента.МодульОбъекта', 'БеседаОбработкаПроведения')).toBe(false);
    expect(reachesHub('ЗаказКлиента.МодульОбъекта', 'БеседаОбработкаУдаленияПроведения')).toBe(false);
    expect(reachesHub('БеседаОчередь', 'ПоставитьВОчередь')).toBe(false);
    expect(reachesHub('БеседаОчередь', 'ОтправитьОчередь')).toBe(true);
    expect(bsl('ЗаказКлиента.МодульОбъекта', 'БеседаОбработкаПроведения')).toContain(
      'БеседаОчередь.ПоставитьВОчередь(БеседаОчередь.КлючСобытия(Ссылка, "approve"), "ext:" + Получатель',
    );
    const send = bsl('БеседаОчередь', 'ОтправитьЗапись');
    expect(send).toContain(
      'БеседаСервер.ОтправитьСообщение(Выборка.Кому, Выборка.Текст, Выборка.Ключ, Истина, Сведения, Действия)',
    );
    // The buttons (issue 18) travel with the record: stored by ПоставитьВОчередь, sent as actions.
    expect(send).toContain('Действия = Выборка.Действия.Получить();');
    expect(send).toContain('ИдентификаторФайла(Выборка.Ключ, Выборка.Текст, Файл.Имя)');
    expect(bsl('БеседаОчередь', 'ИдентификаторФайла')).toContain(
      'Хеширование.Добавить(Ключ + Символы.ПС + Текст + Символы.ПС + ИмяФайла);',
    );
    const loop = bsl('БеседаСервер', 'ВыполнитьЗапрос');
    for (const line of loopOfTheBsl) expect(loop).toContain(line);
  });
});

describe('the queue against a real hub', () => {
  it('a rolled-back posting leaves nothing in the queue, and nothing is sent', async () => {
    const register = new Register();
    const key = `approve-${randomUUID()}`;
    register.post((put) => put(key, approval('1 250 000')), false);
    expect(register.records.size).toBe(0);
    expect(await sendQueue(register)).toEqual([]);
    await settle();
    expect(received(key)).toEqual([]);
  });

  it('re-posting edits the earlier message (message.updated), never a second one; unchanged text changes nothing', async () => {
    const register = new Register();
    const key = `approve-${randomUUID()}`;
    const pdf = { Имя: 'Счёт на оплату №17.pdf', Данные: Buffer.from('%PDF-1.4\n%%EOF\n') };
    register.post((put) => put(key, { ...approval('1 250 000'), Файл: pdf }), true);
    const [first, upload, file] = await sendQueue(register);
    expect(first!.status, first!.text).toBe(201);
    expect(first!.json.replaced).toBe(false);
    expect(upload!.status).toBe(201);
    expect(file!.status, file!.text).toBe(201);
    const seq = first!.json.message.seq as number;
    await arrived('message', (f) => f.message.seq === seq);

    // The document is posted again with another sum: the same key, the record replaced.
    register.post((put) => put(key, approval('1 300 000')), true);
    const [second] = await sendQueue(register);
    expect(second!.status, second!.text).toBe(200);
    expect(second!.json).toMatchObject({ replaced: true, message: { seq, text: approval('1 300 000').Текст } });
    const update = await arrived('message.updated', (f) => f.update.message.seq === seq);
    expect(update.update.kind).toBe('edit');
    expect(update.update.message.editedAt).toEqual(expect.any(Number));

    // Posted once more, unchanged: the hub changes nothing.
    register.post((put) => put(key, approval('1 300 000')), true);
    const [third] = await sendQueue(register);
    expect(third!.status, third!.text).toBe(200);
    await settle();
    expect(received(key)).toHaveLength(1);
    expect(approver.all('message.updated').filter((f) => f.update.message.seq === seq)).toHaveLength(1);
    expect(register.records.size).toBe(0);
  });

  it('an answer lost after the hub acted: the loop sends the same record again, one message', async () => {
    const proxy = await faultyProxy(hub.port, (n) => (n === 1 ? 'lose-answer' : 'forward'));
    try {
      const register = new Register();
      const key = `approve-${randomUUID()}`;
      register.post((put) => put(key, approval('990 000')), true);
      const [answer] = await sendQueue(register, proxy.port);
      expect(proxy.count).toBe(2);
      expect(answer!.status, answer!.text).toBe(200); // the second attempt finds the message and keeps it
      expect(answer!.json.replaced).toBe(true);
      await settle();
      expect(received(key)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('a 503 with Retry-After: the loop waits as long as asked, then one message', async () => {
    const proxy = await faultyProxy(hub.port, (n) => (n === 1 ? { status: 503, retryAfter: '3' } : 'forward'));
    try {
      const key = `approve-${randomUUID()}`;
      const run = await likeBsl(() =>
        replay(hub, tokens, requestOf('БеседаСервер.ОтправитьСообщение'), {
          body: { to: `ext:${approverId}`, text: 'После 503', clientId: key, replace: true },
          port: proxy.port,
        }),
      );
      expect(run.attempts.map((a) => a.status)).toEqual([503, 201]);
      expect(run.attempts[0]!.pauseSeconds).toBe(3); // Retry-After, more than the first 1 s back-off
      expect(run.attempts[1]!.at - run.attempts[0]!.at).toBeGreaterThanOrEqual(3000);
      await settle();
      expect(received(key)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
