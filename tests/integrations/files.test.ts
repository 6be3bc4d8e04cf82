// Files from integrations through a real hub: a bot sends a PDF to @login as multipart/form-data
// and as an upload then a reference; the recipient (a live WebSocket client) gets message.files
// and downloads the same bytes with its session's key; Cyrillic names survive; the upload limits
// over multipart (file_too_large while streaming, quota_exceeded, too many files) post nothing;
// a wrong "to" is refused before any upload; a retry with the same clientId gives one message
// and stores no second copy; a webhook posts a multipart payload with a file into its room; an
// outsider gets 404 for the bot's files; a 256 MiB form leaves the hub's memory far below the
// file's size. The curl command lines of docs/integrations.md run with the real curl binary, and
// ОтправитьФайл's two requests are replayed as 1C sends them.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRef, Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { answerOf, download, type Person, person, sampleRss, upload, writeChunk } from '../files/fileHelpers.ts';
import { waitFor } from '../hub/serveProcess.ts';
import { addBot, type Answer, clientId, http as request, json1C, type Loose } from './integrationHelpers.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const maxFile = 1_000_000;
const quota = 4_000_000;
const invoiceName = 'Счёт №17.pdf';

let hub: TestHub;
let ivanov: Person;
let petrov: Person;
let bot: { id: number; token: string };
let monitoring: number;
let hookSecret: string;
/** The direct conversation of the bot and Иванов (opened by the first post). */
let direct: number;

/** A PDF-looking file of about `size` bytes (the hub knows PDFs by their first bytes). */
function pdf(size = 50_000): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(Math.max(0, size - 16)), Buffer.from('\n%%EOF\n')]);
}

/** Downloads a file as the web client does (the session's `?key=`); the status and bytes. */
async function fetchFile(fileId: string, who: Person): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await download(hub, fileId, { key: who.key });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** A form part: a text field, or a file with its name. */
type Part = { name: string; value: string } | { name: string; filename: string; bytes: Uint8Array; type?: string };

/** Posts a multipart form with fetch (FormData, as a browser or an HTTP library writes it). */
async function postForm(urlPath: string, parts: Part[], token?: string): Promise<Answer> {
  const form = new FormData();
  for (const p of parts) {
    if ('value' in p) form.append(p.name, p.value);
    else
      form.append(
        p.name,
        new Blob([new Uint8Array(p.bytes)], { type: p.type ?? 'application/octet-stream' }),
        p.filename,
      );
  }
  const res = await fetch(hub.url + urlPath, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  const text = await res.text();
  let body: Loose;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

/**
 * Sends a multipart form chunked, a file part's bytes in 64 KiB writes, and stops writing once the
 * hub answers (it answers an over-limit part before the body ends, then closes the connection).
 */
function streamForm(
  urlPath: string,
  token: string,
  fields: Record<string, string>,
  files: { filename: string; size: number }[],
): Promise<{ status: number; body: Loose }> {
  const boundary = `----beseda${randomBytes(8).toString('hex')}`;
  const req = http.request(`${hub.url}${urlPath}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'transfer-encoding': 'chunked',
    },
  });
  req.on('error', () => {}); // the hub may close while we still write: what it answered counts
  let answered = false;
  const response = new Promise<{ status: number; body: Loose }>((resolve) =>
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: parseAnswer(text) }));
    }),
  );
  const write = async (chunk: Buffer) => {
    if (answered || req.destroyed) return;
    if (!req.write(chunk)) await new Promise((r) => setTimeout(r, 20));
  };
  void (async () => {
    for (const [name, value] of Object.entries(fields))
      await write(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'),
      );
    for (const f of files) {
      await write(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\n` +
            'Content-Type: application/pdf\r\n\r\n',
          'utf8',
        ),
      );
      const body = pdf(f.size);
      for (let at = 0; at < body.length && !answered; at += 64 * 1024) await write(body.subarray(at, at + 64 * 1024));
      await write(Buffer.from('\r\n'));
    }
    await write(Buffer.from(`--${boundary}--\r\n`));
    if (!answered && !req.destroyed) req.end();
  })();
  return response.finally(() => req.destroy());
}

/**
 * Sends only the headers of a multipart form (the body "is coming") and waits for the answer: a
 * refusal that comes now was made before a single body byte was read.
 */
function headersOnly(urlPath: string, token?: string): Promise<{ status: number; body: Loose }> {
  const req = http.request(`${hub.url}${urlPath}`, {
    method: 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': 'multipart/form-data; boundary=zzz',
      'content-length': 500_000,
    },
  });
  req.on('error', () => {});
  req.flushHeaders();
  return new Promise<{ status: number; body: Loose }>((resolve) =>
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: parseAnswer(text) }));
    }),
  ).finally(() => req.destroy());
}

/** A JSON answer (/api/v1), or a plain-text one (/hooks answer as Slack does) as `{ text }`. */
function parseAnswer(text: string): Loose {
  try {
    return JSON.parse(text || '{}') as Loose;
  } catch {
    return { text };
  }
}

/** Upload records, and those no message carries (read beside the running hub: WAL allows it). */
function fileCounts(): { files: number; unattached: number } {
  const db = new Database(path.join(hub.dataDir, 'beseda.db'), { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      files: count('SELECT count(*) AS n FROM files'),
      unattached: count('SELECT count(*) AS n FROM files WHERE id NOT IN (SELECT file_id FROM message_files)'),
    };
  } finally {
    db.close();
  }
}

const tempFiles = () => readdirSync(path.join(hub.dataDir, 'files', 'tmp'));

/** Messages the recipient's client received live, by client id. */
const received = (who: Person, id: string) =>
  who.socket.all('message').filter((f) => f.message.clientId === id && f.message.kind === 'text');

beforeAll(async () => {
  hub = await startHub({
    args: ['--max-file-bytes', String(maxFile), '--file-quota-bytes', String(quota)],
  });
  ivanov = await person(hub, 'ivanov');
  petrov = await person(hub, 'petrov');
  monitoring = (
    await ivanov.socket.request<{ conversation: { id: number } }>('rooms.create', { name: 'Мониторинг', kind: 'open' })
  ).conversation.id;
  bot = await addBot(hub, 'onec');
  const hook = (await hub.admin_('hook.add', { room: 'Мониторинг', name: 'Zabbix' })) as { secret: string };
  hookSecret = hook.secret;
});

afterAll(async () => {
  for (const p of [ivanov, petrov]) p?.socket.close();
  await hub?.stop();
});

describe('POST /api/v1/messages as multipart/form-data', () => {
  it('a bot sends a PDF to @login; the recipient gets message.files and downloads the same bytes', async () => {
    const bytes = pdf();
    const id = clientId('invoice');
    const live = ivanov.socket.next('message', (f) => f.message.clientId === id);
    const res = await postForm(
      '/api/v1/messages',
      [
        { name: 'to', value: '@ivanov' },
        { name: 'text', value: 'Счёт №17 на согласование' },
        { name: 'clientId', value: id },
        { name: 'file', filename: invoiceName, bytes, type: 'application/pdf' },
      ],
      bot.token,
    );
    expect(res.status, res.text).toBe(201);
    const message = res.body.message as Message;
    direct = message.conversationId;
    expect(message).toMatchObject({ text: 'Счёт №17 на согласование', senderId: bot.id, clientId: id });
    expect(message.files).toHaveLength(1);
    expect(message.files![0]).toMatchObject({ name: invoiceName, size: bytes.length, type: 'application/pdf' });
    const got = (await live).message;
    expect(got.files).toEqual(message.files);
    const file = await fetchFile(got.files![0]!.id, ivanov);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(bytes)).toBe(true);
    const encoded = /filename\*=UTF-8''(\S+)$/.exec(file.headers.get('content-disposition')!)![1]!;
    expect(decodeURIComponent(encoded)).toBe(invoiceName);
  });

  it('several files in the order sent, without text; a name given as filename* (RFC 5987) survives', async () => {
    const [a, b] = [pdf(3000), Buffer.from('Остатки на 1 июля\n', 'utf8')];
    const boundary = 'xYzBoundary42';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="to"\r\n\r\n@ivanov\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="f1"; filename*=UTF-8''${encodeURIComponent('Акт сверки.pdf')}\r\n` +
          'Content-Type: application/pdf\r\n\r\n',
      ),
      a,
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="f2"; filename="остатки.txt"\r\n\r\n`),
      b,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await request(hub, 'POST', '/api/v1/messages', {
      token: bot.token,
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.status, res.text).toBe(201);
    const files = (res.body.message as Message).files!;
    expect(files.map((f) => f.name)).toEqual(['Акт сверки.pdf', 'остатки.txt']);
    expect((await fetchFile(files[0]!.id, ivanov)).bytes.equals(a)).toBe(true);
    expect((await fetchFile(files[1]!.id, ivanov)).bytes.equals(b)).toBe(true);
  });

  it('a retry with the same clientId answers the same message and attaches no second copy', async () => {
    const id = clientId('retry');
    const parts = (bytes: Buffer): Part[] => [
      { name: 'to', value: '@ivanov' },
      { name: 'text', value: 'Счёт №18' },
      { name: 'clientId', value: id },
      { name: 'file', filename: 'Счёт №18.pdf', bytes },
    ];
    const live = ivanov.socket.next('message', (f) => f.message.clientId === id);
    const first = await postForm('/api/v1/messages', parts(pdf(20_000)), bot.token);
    expect(first.status, first.text).toBe(201);
    await live;
    const stored = fileCounts().files;
    const again = await postForm('/api/v1/messages', parts(pdf(20_000)), bot.token);
    expect(again.status, again.text).toBe(201);
    expect(again.body.message).toEqual(first.body.message);
    // The clientId came before the file: the retry's part was read and dropped, not stored.
    expect(fileCounts().files).toBe(stored);
    // Sent after the file, the clientId is known only at the end: the part is stored, then left unattached.
    const late = await postForm('/api/v1/messages', [...parts(pdf(20_000))].reverse(), bot.token);
    expect(late.body.message).toEqual(first.body.message);
    expect(fileCounts()).toMatchObject({ files: stored + 1 });
    const history = await ivanov.socket.request<{ messages: Message[] }>('history', {
      conversationId: (first.body.message as Message).conversationId,
    });
    const copies = history.messages.filter((m) => m.clientId === id);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.files).toHaveLength(1);
    // The recipient's client got it once (a second frame would have come before the history answer).
    expect(received(ivanov, id)).toHaveLength(1);
  });

  it('a wrong "to" sent before the file is refused before anything is stored', async () => {
    const before = fileCounts().files;
    const nobody = await streamForm('/api/v1/messages', bot.token, { to: '@nobody', text: 'счёт' }, [
      { filename: 'a.pdf', size: 600_000 },
    ]);
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.message).toMatch(/@nobody/);
    // Мониторинг is open, and the bot was not given it.
    const notGiven = await streamForm('/api/v1/messages', bot.token, { to: '#Мониторинг' }, [
      { filename: 'a.pdf', size: 600_000 },
    ]);
    expect(notGiven.status).toBe(403);
    expect(notGiven.body.error.code).toBe('forbidden');
    expect(await waitFor(() => tempFiles().length === 0, 10_000)).toBe(true);
    expect(fileCounts().files).toBe(before);
  });

  it('a part over the size limit: 413 file_too_large while streaming, no message; a part stored before it is an orphan', async () => {
    const before = fileCounts();
    const id = clientId('big');
    const answer = await streamForm('/api/v1/messages', bot.token, { to: '@ivanov', text: 'два файла', clientId: id }, [
      { filename: 'small.pdf', size: 10_000 },
      { filename: 'big.pdf', size: 3 * maxFile },
    ]);
    expect(answer.status).toBe(413);
    expect(answer.body.error?.code).toBe('file_too_large');
    expect(await waitFor(() => tempFiles().length === 0, 10_000)).toBe(true);
    // The first part was stored; nothing carries it.
    expect(await waitFor(() => fileCounts().files === before.files + 1, 10_000)).toBe(true);
    expect(fileCounts().unattached).toBe(before.unattached + 1);
    // Nothing was posted: the conversation has no message with that client id.
    const history = await ivanov.socket.request<{ messages: Message[] }>('history', { conversationId: direct });
    expect(history.messages.some((m) => m.clientId === id || m.text === 'два файла')).toBe(false);
    expect(received(ivanov, id)).toHaveLength(0);
    // The sweep collects the orphan.
    const swept = (await hub.admin_('files.collect', { unattachedForMs: 0 })) as { files: number };
    expect(swept.files).toBeGreaterThanOrEqual(1);
    expect(fileCounts().unattached).toBe(0);
  });

  it('quota_exceeded and too many files are refused, and nothing is posted', async () => {
    const heavy = await addBot(hub, 'heavy');
    // 3.6 MB of the 4 MB daily quota used by plain uploads.
    for (let i = 0; i < 4; i++) expect((await upload(hub, heavy.token, `${i}.pdf`, pdf(900_000))).status).toBe(201);
    const id = clientId('quota');
    const over = await streamForm('/api/v1/messages', heavy.token, { to: '@ivanov', clientId: id }, [
      { filename: 'пятый.pdf', size: 900_000 },
    ]);
    expect(over.status).toBe(413);
    expect(over.body.error?.code).toBe('quota_exceeded');
    const many: Part[] = [{ name: 'to', value: '@ivanov' }];
    for (let i = 0; i < 11; i++) many.push({ name: 'file', filename: `${i}.txt`, bytes: Buffer.from(`${i}`) });
    const tooMany = await postForm('/api/v1/messages', many, bot.token);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toMatch(/10 files/);
    expect(received(ivanov, id)).toHaveLength(0);
  });

  it('refuses before reading the body: no token (401), a person’s own session (403)', async () => {
    expect((await headersOnly('/api/v1/messages')).status).toBe(401);
    const own = await headersOnly('/api/v1/messages', ivanov.token);
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('forbidden');
  });

  it('a client that goes away mid-file leaves no temporary file, no record and no message', async () => {
    const before = fileCounts().files;
    const boundary = 'cutHere';
    const req = http.request(`${hub.url}/api/v1/messages`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${bot.token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'transfer-encoding': 'chunked',
      },
    });
    req.on('error', () => {});
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="to"\r\n\r\n@ivanov\r\n`);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="обрыв.pdf"\r\n\r\n`);
    req.write(pdf(300_000));
    // The hub has begun the file once its temporary file exists; then the client vanishes.
    expect(await waitFor(() => tempFiles().length > 0, 10_000)).toBe(true);
    req.destroy();
    expect(await waitFor(() => tempFiles().length === 0, 10_000)).toBe(true);
    expect(fileCounts().files).toBe(before);
    expect((await request(hub, 'GET', '/healthz')).status).toBe(200);
  });

  it('malformed forms get 400 with a reason', async () => {
    const noName = await request(hub, 'POST', '/api/v1/messages', {
      token: bot.token,
      body: '--b\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: application/octet-stream\r\n\r\nabc\r\n--b--\r\n',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toMatch(/no file name/);
    const badJson = await postForm(
      '/api/v1/messages',
      [
        { name: 'to', value: '@ivanov' },
        { name: 'text', value: 'x' },
        { name: 'attachments', value: '[{' },
      ],
      bot.token,
    );
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.message).toMatch(/attachments/);
    const noBoundary = await request(hub, 'POST', '/api/v1/messages', {
      token: bot.token,
      body: 'x',
      headers: { 'content-type': 'multipart/form-data' },
    });
    expect(noBoundary.status).toBe(400);
    const cut = await request(hub, 'POST', '/api/v1/messages', {
      token: bot.token,
      body: '--b\r\nContent-Disposition: form-data; name="to"\r\n\r\n@ivanov\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    expect(cut.status).toBe(400);
    expect(cut.body.error.code).toBe('bad_request');
  });
});

describe('upload, then a reference', () => {
  it('POST /api/v1/files then POST /api/v1/messages with files: the recipient downloads the same bytes', async () => {
    const bytes = pdf(120_000);
    const up = await upload(hub, bot.token, invoiceName, bytes, 'application/pdf');
    expect(up.status, JSON.stringify(up)).toBe(201);
    const id = clientId('ref');
    const live = ivanov.socket.next('message', (f) => f.message.clientId === id);
    const res = await request(hub, 'POST', '/api/v1/messages', {
      token: bot.token,
      json: { to: '@ivanov', text: 'Счёт №17 на согласование', clientId: id, files: [up.file!.id] },
    });
    expect(res.status, res.text).toBe(201);
    const got = (await live).message;
    expect(got.files).toEqual([up.file]);
    expect((await fetchFile(up.file!.id, ivanov)).bytes.equals(bytes)).toBe(true);
  });
});

describe('webhooks with files', () => {
  it('a multipart payload with a file posts into the hook’s room as the hook’s bot', async () => {
    const bytes = pdf(30_000);
    const live = ivanov.socket.next(
      'message',
      (f) => f.message.conversationId === monitoring && (f.message.files?.length ?? 0) > 0,
    );
    const res = await postForm(`/hooks/${hookSecret}`, [
      { name: 'payload', value: JSON.stringify({ text: 'Отчёт о сбоях за ночь', username: 'Zabbix' }) },
      { name: 'file', filename: 'отчёт.pdf', bytes },
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.text).toBe('ok');
    const message = (await live).message;
    expect(message.text).toBe('Отчёт о сбоях за ночь');
    expect(message.displayName).toBe('Zabbix');
    expect(message.files!.map((f) => f.name)).toEqual(['отчёт.pdf']);
    expect((await fetchFile(message.files![0]!.id, ivanov)).bytes.equals(bytes)).toBe(true);
    expect((await fetchFile(message.files![0]!.id, petrov)).status).toBe(404);
  });

  it('a file without text; no payload is 400; an unknown hook is 404 before the body is read', async () => {
    const live = ivanov.socket.next(
      'message',
      (f) => f.message.conversationId === monitoring && f.message.files?.[0]?.name === 'график.txt',
    );
    const res = await postForm(`/hooks/${hookSecret}`, [
      { name: 'payload', value: '{}' },
      { name: 'file', filename: 'график.txt', bytes: Buffer.from('cpu 95%\n') },
    ]);
    expect(res.status, res.text).toBe(200);
    expect((await live).message.text).toBe('');
    const noPayload = await postForm(`/hooks/${hookSecret}`, [
      { name: 'file', filename: 'a.txt', bytes: Buffer.from('a') },
    ]);
    expect(noPayload.status).toBe(400);
    // Refused as Slack refuses webhooks: plain text, the word, then the reason.
    expect(noPayload.text).toMatch(/^invalid_payload\n.*"payload"/);
    expect((await headersOnly(`/hooks/${'A'.repeat(43)}`)).status).toBe(404);
  });

  it('JSON and form payloads work as before', async () => {
    const json = await request(hub, 'POST', `/hooks/${hookSecret}`, { json: { text: 'JSON по-прежнему' } });
    expect(json.status, json.text).toBe(200);
    const form = await request(hub, 'POST', `/hooks/${hookSecret}`, {
      body: new URLSearchParams({ payload: '{"text": "форма"}' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status, form.text).toBe(200);
  });
});

describe('who may download', () => {
  it('an outsider gets 404 for the bot’s file; the recipient and the bot get it', async () => {
    const res = await postForm(
      '/api/v1/messages',
      [
        { name: 'to', value: '@ivanov' },
        { name: 'file', filename: 'личное.pdf', bytes: pdf(4000) },
      ],
      bot.token,
    );
    expect(res.status, res.text).toBe(201);
    const file = (res.body.message as Message).files![0]!;
    expect((await fetchFile(file.id, petrov)).status).toBe(404);
    expect((await download(hub, file.id, { token: petrov.token })).status).toBe(404);
    expect((await fetchFile(file.id, ivanov)).status).toBe(200);
    expect((await download(hub, file.id, { token: bot.token })).status).toBe(200);
  });
});

/** Shell command lines of docs/integrations.md and docs/webhooks.md (continuation lines joined). */
function documentedCommands(): string[] {
  const docs = ['docs/integrations.md', 'docs/webhooks.md']
    .map((f) => readFileSync(path.join(root, f), 'utf8'))
    .join('\n');
  const commands: string[] = [];
  for (const block of docs.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const joined = block[1]!.replace(/\\\n\s*/g, '');
    for (const line of joined.split('\n')) if (line.startsWith('curl ')) commands.push(line);
  }
  return commands;
}

const curl = spawnSync('curl', ['--version'], { encoding: 'utf8' });
const hasCurl = curl.status === 0;
if (!hasCurl) console.warn('curl is not installed: the documented curl command lines are not run (CI installs it)');

describe('the documented commands', () => {
  it.skipIf(!hasCurl)('run with the real curl: multipart, upload then reference, webhook (ru and en)', async () => {
    const commands = documentedCommands().filter(
      (c) => c.includes('--form-string') || c.includes('--url-query') || c.includes('"files": ['),
    );
    // Russian and English: a form, an upload, a message with its id, a webhook form.
    expect(commands).toHaveLength(8);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-curl-'));
    const contents = new Map<string, Buffer>();
    for (const c of commands)
      for (const m of c.matchAll(/(?:-F "\w+=@|--data-binary "@)([^;"]+)/g)) {
        const bytes = pdf(40_000);
        writeFileSync(path.join(dir, m[1]!), bytes);
        contents.set(m[1]!, bytes);
      }
    expect([...contents.keys()].sort()).toEqual(['invoice-17.pdf', 'report.pdf', 'Счёт №17.pdf', 'отчёт.pdf']);
    // The person the guide's examples write to by external id (ext:<UUID>), exported as 1C would.
    const directory = await addBot(hub, 'onec-directory', { directory: true });
    for (const externalId of new Set(
      commands.flatMap((c) => [...c.matchAll(/ext:([0-9a-f-]{36})/g)].map((m) => m[1]!)),
    )) {
      const put = await request(hub, 'PUT', `/api/v1/users/by-external-id/${externalId}`, {
        json: { name: 'Петрова Анна Сергеевна' },
        headers: { Authorization: `Bearer ${directory.token}` },
      });
      expect(put.status, put.text).toBeLessThan(300);
    }
    // …and the people they write to by login.
    const logins = new Set(
      commands.flatMap((c) => [...c.matchAll(/(?:"to": "@|to=@)([a-z0-9._-]+)/g)].map((m) => m[1]!)),
    );
    for (const login of logins) if (login !== 'ivanov') await hub.addUser(login, login);
    let uploaded: FileRef | undefined;
    for (const documented of commands) {
      // The documented file id becomes the one just uploaded (before the secret goes in: it could look like one).
      const command = documented
        .replace(/\bf[A-Za-z0-9_-]{22}\b/g, (id) => uploaded?.id ?? id)
        .replace(/СЕКРЕТ|SECRET/g, hookSecret);
      // Posts with a file of that name in the hook's room so far (an earlier test posted an отчёт.pdf too).
      const hookFile = command.includes('/hooks/') ? /file=@([^;"]+)/.exec(command)![1]! : undefined;
      const inRoom = () =>
        ivanov.socket
          .all('message')
          .filter((f) => f.message.conversationId === monitoring && f.message.files?.[0]?.name === hookFile);
      const earlier = inRoom().length;
      const run = spawnSync('bash', ['-c', command], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, HUB: hub.url, TOKEN: bot.token, TOKEN_MESSAGES: bot.token },
        timeout: 60_000,
      });
      expect(run.status, `${command}\n${run.stderr}`).toBe(0);
      if (hookFile) {
        expect(run.stdout, command).toBe('ok');
        expect(await waitFor(() => inRoom().length > earlier, 15_000)).toBe(true);
        const got = await fetchFile(inRoom().at(-1)!.message.files![0]!.id, ivanov);
        expect(got.bytes.equals(contents.get(hookFile)!)).toBe(true);
        continue;
      }
      const answer = JSON.parse(run.stdout) as Loose;
      if (command.includes('/api/v1/files')) {
        uploaded = answer.file as FileRef;
        const name = /name=([^"]+)"/.exec(command)![1]!;
        expect(uploaded).toMatchObject({ name, type: 'application/pdf', size: contents.get(name)!.length });
        continue;
      }
      const message = answer.message as Message;
      expect(message?.files, run.stdout).toHaveLength(1);
      const file = message.files![0]!;
      const local = command.includes('"files": [') ? uploaded!.name : /file=@([^;"]+)/.exec(command)![1]!;
      expect(file.name).toBe(local);
      // Written to ivanov (@ivanov) or to the person exported by external id: the bot, in both
      // conversations, downloads it as a member.
      const res = await download(hub, file.id, { token: bot.token });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(contents.get(local)!)).toBe(true);
    }
  });
});

describe('БеседаСервер.ОтправитьФайл (integrations/1c/Беседа/ОбщиеМодули/БеседаСервер.bsl)', () => {
  const bsl = readFileSync(path.join(root, 'integrations/1c/Беседа/ОбщиеМодули/БеседаСервер.bsl'), 'utf8');
  const block = (name: string) => new RegExp(`Функция ${name}\\(([\\s\\S]*?)КонецФункции`).exec(bsl)?.[1] ?? '';

  it('uploads with the name URL-encoded, streaming a file from disk, then posts the message with files', () => {
    const send = block('ОтправитьФайл');
    expect(send).toMatch(
      /"\/api\/v1\/files\?name=" \+ КодироватьСтроку\(ИмяФайла, СпособКодированияСтроки\.КодировкаURL\)/,
    );
    expect(send).toContain('ВыполнитьЗапрос("POST", "/api/v1/messages", Тело, "Сообщения"');
    expect([...send.matchAll(/Тело\.Вставить\("([^"]+)"/g)].map((m) => m[1])).toEqual([
      'to',
      'text',
      'clientId',
      'files',
    ]);
    const request = block('НовыйHTTPЗапрос');
    expect(request).toContain('Заголовки.Вставить("Content-Type", "application/octet-stream")');
    expect(request).toContain('УстановитьИмяФайлаТела(');
    expect(request).toContain('УстановитьТелоИзДвоичныхДанных(');
  });

  it('its two requests, as 1C sends them, deliver the file to @login', async () => {
    const bytes = pdf(60_000);
    // КодироватьСтроку(…, КодировкаURL): UTF-8, every byte outside A-Z a-z 0-9 - _ . ~ percent-encoded.
    const encoded = [...Buffer.from(invoiceName, 'utf8')]
      .map((b) =>
        /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
      )
      .join('');
    const headers = {
      'User-Agent': '1C+Enterprise/8.3',
      Authorization: `Bearer ${bot.token}`,
      Accept: 'application/json',
    };
    const up = await request(hub, 'POST', `/api/v1/files?name=${encoded}`, {
      body: bytes,
      headers: { ...headers, 'Content-Type': 'application/octet-stream' },
    });
    expect(up.status, up.text).toBe(201);
    expect(up.body.file).toMatchObject({ name: invoiceName, type: 'application/pdf', size: bytes.length });
    const id = clientId('onec-file');
    const live = ivanov.socket.next('message', (f) => f.message.clientId === id);
    // ЗаписатьJSON's layout, with the byte-order mark 1C may add.
    const json = json1C({ to: '@ivanov', text: 'Счёт №17 на согласование', files: [up.body.file.id], clientId: id });
    const res = await request(hub, 'POST', '/api/v1/messages', {
      body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json, 'utf8')]),
      headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(res.status, res.text).toBe(201);
    const got = (await live).message;
    expect(got.files).toEqual([up.body.file]);
    expect((await fetchFile(got.files![0]!.id, ivanov)).bytes.equals(bytes)).toBe(true);
  });
});

describe('a big file over multipart', () => {
  it(
    'is streamed: 256 MiB through a form, the hub’s memory grows far less than the file',
    { timeout: 300_000 },
    async () => {
      const size = 256 * 1024 * 1024;
      const big = await startHub({
        args: ['--max-file-bytes', String(2 * size), '--file-quota-bytes', String(4 * size)],
      });
      try {
        const sender = await addBot(big, 'archive', { rooms: ['general'] });
        const pid = big.process.pid!;
        const sampler = sampleRss(pid);
        const before = sampler.start;
        const boundary = 'bigBoundary';
        const req = http.request(`${big.url}/api/v1/messages`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${sender.token}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'transfer-encoding': 'chunked',
          },
        });
        const answer = answerOf(req);
        const send = (chunk: Buffer) => writeChunk(req, chunk);
        await send(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="to"\r\n\r\n#general\r\n`));
        await send(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="архив.bin"\r\n\r\n`,
            'utf8',
          ),
        );
        const chunk = randomBytes(1024 * 1024);
        for (let sent = 0; sent < size; sent += chunk.length) {
          chunk.writeUInt32BE(sent / chunk.length, 0); // every chunk differs
          await send(chunk);
        }
        await send(Buffer.from(`\r\n--${boundary}--\r\n`));
        req.end();
        const { status, text } = await answer;
        const peak = sampler.stop();
        expect(status, text).toBe(201);
        expect((JSON.parse(text) as { message: Message }).message.files![0]!.size).toBe(size);
        const grew = peak - before;
        console.log(
          `multipart 256 MiB: hub RSS ${Math.round(before / 2 ** 20)} → peak ${Math.round(peak / 2 ** 20)} MiB`,
        );
        // Held whole, the file alone would add 256 MiB.
        expect(grew).toBeLessThan(128 * 1024 * 1024);
      } finally {
        await big.stop();
        rmSync(big.dataDir, { recursive: true, force: true });
      }
    },
  );
});

describe('the hub', () => {
  it('logged no internal error and is still up', async () => {
    const errors = hub.output.filter((line) => /"level":(50|60)/.test(line));
    expect(errors, errors.join('\n')).toEqual([]);
    expect((await request(hub, 'GET', '/healthz')).status).toBe(200);
  });
});
