// Files in the outbox against a real hub: kept on the device before send resolves, uploaded with
// progress, sent exactly once across hub and app restarts, cancelled cleanly, refused before any
// upload when over the hub's limits.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FileUploader, UploadRequest, UploadResponse } from '../../common/client/FileUploader.ts';
import type { MessageView } from '../../common/client/ClientState.ts';
import { MemoryFileStash } from '../../common/client/MemoryFileStash.ts';
import { filePath } from '../../common/protocol/fileUrls.ts';
import type { FileRef } from '../../common/protocol/model.ts';
import { FolderFileStash } from '../../main/files/FolderFileStash.ts';
import { NodeFileUploader } from '../../main/files/NodeFileUploader.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import type { FileStorage } from './clientHarness.ts';
import { ClientTracker, cuttingSocket, generalId, signedIn, testClient, type TestClient } from './clientHarness.ts';

/** The hub's per-file limit in these tests (small enough to exceed cheaply). */
const maxFileBytes = 16 * 1024 * 1024;

let hub: TestHub;
const clients = new ClientTracker();
const { track } = clients;
/** Reconnects quickly (tests wait for reconnects). */
const fast = { backoffBaseMs: 50, backoffCapMs: 300 };
/** A deadline for what follows a hub restart on a loaded machine (not a speed limit). */
const slow = 45_000;

beforeAll(async () => {
  hub = await startHub({ args: ['--max-file-bytes', String(maxFileBytes)] });
});
afterEach(async () => {
  clients.disposeAll();
  // A test that failed right after killing the hub may get here before the process has exited.
  if (hub.process.killed || hub.process.exitCode !== null || hub.process.signalCode !== null) {
    await hub.kill();
    await hub.restart();
  }
});
afterEach((context) => {
  // What the hub said, when a test failed (a crash or a refusal shows there first).
  if (context.task.result?.state === 'fail') console.log(hub.output.slice(-40).join('\n'));
});
afterAll(async () => {
  await hub?.stop();
});

/** Distinct, reproducible bytes (each test's file differs from the others'). */
function bytesOf(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The real uploader, watched: how often it started, was aborted, and a hook before the client hears the answer. */
class WatchedUploader implements FileUploader {
  private readonly real = new NodeFileUploader();
  starts = 0;
  aborts = 0;
  answers: number[] = [];
  errors: string[] = [];
  /** Runs after the hub answered, before the client core sees the answer. */
  beforeAnswer: ((response: UploadResponse) => Promise<void>) | null = null;
  /** Sees every progress report. */
  onProgress: ((loaded: number) => void) | null = null;
  /** The next upload gets this answer without reaching the hub (a refusal the test cannot cause for real). */
  refuseNext: UploadResponse | null = null;

  start(request: UploadRequest) {
    this.starts++;
    const refusal = this.refuseNext;
    if (refusal) {
      this.refuseNext = null;
      this.answers.push(refusal.status);
      return { done: Promise.resolve(refusal), abort: () => undefined };
    }
    const task = this.real.start({
      ...request,
      onProgress: (loaded) => {
        request.onProgress(loaded);
        this.onProgress?.(loaded);
      },
    });
    const done = task.done.then(
      async (response) => {
        this.answers.push(response.status);
        const hook = this.beforeAnswer;
        this.beforeAnswer = null;
        if (hook) await hook(response);
        return response;
      },
      (err: unknown) => {
        this.errors.push((err as Error).message);
        throw err;
      },
    );
    return {
      done,
      abort: () => {
        this.aborts++;
        task.abort();
      },
    };
  }
}

/** The saved outbox entries with their files, as on disk now. */
function savedEntries(
  storage: FileStorage,
): { clientId: string; text: string; files?: { localId: string; fileId?: string }[] }[] {
  const raw = storage.readNow()['beseda.outbox'];
  return raw ? (JSON.parse(raw) as { entries: ReturnType<typeof savedEntries> }).entries : [];
}

/** The hub's stored messages of a conversation that carry files (via a raw socket). */
async function hubFileMessages(
  login: string,
  password: string,
  conversationId: number,
): Promise<{ text: string; clientId: string; files?: FileRef[] }[]> {
  const { token } = await hub.login(login, password);
  const socket = await TestSocket.open(hub.wsUrl, token);
  try {
    const page = await socket.request<{ messages: { text: string; clientId: string; files?: FileRef[] }[] }>(
      'history',
      { conversationId, limit: 200 },
    );
    return page.messages.filter((m) => m.files?.length);
  } finally {
    socket.close();
  }
}

/** Downloads a file as a reader with the read-only key their hello gave. */
async function download(reader: TestClient, id: string): Promise<Uint8Array> {
  const key = reader.state().fileKey;
  expect(key).toBeTruthy();
  const res = await fetch(hub.url + filePath(id, 'download', key!));
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

/** The outbox view of the message with this text. */
function pendingView(c: TestClient, conversationId: number, text: string): MessageView | undefined {
  return c.state().messages[conversationId]?.items.find((m) => m.text === text && m.status !== 'sent');
}

const stashDir = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'beseda-stash-')), 'outbox-files');

/** Polls until `check` holds (for what only shows on disk), or fails after the deadline. */
async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = slow): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('files in the outbox', { timeout: 150_000 }, () => {
  it('knows the session’s download key from hello and forgets it, and the kept files, on sign-out', async () => {
    const stash = new MemoryFileStash();
    const anna = track(await signedIn(hub, 'anna', { tuning: fast, fileStash: stash }));
    expect(anna.state().fileKey).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const general = generalId(anna.state());
    await hub.kill();
    await anna.until((s) => s.connection !== 'connected', 'anna notices the hub is gone');
    await anna.client.send(general, 'ждёт', [{ name: 'a.bin', type: '', bytes: bytesOf(1000, 1) }]);
    expect(await stash.list()).toHaveLength(1);
    await anna.client.signOut();
    expect(anna.state().fileKey).toBeNull();
    expect(await stash.list()).toEqual([]);
    expect(savedEntries(anna.storage)).toEqual([]);
  });

  it('wipes the kept files of another account when someone else signs in on this device', async () => {
    const dir = stashDir();
    const anna = track(await signedIn(hub, 'aleksandra', { tuning: fast, fileStash: new FolderFileStash(dir) }));
    const other = await hub.addUser('boyan', 'Боян');
    const general = generalId(anna.state());
    await hub.kill();
    await anna.until((s) => s.connection !== 'connected', 'anna notices the hub is gone');
    await anna.client.send(general, 'чужой файл', [{ name: 'secret.pdf', type: '', bytes: bytesOf(2000, 13) }]);
    expect(readdirSync(dir)).toHaveLength(1);
    anna.dispose();
    // Her session ended on the hub's side (the outbox stays for her), and Boyan signs in here.
    await anna.storage.set('beseda.session', JSON.stringify({ hubUrl: hub.url, token: null, me: null }));
    await hub.restart();
    const boyan = track(await testClient({ storage: anna.storage, fileStash: new FolderFileStash(dir), tuning: fast }));
    const result = await boyan.client.signIn(hub.url, 'boyan', other.password);
    expect(result.ok).toBe(true);
    await boyan.until((s) => s.connection === 'connected', 'boyan connected', slow);
    expect(readdirSync(dir)).toEqual([]);
    expect(savedEntries(boyan.storage)).toEqual([]);
    expect(boyan.state().messages[general]?.items.some((m) => m.text === 'чужой файл') ?? false).toBe(false);
  });

  it('delivers a file exactly once when the hub dies after the upload, before the send, and the app restarts meanwhile', async () => {
    const dir = stashDir();
    const uploader = new WatchedUploader();
    const anna = track(await signedIn(hub, 'alla', { tuning: fast, fileStash: new FolderFileStash(dir), uploader }));
    const boris = track(await signedIn(hub, 'bob', { tuning: fast }));
    const general = generalId(anna.state());
    await boris.client.setActiveConversation(general);
    await anna.client.setActiveConversation(general);

    const bytes = bytesOf(3 * 1024 * 1024 + 17, 2);
    // The hub stores the upload, then dies before the client hears the answer.
    uploader.beforeAnswer = async () => {
      await hub.kill();
    };
    const sending = anna.client.send(general, 'счёт', [{ name: 'Счёт №17.pdf', type: 'application/pdf', bytes }]);
    // Shown at once with its upload.
    expect(pendingView(anna, general, 'счёт')?.uploads).toEqual([
      { name: 'Счёт №17.pdf', size: bytes.length, type: 'application/pdf', loaded: 0 },
    ]);
    await sending;
    // Kept on disk before send resolved: the entry and the bytes.
    expect(savedEntries(anna.storage)).toHaveLength(1);
    expect(await new FolderFileStash(dir).list()).toHaveLength(1);

    // The hub's answer reaches the client after the hub died: the file id is saved with the entry.
    await eventually(async () => {
      await anna.client.flushStorage();
      return savedEntries(anna.storage)[0]?.files?.[0]?.fileId !== undefined;
    }, 'the file id saved');
    await anna.until((s) => s.connection !== 'connected', 'anna notices the hub is gone');
    expect(pendingView(anna, general, 'счёт')?.uploads?.[0]?.loaded).toBe(bytes.length);
    expect(savedEntries(anna.storage)[0]!.files![0]!.fileId).toMatch(/^f[A-Za-z0-9_-]{22}$/);
    expect(uploader.answers).toEqual([201]);

    // The app restarts while the hub is down: a new client over the same storage and folder.
    anna.dispose();
    const anna2 = track(
      await testClient({ storage: anna.storage, fileStash: new FolderFileStash(dir), uploader, tuning: fast }),
    );
    expect(pendingView(anna2, general, 'счёт')?.uploads?.[0]?.loaded).toBe(bytes.length);
    await hub.restart();
    anna2.client.notifyNetworkChange();
    boris.client.notifyNetworkChange();
    await anna2.until(
      (s) => s.messages[general]?.items.some((m) => m.text === 'счёт' && m.status === 'sent') ?? false,
      'anna2 sees it stored',
      slow,
    );
    // The stored file id was reused: nothing was uploaded again.
    expect(uploader.starts).toBe(1);
    const got = await boris.until(
      (s) => s.messages[general]?.items.some((m) => m.text === 'счёт') ?? false,
      'boris receives it',
      slow,
    );
    const received = got.messages[general]!.items.filter((m) => m.text === 'счёт');
    expect(received).toHaveLength(1);
    expect(received[0]!.files).toMatchObject([{ name: 'Счёт №17.pdf', size: bytes.length, kind: 'file' }]);
    expect(sha256(await download(boris, received[0]!.files![0]!.id))).toBe(sha256(bytes));
    expect(await hubFileMessages('bob', boris.password, general)).toHaveLength(1);

    // Delivered: nothing left in the outbox or the folder.
    await anna2.client.flushStorage();
    expect(savedEntries(anna2.storage)).toEqual([]);
    await eventually(() => readdirSync(dir).length === 0, 'the stash folder is emptied');
  });

  it('delivers a file exactly once when the hub dies after storing the message, before the client heard', async () => {
    const uploader = new WatchedUploader();
    let armed = false;
    let cut = 0;
    /** A real socket that, once armed, kills the hub at the first frame about the message and drops that frame. */
    const killingSocket = cuttingSocket(
      (frame) => {
        if (!armed || !frame.includes('на грани с файлом')) return false;
        armed = false;
        cut++;
        return true;
      },
      () => void hub.kill(),
    );
    const anna = track(await signedIn(hub, 'ada', { tuning: fast, uploader, createSocket: killingSocket }));
    const boris = track(await signedIn(hub, 'boy', { tuning: fast }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);
    const bytes = bytesOf(200_000, 3);
    armed = true;
    await anna.client.send(general, 'на грани с файлом', [{ name: 'data.bin', type: '', bytes }]);
    await anna.until((s) => s.connection !== 'connected', 'the hub is gone');
    await eventually(() => hub.process.exitCode !== null || hub.process.signalCode !== null, 'the hub exits');
    expect(cut).toBe(1);
    expect(pendingView(anna, general, 'на грани с файлом')?.status).toBe('pending');

    await hub.restart();
    anna.client.notifyNetworkChange();
    boris.client.notifyNetworkChange();
    const s = await anna.until(
      (s) =>
        s.connection === 'connected' &&
        (s.messages[general]?.items.some((m) => m.text === 'на грани с файлом' && m.status === 'sent') ?? false),
      'anna sees it stored after the restart',
      slow,
    );
    expect(s.messages[general]!.items.filter((m) => m.text === 'на грани с файлом')).toHaveLength(1);
    expect(uploader.starts).toBe(1);
    const stored = (await hubFileMessages('boy', boris.password, general)).filter(
      (m) => m.text === 'на грани с файлом',
    );
    expect(stored).toHaveLength(1);
    await boris.until((s) => !!s.fileKey && s.connection === 'connected', 'boris reconnected', slow);
    expect(sha256(await download(boris, stored[0]!.files![0]!.id))).toBe(sha256(bytes));
  });

  it('sends files written while the hub is down after an app restart, once, and the reader gets the same bytes', async () => {
    const dir = stashDir();
    const uploader = new WatchedUploader();
    const anna = track(await signedIn(hub, 'asya', { tuning: fast, fileStash: new FolderFileStash(dir), uploader }));
    const boris = track(await signedIn(hub, 'bora', { tuning: fast }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);
    await boris.client.setActiveConversation(general);

    await hub.kill();
    await anna.until((s) => s.connection !== 'connected', 'anna notices the hub is gone');
    const first = bytesOf(70_000, 4);
    const second = bytesOf(1_500_000, 5);
    await anna.client.send(general, '', [
      { name: 'Скриншот.png', type: 'image/png', bytes: first },
      { name: 'отчёт.xlsx', type: '', bytes: second },
    ]);
    expect(readdirSync(dir)).toHaveLength(2);
    anna.dispose();

    const anna2 = track(
      await testClient({ storage: anna.storage, fileStash: new FolderFileStash(dir), uploader, tuning: fast }),
    );
    expect(pendingView(anna2, general, '')?.uploads?.map((u) => u.name)).toEqual(['Скриншот.png', 'отчёт.xlsx']);
    await hub.restart();
    anna2.client.notifyNetworkChange();
    boris.client.notifyNetworkChange();
    const got = await boris.until(
      (s) => s.messages[general]?.items.some((m) => m.files?.some((f) => f.name === 'отчёт.xlsx')) ?? false,
      'boris receives the files',
      slow,
    );
    const received = got.messages[general]!.items.filter((m) => m.files?.some((f) => f.name === 'отчёт.xlsx'));
    expect(received).toHaveLength(1);
    expect(received[0]!.files!.map((f) => f.name)).toEqual(['Скриншот.png', 'отчёт.xlsx']);
    expect(sha256(await download(boris, received[0]!.files![0]!.id))).toBe(sha256(first));
    expect(sha256(await download(boris, received[0]!.files![1]!.id))).toBe(sha256(second));
    expect(uploader.answers).toEqual([201, 201]);
    const stored = await hubFileMessages('bora', boris.password, general);
    expect(stored.filter((m) => m.files!.some((f) => f.name === 'отчёт.xlsx'))).toHaveLength(1);
    await eventually(() => readdirSync(dir).length === 0, 'the stash folder is emptied');
  });

  it('uploads a file again, once, when the hub no longer knows the id the outbox kept', async () => {
    const dir = stashDir();
    const uploader = new WatchedUploader();
    const anna = track(await signedIn(hub, 'agata', { tuning: fast, fileStash: new FolderFileStash(dir), uploader }));
    const boris = track(await signedIn(hub, 'borislav', { tuning: fast }));
    const general = generalId(anna.state());
    const me = anna.state().me!.id;
    anna.dispose();
    // As if uploaded a day ago and collected as unused since: a well-formed id the hub does not have.
    const bytes = bytesOf(50_000, 9);
    await new FolderFileStash(dir).put('kept1', bytes);
    await anna.storage.set(
      'beseda.outbox',
      JSON.stringify({
        v: 1,
        hubUrl: hub.url,
        userId: me,
        entries: [
          {
            clientId: 'c-reupload-1',
            conversationId: general,
            text: 'старый файл',
            createdAt: Date.now(),
            status: 'pending',
            files: [{ localId: 'kept1', name: 'old.bin', size: bytes.length, type: '', fileId: `f${'A'.repeat(22)}` }],
          },
        ],
      }),
    );
    const anna2 = track(
      await testClient({ storage: anna.storage, fileStash: new FolderFileStash(dir), uploader, tuning: fast }),
    );
    await anna2.until(
      (s) => s.messages[general]?.items.some((m) => m.clientId === 'c-reupload-1' && m.status === 'sent') ?? false,
      'sent after uploading again',
      slow,
    );
    expect(uploader.answers).toEqual([201]);
    await boris.until((s) => !!s.fileKey, 'boris has a key');
    const stored = (await hubFileMessages('borislav', boris.password, general)).filter(
      (m) => m.clientId === 'c-reupload-1',
    );
    expect(stored).toHaveLength(1);
    expect(sha256(await download(boris, stored[0]!.files![0]!.id))).toBe(sha256(bytes));
    await eventually(() => readdirSync(dir).length === 0, 'the stash folder is emptied');
  });

  it('starts an upload cut by the hub going down again once it is back, and sends the message once', async () => {
    const uploader = new WatchedUploader();
    const anna = track(await signedIn(hub, 'arseny', { tuning: fast, uploader }));
    const boris = track(await signedIn(hub, 'bogdan', { tuning: fast }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);
    const bytes = bytesOf(12 * 1024 * 1024, 10);
    let killing: Promise<void> | null = null;
    uploader.onProgress = () => {
      killing ??= hub.kill();
    };
    await anna.client.send(general, 'оборвалось', [{ name: 'cut.bin', type: '', bytes }]);
    await eventually(() => killing !== null, 'the upload started');
    await killing;
    uploader.onProgress = null;
    await eventually(() => uploader.errors.length === 1, 'the upload failed');
    await anna.until((s) => s.connection !== 'connected', 'anna notices the hub is gone');
    // Still waiting, not failed: the hub being away is no reason to give up.
    expect(pendingView(anna, general, 'оборвалось')?.status).toBe('pending');

    await hub.restart();
    anna.client.notifyNetworkChange();
    boris.client.notifyNetworkChange();
    await anna.until(
      (s) => s.messages[general]?.items.some((m) => m.text === 'оборвалось' && m.status === 'sent') ?? false,
      'stored after the hub came back',
      slow,
    );
    expect(uploader.starts).toBe(2);
    expect(uploader.answers).toEqual([201]);
    await boris.until((s) => !!s.fileKey && s.connection === 'connected', 'boris reconnected', slow);
    const stored = (await hubFileMessages('bogdan', boris.password, general)).filter((m) => m.text === 'оборвалось');
    expect(stored).toHaveLength(1);
    expect(sha256(await download(boris, stored[0]!.files![0]!.id))).toBe(sha256(bytes));
  });

  it('fails a message whose upload the hub refuses, shows why, and sends it once when retried', async () => {
    const stash = new MemoryFileStash();
    const uploader = new WatchedUploader();
    const anna = track(await signedIn(hub, 'avdotya', { tuning: fast, fileStash: stash, uploader }));
    const boris = track(await signedIn(hub, 'boleslav', { tuning: fast }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);
    uploader.refuseNext = {
      status: 413,
      body: { error: { code: 'quota_exceeded', message: 'the daily upload quota is used up' } },
    };
    const bytes = bytesOf(40_000, 11);
    await anna.client.send(general, 'после квоты', [{ name: 'q.bin', type: '', bytes }]);
    const failed = await anna.until(
      (s) => s.messages[general]?.items.some((m) => m.text === 'после квоты' && m.status === 'failed') ?? false,
      'the message fails',
    );
    const item = failed.messages[general]!.items.find((m) => m.text === 'после квоты')!;
    expect(item.error).toEqual({ code: 'quota_exceeded', message: 'the daily upload quota is used up' });
    expect(await stash.list()).toHaveLength(1); // kept for a retry

    await anna.client.retry(item.clientId);
    await anna.until(
      (s) => s.messages[general]?.items.some((m) => m.clientId === item.clientId && m.status === 'sent') ?? false,
      'the retried message is stored',
      slow,
    );
    expect(uploader.answers).toEqual([413, 201]);
    await boris.until((s) => !!s.fileKey, 'boris has a key');
    const stored = (await hubFileMessages('boleslav', boris.password, general)).filter((m) => m.text === 'после квоты');
    expect(stored).toHaveLength(1);
    expect(sha256(await download(boris, stored[0]!.files![0]!.id))).toBe(sha256(bytes));
    await eventually(async () => (await stash.list()).length === 0, 'the stash is emptied');
  });

  it('saves a message only once its file is kept, and keeps the order of what follows it', async () => {
    /** A real stash whose writes wait until released (a slow disk, a big file). */
    class SlowStash extends MemoryFileStash {
      release: () => void = () => undefined;
      private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
      override async put(localId: string, bytes: Uint8Array): Promise<void> {
        await this.gate;
        await super.put(localId, bytes);
      }
    }
    const stash = new SlowStash();
    const anna = track(await signedIn(hub, 'avgusta', { tuning: fast, fileStash: stash }));
    const boris = track(await signedIn(hub, 'bronislav', { tuning: fast }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);
    await boris.client.setActiveConversation(general);
    const withFile = anna.client.send(general, 'сначала файл', [{ name: 'f.bin', type: '', bytes: bytesOf(5000, 12) }]);
    await anna.client.send(general, 'потом текст');
    await anna.client.flushStorage();
    // The text is saved; the message whose file is not kept yet is not (a restart now would not find it half).
    expect(savedEntries(anna.storage).map((e) => e.text)).toEqual(['потом текст']);
    expect(pendingView(anna, general, 'сначала файл')?.status).toBe('pending');
    expect(pendingView(anna, general, 'потом текст')?.status).toBe('pending');
    stash.release();
    await withFile;
    const got = await boris.until(
      (s) =>
        (s.messages[general]?.items.filter((m) => ['сначала файл', 'потом текст'].includes(m.text)).length ?? 0) === 2,
      'boris receives both',
      slow,
    );
    expect(
      got.messages[general]!.items.map((m) => m.text).filter((t) => t === 'сначала файл' || t === 'потом текст'),
    ).toEqual(['сначала файл', 'потом текст']);
  });

  it('reports upload progress up to the file’s size', async () => {
    const anna = track(await signedIn(hub, 'arina', { tuning: fast }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);
    const bytes = bytesOf(8 * 1024 * 1024, 6);
    const seen: number[] = [];
    anna.client.subscribe((patch) => {
      const item = patch.messages?.[general]?.items.find((m) => m.text === 'большой');
      if (item?.uploads) seen.push(item.uploads[0]!.loaded);
    });
    await anna.client.send(general, 'большой', [{ name: 'big.bin', type: '', bytes }]);
    await anna.until(
      (s) => s.messages[general]?.items.some((m) => m.text === 'большой' && m.status === 'sent') ?? false,
      'stored',
      slow,
    );
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(bytes.length);
    // Progress in between was shown, and never went backwards.
    expect(seen.some((n) => n > 0 && n < bytes.length)).toBe(true);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('discarding during an upload aborts it and leaves nothing behind', async () => {
    const stash = new MemoryFileStash();
    const uploader = new WatchedUploader();
    const anna = track(await signedIn(hub, 'alisa', { tuning: fast, fileStash: stash, uploader }));
    const boris = track(await signedIn(hub, 'boga', { tuning: fast }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);
    const bytes = bytesOf(12 * 1024 * 1024, 7);
    let discarded: Promise<void> | null = null;
    uploader.onProgress = () => {
      if (discarded) return;
      const view = pendingView(anna, general, 'передумал');
      if (view) discarded = anna.client.discard(view.clientId);
    };
    await anna.client.send(general, 'передумал', [{ name: 'big.bin', type: '', bytes }]);
    await eventually(() => discarded !== null, 'the upload started');
    await discarded;
    expect(uploader.aborts).toBe(1);
    await eventually(() => uploader.errors.length === 1, 'the upload was cut');
    expect(uploader.answers).toEqual([]);
    expect(pendingView(anna, general, 'передумал')).toBeUndefined();
    await anna.client.flushStorage();
    expect(savedEntries(anna.storage)).toEqual([]);
    await eventually(async () => (await stash.list()).length === 0, 'the stash is emptied');
    // The hub kept nothing: no blob with these bytes, no temporary file.
    const filesDir = path.join(hub.dataDir, 'files');
    const hash = sha256(bytes);
    await eventually(
      () => !existsSync(path.join(filesDir, 'tmp')) || readdirSync(path.join(filesDir, 'tmp')).length === 0,
      'the hub removes the partial upload',
    );
    expect(existsSync(path.join(filesDir, hash.slice(0, 2), hash))).toBe(false);
    // And nothing was sent: a message written afterwards is the only new one.
    await anna.client.send(general, 'после');
    await boris.client.setActiveConversation(general);
    const b = await boris.until((s) => s.messages[general]?.items.some((m) => m.text === 'после') ?? false, 'after');
    expect(b.messages[general]!.items.some((m) => m.text === 'передумал')).toBe(false);
    expect(uploader.starts).toBe(1);
  });

  it('refuses a file over the hub’s limit, or too many files, before uploading anything', async () => {
    const stash = new MemoryFileStash();
    const uploader = new WatchedUploader();
    const anna = track(await signedIn(hub, 'anfisa', { tuning: fast, fileStash: stash, uploader }));
    const general = generalId(anna.state());
    await anna.client.setActiveConversation(general);

    await anna.client.send(general, 'слишком большой', [
      { name: 'small.txt', type: 'text/plain', bytes: bytesOf(10, 8) },
      { name: 'huge.iso', type: '', bytes: new Uint8Array(maxFileBytes + 1) },
    ]);
    const tooLarge = pendingView(anna, general, 'слишком большой')!;
    expect(tooLarge).toMatchObject({ status: 'failed', error: { code: 'file_too_large' } });
    expect(tooLarge.error!.message).toContain('huge.iso');

    const many = Array.from({ length: 11 }, (_, i) => ({ name: `${i}.txt`, type: 'text/plain', bytes: bytesOf(5, i) }));
    await anna.client.send(general, 'слишком много', many);
    expect(pendingView(anna, general, 'слишком много')).toMatchObject({
      status: 'failed',
      error: { code: 'bad_request' },
    });
    // Retrying changes nothing while the limits hold.
    await anna.client.retry(tooLarge.clientId);
    await anna.until(
      (s) => s.messages[general]!.items.find((m) => m.clientId === tooLarge.clientId)?.error?.code === 'file_too_large',
      'still refused',
    );
    expect(uploader.starts).toBe(0);

    for (const m of anna.state().messages[general]!.items.filter((m) => m.status === 'failed'))
      await anna.client.discard(m.clientId);
    await anna.client.flushStorage();
    expect(savedEntries(anna.storage)).toEqual([]);
    await eventually(async () => (await stash.list()).length === 0, 'the stash is emptied');
  });
});
