// Files through the real hub: upload, `send.files`, `message.files` in every path (live, history,
// sync, duplicate), the safety headers, Range and ETag, and the authorization matrix on every
// download (uploader, member, ex-member, outsider, bot, general room, bearer vs key, revoked key).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRef, Message } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { ReplyError, TestSocket } from '../helpers/TestSocket.ts';
import { http } from '../integrations/integrationHelpers.ts';
import { cid, download, type Person, person, upload } from './fileHelpers.ts';

let hub: TestHub;
let ivanov: Person;
let petrov: Person;
let sidorov: Person;
let kozlov: Person;
let bot: { id: number; token: string };
let sklad: number;
let general: number;
const pdf = Buffer.from('%PDF-1.4\n% счёт\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const invoiceName = 'Счёт №17 "итог".pdf';
let invoice: FileRef;

async function status(fileId: string, auth: { token?: string; key?: string }): Promise<number> {
  const res = await download(hub, fileId, auth);
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  hub = await startHub();
  ivanov = await person(hub, 'ivanov');
  petrov = await person(hub, 'petrov');
  sidorov = await person(hub, 'sidorov');
  kozlov = await person(hub, 'kozlov');
  sklad = (
    await ivanov.socket.request<{ conversation: { id: number } }>('rooms.create', {
      name: 'Склад',
      kind: 'closed',
      members: [petrov.id, kozlov.id],
    })
  ).conversation.id;
  general = ivanov.socket.hello.conversations.find((c) => c.kind === 'general')!.id;
  const added = (await hub.admin_('bot.add', { login: 'onec', rooms: ['Склад'] })) as {
    token: string;
    bot: { id: number };
  };
  bot = { id: added.bot.id, token: added.token };
});

afterAll(async () => {
  for (const p of [ivanov, petrov, sidorov, kozlov]) p?.socket.close();
  await hub?.stop();
});

describe('upload and send', () => {
  it('hello carries a download key; an upload answers its FileRef', async () => {
    expect(ivanov.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(petrov.key).not.toBe(ivanov.key);
    const up = await upload(hub, ivanov.token, invoiceName, pdf, 'application/pdf');
    expect(up.status, JSON.stringify(up)).toBe(201);
    invoice = up.file!;
    expect(invoice).toMatchObject({ name: invoiceName, size: pdf.length, type: 'application/pdf', kind: 'file' });
    expect(invoice.id).toMatch(/^f[A-Za-z0-9_-]{22}$/);
  });

  it('keeps the name; a download saves it without text-direction controls that would disguise it', async () => {
    const up = await upload(hub, ivanov.token, 'C:\\Отчёты\\счёт\u202Efdp.exe', 'MZ', 'application/pdf');
    expect(up.status).toBe(201);
    expect(up.file!.name).toBe('счёт\u202Efdp.exe');
    expect(up.file!.type).toBe('application/octet-stream');
    const res = await download(hub, up.file!.id, { token: ivanov.token });
    await res.arrayBuffer();
    const saved = /filename\*=UTF-8''(\S+)$/.exec(res.headers.get('content-disposition')!)![1]!;
    expect(decodeURIComponent(saved)).toBe('счёт_fdp.exe');
  });

  it('an unattached upload is its uploader’s alone', async () => {
    expect(await status(invoice.id, { token: ivanov.token })).toBe(200);
    expect(await status(invoice.id, { key: ivanov.key })).toBe(200);
    expect(await status(invoice.id, { token: petrov.token })).toBe(404);
  });

  it('send with files and empty text: the message carries them live, in history, sync and on a resend', async () => {
    const clientId = cid('inv');
    const live = petrov.socket.next('message', (f) => f.message.clientId === clientId);
    const { message } = await ivanov.socket.request<{ message: Message }>('send', {
      conversationId: sklad,
      clientId,
      text: '',
      files: [invoice.id],
    });
    expect(message.files).toEqual([invoice]);
    expect((await live).message.files).toEqual([invoice]);
    const history = await petrov.socket.request<{ messages: Message[] }>('history', { conversationId: sklad });
    expect(history.messages.find((m) => m.clientId === clientId)?.files).toEqual([invoice]);
    const sync = await petrov.socket.request<{ messages: Message[] }>('sync', { since: message.seq - 1 });
    expect(sync.messages.find((m) => m.seq === message.seq)?.files).toEqual([invoice]);
    const again = await ivanov.socket.request<{ message: Message }>('send', {
      conversationId: sklad,
      clientId,
      text: '',
      files: [invoice.id],
    });
    expect(again.message).toEqual(message);
  });

  it('refuses someone else’s upload, an unknown id, too many files, and an empty message', async () => {
    const theirs = await upload(hub, petrov.token, 'чужой.txt', 'секрет', 'text/plain');
    const send = (files: string[], text = 'смотри') =>
      ivanov.socket.request('send', { conversationId: sklad, clientId: cid('bad'), text, files });
    await expect(send([theirs.file!.id])).rejects.toMatchObject({ code: 'not_found' });
    await expect(send(['f' + 'A'.repeat(22)])).rejects.toThrow(/upload it again/);
    const many = Array.from({ length: 11 }, (_, i) => `f${String(i).padStart(22, 'B')}`);
    await expect(send(many)).rejects.toMatchObject({ code: 'bad_request' });
    await expect(send([], '  ')).rejects.toBeInstanceOf(ReplyError);
    // Nothing was stored by the refusals: the other person still cannot read petrov's file.
    expect(await status(theirs.file!.id, { token: ivanov.token })).toBe(404);
  });
});

describe('serving', () => {
  it('downloads with the safety headers and the name per RFC 6266/5987', async () => {
    const res = await download(hub, invoice.id, { token: petrov.token });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    const h = res.headers;
    expect(h.get('content-type')).toBe('application/pdf');
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(h.get('accept-ranges')).toBe('bytes');
    expect(h.get('cache-control')).toBe('private, no-cache');
    expect(h.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    const disposition = h.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(disposition).not.toMatch(/filename="[^"]*"[^;]*"/);
    const encoded = /filename\*=UTF-8''(\S+)$/.exec(disposition)![1]!;
    expect(decodeURIComponent(encoded)).toBe(invoiceName);
  });

  it('answers a Range with 206, an unsatisfiable one with 416, a known ETag with 304', async () => {
    const part = await download(hub, invoice.id, { token: petrov.token }, 'download', { range: 'bytes=0-3' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-3/${pdf.length}`);
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe('%PDF');
    const tail = await download(hub, invoice.id, { key: petrov.key }, 'download', { range: 'bytes=-6' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).toString()).toBe('%%EOF\n');
    const past = await download(hub, invoice.id, { token: petrov.token }, 'download', { range: 'bytes=9999-' });
    expect(past.status).toBe(416);
    await past.arrayBuffer();
    const etag = part.headers.get('etag')!;
    const cached = await download(hub, invoice.id, { token: petrov.token }, 'download', { 'if-none-match': etag });
    expect(cached.status).toBe(304);
  });

  it('serves no view or preview of a file that is not a verified image', async () => {
    for (const variant of ['view', 'preview'] as const) {
      const res = await download(hub, invoice.id, { token: ivanov.token }, variant);
      expect(res.status).toBe(404);
      await res.arrayBuffer();
    }
  });
});

describe('authorization on every download', () => {
  it('members by bearer and by key; outsiders get 404 like an unknown id; no credentials 401', async () => {
    expect(await status(invoice.id, { token: petrov.token })).toBe(200);
    expect(await status(invoice.id, { key: petrov.key })).toBe(200);
    expect(await status(invoice.id, { token: sidorov.token })).toBe(404);
    expect(await status(invoice.id, { key: sidorov.key })).toBe(404);
    const unknown = await download(hub, 'f' + 'Z'.repeat(22), { token: sidorov.token });
    const refused = await download(hub, invoice.id, { token: sidorov.token });
    expect(await unknown.json()).toEqual(await refused.json());
    expect(await status(invoice.id, {})).toBe(401);
    expect(await status(invoice.id, { key: 'x'.repeat(43) })).toBe(401);
    // A download key is not a session token: it opens no socket and no API.
    await expect(TestSocket.open(hub.wsUrl, petrov.key)).rejects.toMatchObject({ status: 401 });
    const me = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${petrov.key}` } });
    expect(me.status).toBe(401);
  });

  it('a member removed from the room loses access at once', async () => {
    expect(await status(invoice.id, { token: kozlov.token })).toBe(200);
    expect(await status(invoice.id, { key: kozlov.key })).toBe(200);
    await ivanov.socket.request('rooms.remove', { conversationId: sklad, userId: kozlov.id });
    expect(await status(invoice.id, { token: kozlov.token })).toBe(404);
    expect(await status(invoice.id, { key: kozlov.key })).toBe(404);
  });

  it('a bot reads what was posted in its rooms and what it posted, nothing else', async () => {
    expect(await status(invoice.id, { token: bot.token })).toBe(200);
    const report = await upload(hub, bot.token, 'остатки.csv', 'товар;остаток\nгвозди;10\n', 'text/csv');
    expect(report.status).toBe(201);
    expect(report.file!.type).toBe('text/csv');
    expect(await status(report.file!.id, { token: bot.token })).toBe(200);
    expect(await status(report.file!.id, { token: petrov.token })).toBe(404);
    const posted = await fetch(`${hub.url}/api/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bot.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: '#Склад', text: 'Остатки', files: [report.file!.id] }),
    });
    const body = (await posted.json()) as { message: Message };
    expect(posted.status, JSON.stringify(body)).toBe(201);
    expect(body.message.files).toEqual([report.file]);
    expect(await status(report.file!.id, { token: petrov.token })).toBe(200);
    expect(await status(report.file!.id, { token: sidorov.token })).toBe(404);
  });

  it('a file in the general room is everyone’s (people), not a bot’s that is not in it', async () => {
    const note = await upload(hub, ivanov.token, 'приказ.txt', 'Приказ №1', 'text/plain');
    await ivanov.socket.request('send', {
      conversationId: general,
      clientId: cid('gen'),
      text: '',
      files: [note.file!.id],
    });
    expect(await status(note.file!.id, { token: sidorov.token })).toBe(200);
    expect(await status(note.file!.id, { key: kozlov.key })).toBe(200);
    expect(await status(note.file!.id, { token: bot.token })).toBe(404);
  });

  it('a signed-out session’s key stops working', async () => {
    const second = await hub.addUser('orlov', 'orlov');
    const { token } = await hub.login('orlov', second.password);
    const socket = await TestSocket.open(hub.wsUrl, token);
    const key = socket.hello.fileKey;
    await socket.request('send', {
      conversationId: general,
      clientId: cid('orl'),
      text: 'файл',
      files: [(await upload(hub, token, 'a.txt', 'a', 'text/plain')).file!.id],
    });
    expect(await status(invoice.id, { key })).toBe(404);
    const own = (socket.all('result').at(-1)!.result as { message: Message }).message.files![0]!;
    expect(await status(own.id, { key })).toBe(200);
    const out = await fetch(`${hub.url}/api/v1/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBeLessThan(300);
    expect(await status(own.id, { key })).toBe(401);
    expect(await status(own.id, { token })).toBe(401);
    socket.close();
  });
});

describe('a chat-scope session (embed link)', () => {
  it('gets a download key, may upload, send and download its files', async () => {
    const embedder = (await hub.admin_('bot.add', { login: 'onec-web', embed: true })) as { token: string };
    const link = await http(hub, 'POST', '/api/v1/embed-links', {
      token: embedder.token,
      json: { login: 'sidorov' },
    });
    expect(link.status, link.text).toBe(201);
    const opened = await http(hub, 'GET', new URL((link.body as { url: string }).url).pathname);
    const code = opened.headers.get('location')!.split('#embed=')[1]!;
    const session = await http(hub, 'POST', '/api/v1/embed-links/redeem', { json: { code } });
    const token = (session.body as { token: string }).token;
    const socket = await TestSocket.open(hub.wsUrl, token);
    const key = socket.hello.fileKey;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const up = await upload(hub, token, 'из 1С.txt', 'выгрузка', 'text/plain');
    expect(up.status, JSON.stringify(up)).toBe(201);
    const { message } = await socket.request<{ message: Message }>('send', {
      conversationId: general,
      clientId: cid('embed'),
      text: '',
      files: [up.file!.id],
    });
    expect(message.files).toEqual([up.file]);
    expect(await status(up.file!.id, { key })).toBe(200);
    expect(await status(up.file!.id, { token: ivanov.token })).toBe(200);
    // Still a chat session: the rest of the HTTP API refuses it.
    const api = await http(hub, 'PUT', '/api/v1/users/sidorov', { token, json: { name: 'Сидоров' } });
    expect(api.status).toBe(403);
    socket.close();
  });
});
