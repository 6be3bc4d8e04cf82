// A full disk under the files folder (a 1 MiB tmpfs as --files-dir): the upload that does not fit
// answers 507 storage_full and leaves no temporary file and no blob, /healthz says `degraded`
// (files.storageFull) while messages still work, and once space is freed an upload succeeds and
// the hub is `ok` again. Needs root to mount the tmpfs; skipped where that is not possible.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { runCli } from '../integrations/integrationHelpers.ts';
import { cid, upload } from './fileHelpers.ts';

const mountPoint = mkdtempSync(path.join(os.tmpdir(), 'beseda-full-'));
const mounted = (() => {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
let hub: TestHub;
let token: string;

const healthz = async () =>
  (await (await fetch(`${hub.url}/healthz`)).json()) as {
    status: string;
    reason?: string;
    files: { storageFull: boolean };
  };
const entries = (dir: string) => readdirSync(path.join(mountPoint, dir));

beforeAll(async () => {
  if (!mounted) return;
  hub = await startHub({ args: ['--files-dir', mountPoint] });
  const u = await hub.addUser('ivanov', 'Иван');
  token = (await hub.login('ivanov', u.password)).token;
});
afterAll(async () => {
  await hub?.stop();
  if (mounted) execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

it.skipIf(!mounted)('a full files disk answers storage_full, leaves nothing half-written, and recovers', async () => {
  expect((await upload(hub, token, 'первый.bin', randomBytes(600_000))).status).toBe(201);
  const blobsBefore = readdirSync(mountPoint)
    .filter((d) => d !== 'tmp')
    .flatMap(entries);
  const full = await upload(hub, token, 'второй.bin', randomBytes(600_000));
  expect(full.status).toBe(507);
  expect(full.error?.code).toBe('storage_full');
  expect(entries('tmp')).toEqual([]);
  expect(
    readdirSync(mountPoint)
      .filter((d) => d !== 'tmp')
      .flatMap(entries),
  ).toEqual(blobsBefore);

  const degraded = await healthz();
  expect(degraded).toMatchObject({ status: 'degraded', reason: 'storage_full', files: { storageFull: true } });
  // Messages live in the database on another disk: they still work.
  const socket = await TestSocket.open(hub.wsUrl, token);
  const general = socket.hello.conversations.find((c) => c.kind === 'general')!.id;
  await socket.request('send', { conversationId: general, clientId: cid('full'), text: 'диск с файлами полон' });
  socket.close();

  // The first upload was never sent: collecting it frees the space.
  const collected = await runCli(['files', 'collect', '--unattached-hours', '0', '--data', hub.dataDir]);
  expect(collected.code, collected.err).toBe(0);
  expect((await upload(hub, token, 'третий.bin', randomBytes(100_000))).status).toBe(201);
  expect(await healthz()).toMatchObject({ status: 'ok', files: { storageFull: false } });
});
