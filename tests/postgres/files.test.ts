// The PostgreSQL FileStore (and the file helpers the message store uses inside its transactions)
// answers exactly as the SQLite one: the same uploads, messages, forwards and deletions written to
// both stores, every read asked of both. Shared blobs (identical uploads), previews, quotas,
// read rights through conversations and the general room, collection of unattached uploads and
// the sessions' download keys.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { StoredFile } from '../../hub/store/FileStore.ts';
import type { AppendRequest } from '../../hub/store/MessageStore.ts';
import { openPostgresStore } from '../../hub/store/postgres/openPostgresStore.ts';
import { openSqliteStore } from '../../hub/store/sqlite/openSqliteStore.ts';
import type { Store } from '../../hub/store/Store.ts';
import { postgresAvailable, startPostgres, type TestPostgres } from '../helpers/postgres.ts';

const now = 1_700_000_000_000;
let cluster: TestPostgres | undefined;
let dir = '';
const stores: Store[] = [];

beforeAll(async () => {
  if (!postgresAvailable) return;
  cluster = await startPostgres();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beseda-pg-files-'));
  stores.push(openSqliteStore(path.join(dir, 'hub.db'), { now }));
  stores.push(await openPostgresStore(await cluster.createDatabase(), { now }));
});

afterAll(async () => {
  for (const store of stores) await store.admin.close().catch(() => {});
  await cluster?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the same step on both stores; their answers must be equal. Returns SQLite's. */
async function both<T>(step: (store: Store) => Promise<T>): Promise<T> {
  const a = await step(stores[0]!);
  const b = await step(stores[1]!);
  expect(b).toEqual(a);
  return a;
}

let n = 0;
function upload(uploaderId: number, bytes: string, extra: Partial<StoredFile> = {}): StoredFile {
  n += 1;
  return {
    id: `f${String(n).padStart(21, '0')}`,
    sha256: `sha-${bytes}`,
    size: bytes.length,
    name: `${bytes}.txt`,
    type: 'text/plain',
    kind: 'file',
    previewSha256: null,
    previewType: null,
    uploaderId,
    createdAt: now + n,
    ...extra,
  };
}

describe.skipIf(!postgresAvailable)('FileStore, SQLite vs PostgreSQL', () => {
  it('stores, attaches, forwards, frees and answers every read alike', async () => {
    const user = (login: string, isBot = false) =>
      both(async (s) => {
        const created = await s.accounts.createUser({
          ...{ login, name: login, passwordHash: 'x', isAdmin: false, isBot, branch: null, email: null },
          ...{ createdAt: now, joinGeneral: !isBot },
        });
        if (created.kind !== 'created') throw new Error(created.reason);
        return created.account.id;
      });
    const anna = await user('anna');
    const boris = await user('boris');
    const vera = await user('vera');
    const bot = await user('robot', true);
    const general = await both((s) => s.conversations.generalRoomId());
    const closed = await both(async (s) => {
      const created = await s.conversations.createRoom(
        { kind: 'closed', name: 'Касса', nameKey: roomNameKey('Касса'), topic: '', ownerId: anna, invited: [boris] },
        now,
      );
      if (created.kind === 'refused') throw new Error(created.reason);
      return created.conversationId;
    });

    const image = upload(anna, 'photo', {
      ...{ kind: 'image', type: 'image/png', name: 'фото.png', width: 640, height: 480, animated: true },
      ...{ previewSha256: 'sha-photo-preview', previewType: 'image/webp' },
    });
    const doc = upload(anna, 'document');
    const docAgain = upload(boris, 'document'); // the same bytes: one blob, two uploads
    const lonely = upload(vera, 'never attached');
    const big = upload(boris, 'x'.repeat(5000));
    for (const f of [image, doc, docAgain, lonely, big]) await both((s) => s.files.insert(f));
    await both((s) => s.files.get(image.id));
    await both((s) => s.files.get('f-unknown'));

    let c = 0;
    const post = (senderId: number, conversationId: number, more: Partial<AppendRequest>) => {
      c += 1;
      return both(async (s) => {
        const [outcome] = await s.messages.appendBatch([
          {
            ...{ conversationId, senderId, clientId: `files-${c}-abcdef`, kind: 'text', text: `сообщение ${c}` },
            ...{ ts: now + 1000 + c, mentions: [], mentionsAll: false, ...more },
          },
        ]);
        return outcome!;
      });
    };
    const inClosed = await post(anna, closed, { files: [image.id, doc.id, image.id] });
    expect(inClosed.kind).toBe('stored');
    // Someone else's upload, or an unknown one, is refused naming the first bad id.
    expect(await post(anna, closed, { files: [doc.id, docAgain.id, 'f-unknown'] })).toMatchObject({
      kind: 'refused',
      fileId: docAgain.id,
    });
    const inGeneral = await post(boris, general, { files: [docAgain.id] });
    const seqOf = (o: typeof inClosed) => (o.kind === 'stored' ? o.message.seq : 0);
    const forward = await post(vera, general, { forward: seqOf(inGeneral) });
    expect(forward).toMatchObject({ kind: 'stored', message: { files: [{ id: docAgain.id }] } });

    const reads = () =>
      both(async (s) => {
        const may: boolean[] = [];
        for (const f of [image, doc, docAgain, lonely, big, upload(anna, 'unknown')])
          for (const u of [anna, boris, vera, bot]) may.push(await s.files.mayRead(f.id, u));
        return {
          may,
          quota: [
            await s.files.uploadedBytesSince(boris, now),
            await s.files.uploadedBytesSince(boris, big.createdAt + 1),
          ],
          usage: await s.files.usage(),
          blobs: [...(await s.files.referencedBlobs())].sort(),
          history: (await s.messages.get(seqOf(inClosed)))?.files,
        };
      });
    await reads();

    // Deleting the closed room's message frees the photo and its preview, but not the document
    // blob (boris's identical upload names it).
    const freed = await both(async (s) => {
      const outcome = await s.messages.applyChange({
        ...{ actorId: anna, clientId: 'delete-1-abcdef', seq: seqOf(inClosed), ts: now + 5000 },
        change: { kind: 'delete' },
      });
      return outcome.kind === 'applied' ? outcome.freedBlobs.sort() : outcome.kind;
    });
    expect(freed).toEqual(['sha-photo', 'sha-photo-preview']);
    await reads();
    // The original is deleted: the forward still carries (and keeps) the shared upload.
    expect(
      await both(async (s) => {
        const outcome = await s.messages.applyChange({
          ...{ actorId: boris, clientId: 'delete-2-abcdef', seq: seqOf(inGeneral), ts: now + 6000 },
          change: { kind: 'delete' },
        });
        return outcome.kind === 'applied' ? outcome.freedBlobs : outcome.kind;
      }),
    ).toEqual([]);
    await reads();

    // Uploads no message carries, older than the bound, are collected.
    expect(await both((s) => s.files.deleteUnattached(lonely.createdAt + 1))).toBe(1);
    expect(await both((s) => s.files.deleteUnattached(now + 10_000))).toBe(1);
    await reads();
  });

  it('records a session download key once and finds the session by it', async () => {
    const key = createHash('sha256').update(randomBytes(32)).digest();
    const other = createHash('sha256').update(randomBytes(32)).digest();
    const sessions = await Promise.all(
      stores.map(async (s) => {
        const created = await s.accounts.createUser({
          ...{ login: 'gleb', name: 'gleb', passwordHash: 'x', isAdmin: false, isBot: false, branch: null },
          ...{ email: null, createdAt: now, joinGeneral: true },
        });
        if (created.kind !== 'created') throw new Error(created.reason);
        const session = await s.accounts.createSession({
          ...{ userId: created.account.id, tokenHash: randomBytes(32), source: null, scope: 'chat', now },
        });
        if (session.kind !== 'created') throw new Error(session.reason);
        return session.sessionId;
      }),
    );
    expect(sessions[1]).toBe(sessions[0]);
    const found = await both(async (s) => {
      await s.files.setSessionFileKey(sessions[0]!, key);
      // The key is set once: another never replaces it.
      await s.files.setSessionFileKey(sessions[0]!, other);
      return [await s.files.findSessionByFileKey(key), await s.files.findSessionByFileKey(other)];
    });
    expect(found[0]).toMatchObject({ sessionId: sessions[0], revoked: false, isBot: false });
    expect(found[1]).toBeUndefined();
  });
});
