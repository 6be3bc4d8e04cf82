// What message actions do to content (docs/protocol.md, "Message actions"), over the real
// protocol and checked where it is kept: a deletion removes the text, reactions, pin and files —
// downloads answer 404 for everyone, the blobs leave the files folder, and neither the SQLite
// tables nor the bytes of the database files hold the text afterwards; a forward copies text and
// files so the target room's members can download them; a reply's quote is read live.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, FileRef, Message } from '../../common/protocol/model.ts';
import { screenshotPng } from '../e2e/sampleFiles.ts';
import { download, upload } from '../files/fileHelpers.ts';
import type { Person } from './connect.ts';
import { act, arrived, closeOffice, openOffice, type Office, refused, say, seen } from './messageActionsHelpers.ts';
import { onPostgresStore } from '../helpers/postgres.ts';

let o: Office;
beforeAll(async () => {
  o = await openOffice();
});
afterAll(async () => {
  await closeOffice(o);
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const blobFile = (hash: string) => path.join(o.hub.dataDir, 'files', hash.slice(0, 2), hash);

/** Every blob hash in the data folder's files folder. */
function blobs(): Set<string> {
  const dir = path.join(o.hub.dataDir, 'files');
  const found = new Set<string>();
  for (const prefix of readdirSync(dir).filter((d) => /^[0-9a-f]{2}$/.test(d)))
    for (const name of readdirSync(path.join(dir, prefix))) found.add(name);
  return found;
}

async function put(who: Person, name: string, bytes: Uint8Array, type?: string): Promise<FileRef> {
  const answer = await upload(o.hub, who.token, name, bytes, type);
  expect(answer.status).toBe(201);
  return answer.file!;
}

async function status(who: Person, file: FileRef, variant: 'download' | 'preview' = 'download'): Promise<number> {
  const res = await download(o.hub, file.id, { token: who.token }, variant);
  await res.arrayBuffer();
  return res.status;
}

const secret = `СЕКРЕТ-${randomBytes(6).toString('hex')}`;
let deletedSeq = 0;

describe('delete', () => {
  it('removes the text, reactions, pin and files for everyone, and the blobs from disk', async () => {
    const before = blobs();
    const doc = randomBytes(30_000);
    const sharedBytes = randomBytes(20_000);
    const png = await screenshotPng(320, 200);
    const docRef = await put(o.author, 'Договор.bin', doc);
    const pngRef = await put(o.author, 'скриншот.png', png, 'image/png');
    const shared1 = await put(o.author, 'общий.bin', sharedBytes);
    const shared2 = await put(o.member, 'общий-копия.bin', sharedBytes);
    const added = [...blobs()].filter((h) => !before.has(h));
    // The document, the image, its preview and the shared bytes (kept once).
    expect(added).toHaveLength(4);
    const m = await say(o.author, o.closed, `${secret} @boris`, { files: [docRef.id, pngRef.id, shared1.id] });
    const kept = await say(o.member, o.closed, 'тот же файл', { files: [shared2.id] });
    await act(o.member, 'message.react', { seq: m.seq, emoji: '👍', on: true });
    await act(o.owner, 'message.pin', { seq: m.seq, pinned: true });
    const reply = await say(o.member, o.closed, 'отвечаю', { replyTo: m.seq });
    expect(reply.replyTo).toMatchObject({ seq: m.seq, text: `${secret} @boris`, fileCount: 3 });
    expect(await status(o.member, docRef)).toBe(200);
    expect(await status(o.member, pngRef, 'preview')).toBe(200);

    const heard = o.member.socket.next('message.updated', (f) => f.update.message.seq === m.seq);
    const deleted = await act(o.author, 'message.delete', { seq: m.seq });
    deletedSeq = m.seq;
    expect(deleted).toMatchObject({
      seq: m.seq,
      text: '',
      mentions: [],
      mentionsAll: false,
      deleted: { by: o.author.id },
    });
    expect(deleted.files ?? []).toEqual([]);
    expect(deleted.reactions ?? []).toEqual([]);
    expect(deleted.pinned).toBeUndefined();
    expect((await heard).update).toMatchObject({ kind: 'delete', message: deleted });
    expect(await seen(o.owner, m)).toEqual(deleted);

    for (const who of [o.author, o.member, o.owner]) {
      expect(await status(who, docRef)).toBe(404);
      expect(await status(who, pngRef)).toBe(404);
      expect(await status(who, pngRef, 'preview')).toBe(404);
      expect(await status(who, shared1)).toBe(404);
    }
    // The same bytes sent by someone else in another message stay.
    expect(await status(o.owner, shared2)).toBe(200);
    expect(existsSync(blobFile(sha(sharedBytes)))).toBe(true);
    expect(existsSync(blobFile(sha(doc)))).toBe(false);
    expect(existsSync(blobFile(sha(png)))).toBe(false);
    expect([...blobs()].filter((h) => !before.has(h))).toEqual([sha(sharedBytes)]);

    const { messages: pins } = await o.member.socket.request<{ messages: Message[] }>('pins.list', {
      conversationId: o.closed,
    });
    expect(pins.map((p) => p.seq)).not.toContain(m.seq);
    const quoted = await seen(o.owner, reply);
    expect(quoted?.replyTo).toMatchObject({ seq: m.seq, senderId: o.author.id, text: '', deleted: true });
    expect(quoted?.replyTo?.image).toBeUndefined();
    expect(await seen(o.owner, kept)).toMatchObject({ files: [{ id: shared2.id }] });
  });

  it('lets a message with files lose its text by an edit, but not one without', async () => {
    const file = await put(o.author, 'акт.bin', randomBytes(1000));
    const m = await say(o.author, o.open, 'подпись', { files: [file.id] });
    expect(await act(o.author, 'message.edit', { seq: m.seq, text: '' })).toMatchObject({
      text: '',
      files: [{ id: file.id }],
    });
    const bare = await say(o.author, o.open, 'без файлов');
    await refused(act(o.author, 'message.edit', { seq: bare.seq, text: '' }), 'bad_request', /empty/);
  });
});

describe('forward', () => {
  it('copies text and files into a room whose members could not read the original', async () => {
    const bytes = randomBytes(5000);
    const file = await put(o.author, 'накладная.bin', bytes);
    const original = await say(o.author, o.closed, 'накладная для @boris', { files: [file.id] });
    const { conversation: side } = await o.member.socket.request<{ conversation: Conversation }>('rooms.create', {
      name: 'Снабжение',
      kind: 'closed',
      members: [o.outsider.id],
    });
    expect(await status(o.outsider, file)).toBe(404);
    const live = o.outsider.socket.next('message', (f) => f.message.conversationId === side.id);
    const copy = await say(o.member, side.id, '', { forward: original.seq });
    expect(copy).toMatchObject({
      conversationId: side.id,
      senderId: o.member.id,
      text: 'накладная для @boris',
      mentions: [],
      mentionsAll: false,
      forwarded: { senderId: o.author.id, ts: original.ts },
      files: [{ id: file.id, name: 'накладная.bin' }],
    });
    expect((await live).message).toEqual(copy);
    expect(await status(o.outsider, file)).toBe(200);

    // A forward of a forward names the first author; the copy outlives the original.
    const again = await say(o.outsider, o.general, '', { forward: copy.seq });
    expect(again.forwarded).toEqual(copy.forwarded);
    await act(o.author, 'message.delete', { seq: original.seq });
    expect(await status(o.outsider, file)).toBe(200);
    expect(await status(o.author, file)).toBe(200);
    expect(existsSync(blobFile(sha(bytes)))).toBe(true);
  });

  it('refuses text or files of its own, an unreadable, deleted or system original', async () => {
    const m = await say(o.author, o.closed, 'оригинал');
    await refused(say(o.author, o.open, 'и текст', { forward: m.seq }), 'bad_request', /forward/);
    const file = await put(o.author, 'x.bin', randomBytes(100));
    await refused(say(o.author, o.open, '', { forward: m.seq, files: [file.id] }), 'bad_request', /forward/);
    await refused(say(o.outsider, o.general, '', { forward: m.seq }), 'not_found');
    await refused(say(o.author, o.open, '', { forward: 999_999_999 }), 'not_found');
    await refused(say(o.author, o.open, '', { forward: deletedSeq }), 'not_found', /deleted/);
    const { messages } = await o.owner.socket.request<{ messages: Message[] }>('history', { conversationId: o.closed });
    const system = messages.find((x) => x.kind === 'system')!;
    await refused(say(o.owner, o.open, '', { forward: system.seq }), 'bad_request', /system/);
    // Into a conversation the sender is not in.
    await refused(
      say(o.outsider, o.closed, '', { forward: (await say(o.outsider, o.general, 'моё')).seq }),
      'not_found',
    );
  });
});

describe('reply', () => {
  it('carries the quote live and in history, read as the original is now', async () => {
    const long = 'Длинный текст. '.repeat(40);
    const png = await put(o.author, 'фото.png', await screenshotPng(200, 120), 'image/png');
    const original = await say(o.author, o.open, long, { files: [png.id] });
    const live = o.owner.socket.next('message', (f) => f.message.replyTo?.seq === original.seq);
    const reply = await say(o.member, o.open, 'согласен', { replyTo: original.seq });
    expect(reply.replyTo).toMatchObject({
      seq: original.seq,
      senderId: o.author.id,
      fileCount: 1,
      image: { id: png.id },
    });
    expect([...reply.replyTo!.text]).toHaveLength(300);
    expect(long.startsWith(reply.replyTo!.text)).toBe(true);
    expect((await live).message).toEqual(reply);
    expect(await seen(o.author, reply)).toEqual(reply);
    await arrived(o.author.socket, 'message', (f) => f.message.seq === reply.seq);

    await act(o.author, 'message.edit', { seq: original.seq, text: 'Короче' });
    expect((await seen(o.author, reply))?.replyTo).toMatchObject({ seq: original.seq, text: 'Короче' });
  });

  it('refuses a reply to a message of another conversation', async () => {
    const elsewhere = await say(o.author, o.closed, 'в другой комнате');
    await refused(say(o.author, o.open, 'ответ', { replyTo: elsewhere.seq }), 'not_found', /conversation/);
    await refused(say(o.author, o.open, 'ответ', { replyTo: 999_999_999 }), 'not_found');
  });
});

describe('what the database keeps', () => {
  // SQLite's file bytes (secure_delete, WAL checkpoint); PostgreSQL keeps old row versions until VACUUM.
  it.skipIf(onPostgresStore)(
    'holds no trace of a deleted message: no text, files, reactions or pin, not even in the file bytes',
    async () => {
      expect(deletedSeq).toBeGreaterThan(0);
      for (const p of [o.author, o.member, o.owner, o.admin, o.outsider]) p.socket.close();
      expect(await o.hub.stop()).toBe(0);
      const dbFile = path.join(o.hub.dataDir, 'beseda.db');
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        const row = db
          .prepare('SELECT text, mentions, attachments, pinned_at, deleted_at FROM messages WHERE seq = ?')
          .get(deletedSeq) as Record<string, unknown>;
        expect(row).toMatchObject({
          text: '',
          mentions: null,
          attachments: null,
          pinned_at: null,
          deleted_at: expect.any(Number),
        });
        expect(db.prepare('SELECT count(*) FROM message_files WHERE seq = ?').pluck().get(deletedSeq)).toBe(0);
        expect(db.prepare('SELECT count(*) FROM message_reactions WHERE seq = ?').pluck().get(deletedSeq)).toBe(0);
        expect(
          db
            .prepare("SELECT count(*) FROM files WHERE name IN ('Договор.bin', 'скриншот.png', 'общий.bin')")
            .pluck()
            .get(),
        ).toBe(0);
        expect(db.prepare('SELECT count(*) FROM messages WHERE text LIKE ?').pluck().get(`%${secret}%`)).toBe(0);
      } finally {
        db.close();
      }
      const needle = Buffer.from(secret, 'utf8');
      for (const suffix of ['', '-wal'])
        if (existsSync(dbFile + suffix)) expect(readFileSync(dbFile + suffix).includes(needle)).toBe(false);
    },
  );
});
