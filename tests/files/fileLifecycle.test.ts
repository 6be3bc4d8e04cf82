// What happens to files over time, through the real hub and its CLI: /healthz reports their use;
// the orphan sweep (`beseda-hub files collect`) removes uploads never sent and their blobs but
// keeps a blob another upload still names; `beseda-hub backup` writes the blobs beside the
// database and `beseda-hub restore` brings them back into a fresh data folder, complete.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileRef } from '../../common/protocol/model.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { runCli } from '../integrations/integrationHelpers.ts';
import { cid, download, upload } from './fileHelpers.ts';

let hub: TestHub;
let token: string;
let password: string;
let socket: TestSocket;
let general: number;
const unique = randomBytes(20_000);
const shared = randomBytes(30_000);
const kept = randomBytes(40_000);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const blobIn = (filesDir: string, b: Buffer) => path.join(filesDir, sha(b).slice(0, 2), sha(b));
const blobPath = (dataDir: string, b: Buffer) => blobIn(path.join(dataDir, 'files'), b);
let orphan: FileRef;
let sharedOrphan: FileRef;
let sharedSent: FileRef;
let sent: FileRef;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'beseda-files-'));

beforeAll(async () => {
  hub = await startHub();
  const u = await hub.addUser('ivanov', 'Иван');
  password = u.password;
  token = (await hub.login('ivanov', password)).token;
  socket = await TestSocket.open(hub.wsUrl, token);
  general = socket.hello.conversations.find((c) => c.kind === 'general')!.id;
  orphan = (await upload(hub, token, 'забытый.bin', unique)).file!;
  sharedOrphan = (await upload(hub, token, 'черновик.bin', shared)).file!;
  sharedSent = (await upload(hub, token, 'отправлен.bin', shared)).file!;
  sent = (await upload(hub, token, 'Счёт №17.pdf', kept)).file!;
  await socket.request('send', {
    conversationId: general,
    clientId: cid('life'),
    text: 'файлы',
    files: [sharedSent.id, sent.id],
  });
});
afterAll(async () => {
  socket?.close();
  await hub?.stop().catch(() => {});
  rmSync(scratch, { recursive: true, force: true });
});

const status = async (file: FileRef) => {
  const res = await download(hub, file.id, { token });
  await res.arrayBuffer();
  return res.status;
};

describe('use and orphans', () => {
  it('/healthz reports the files’ use', async () => {
    const res = await fetch(`${hub.url}/healthz`);
    const body = (await res.json()) as { status: string; files: Record<string, unknown> };
    expect(body.status).toBe('ok');
    expect(body.files).toEqual({
      bytes: unique.length + shared.length + kept.length,
      count: 3,
      uploads: 4,
      maxTotalBytes: null,
      storageFull: false,
    });
  });

  it('keeps uploads younger than 24 hours', async () => {
    const r = await runCli(['files', 'collect', '--data', hub.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Removed 0 uploads never sent, and 0 stored files/);
    expect(await status(orphan)).toBe(200);
  });

  it('removes uploads never sent and their blobs, not a blob a sent file shares', async () => {
    const r = await runCli(['files', 'collect', '--unattached-hours', '0', '--data', hub.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`Removed 2 uploads never sent, and 1 stored files \\(${unique.length} bytes\\)`));
    expect(await status(orphan)).toBe(404);
    expect(await status(sharedOrphan)).toBe(404);
    expect(existsSync(blobPath(hub.dataDir, unique))).toBe(false);
    expect(existsSync(blobPath(hub.dataDir, shared))).toBe(true);
    expect(await status(sharedSent)).toBe(200);
    expect(await status(sent)).toBe(200);
    // A file id that was collected is refused in a message, so the client uploads it again.
    await expect(
      socket.request('send', { conversationId: general, clientId: cid('late'), text: '', files: [orphan.id] }),
    ).rejects.toThrow(/upload it again/);
  });
});

describe('backup and restore', () => {
  const backup = path.join(scratch, 'beseda-backup.db');

  it('backup writes the blobs beside the database', async () => {
    const r = await runCli(['backup', backup, '--data', hub.dataDir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`Uploaded files: 2 (${shared.length + kept.length} bytes) in ${backup}.files`);
    expect(existsSync(blobIn(`${backup}.files`, kept))).toBe(true);
    expect(await hub.stop()).toBe(0);
  });

  it('restore into a fresh data folder brings every file back', async () => {
    const dataDir = path.join(scratch, 'restored');
    const r = await runCli(['restore', backup, '--data', dataDir]);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/Files: added 2 from/);
    expect(r.out).toMatch(/all 2 files the backup refers to are in/);
    const restored = await startHub({ dataDir });
    try {
      const { token: fresh } = await restored.login('ivanov', password);
      for (const [file, bytes] of [
        [sent, kept],
        [sharedSent, shared],
      ] as const) {
        const res = await download(restored, file.id, { token: fresh });
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
      }
    } finally {
      await restored.stop();
    }
  });

  it('restore without the blobs says which are missing and fails', async () => {
    rmSync(`${backup}.files`, { recursive: true });
    const r = await runCli(['restore', backup, '--data', path.join(scratch, 'no-files')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/WARNING: 2 of the 2 files the backup refers to are missing/);
  });
});
