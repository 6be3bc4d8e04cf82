// Backups to a folder on ANOTHER disk than the uploaded files are incremental: a blob unchanged
// since the newest backup in the folder is a hard link to that backup's copy (checked by size and
// SHA-256 first), only new blobs are copied; retention removing the older backup leaves the newer
// one complete (`beseda-hub backup verify`, and a restore of its files checked blob by blob); a
// damaged blob in the earlier backup is never linked forward. Real hub core, real SQLite files, the
// files folder on a different filesystem (/dev/shm) from the backup folder (os.tmpdir()).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BackupScheduler } from '../../hub/backup/BackupScheduler.ts';
import { backupCommands } from '../../hub/cli/backupCommands.ts';
import type { CliContext } from '../../hub/cli/CliCommand.ts';
import { BlobStore } from '../../hub/files/BlobStore.ts';
import type { Actor } from '../../hub/ops/Hub.ts';
import { openTestHub, recordingLog, tempDir, type TestHub } from '../hub-core/harness.ts';

const GENERAL = 1;

/** A folder on another filesystem than os.tmpdir() (where the backups go): links between them fail. */
function otherDiskDir(): string {
  const tmpDev = fs.statSync(os.tmpdir()).dev;
  for (const base of ['/dev/shm', `/run/user/${process.getuid?.() ?? 0}`]) {
    try {
      if (fs.statSync(base).dev === tmpDev) continue;
      const dir = fs.mkdtempSync(path.join(base, 'beseda-files-'));
      made.push(dir);
      return dir;
    } catch {
      // not here
    }
  }
  throw new Error(`this test needs a writable folder on another filesystem than ${os.tmpdir()} (e.g. /dev/shm)`);
}

const made: string[] = [];
const schedulers: BackupScheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const mode = (file: string) => fs.statSync(file).mode & 0o777;
const blobIn = (filesDir: string, sha: string) => path.join(filesDir, sha.slice(0, 2), sha);

let sent = 0;

/** Uploads a file and sends it in a message; its blob's hash. */
async function sendFile(t: TestHub, who: Actor, name: string, text: string): Promise<string> {
  const bytes = Buffer.from(text);
  const ref = await t.hub.files.upload(who, {
    name,
    declaredType: 'text/plain',
    length: bytes.length,
    body: (async function* () {
      yield bytes;
    })(),
  });
  await t.hub.send(who, {
    conversationId: GENERAL,
    clientId: `file-${++sent}-${sha256(text).slice(0, 8)}`,
    text: name,
    files: [ref.id],
  });
  return sha256(bytes);
}

/** `beseda-hub backup verify FILE`: its exit code and what it printed. */
async function verify(file: string): Promise<{ code: number; out: string }> {
  const command = backupCommands.find((c) => c.words.join(' ') === 'backup verify')!;
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    const code = await command.run({ positionals: [file], values: {} } as unknown as CliContext);
    return { code, out: out.join('') };
  } finally {
    process.stdout.write = write;
  }
}

/** Every folder and file under `dir`, with `dir` itself. */
function walk(dir: string): string[] {
  return [dir, ...fs.readdirSync(dir, { recursive: true }).map((name) => path.join(dir, String(name)))];
}

async function setUp(keep: number) {
  const filesDir = otherDiskDir();
  const t = await openTestHub({ files: { dir: filesDir } });
  const backupDir = path.join(tempDir(), 'backups');
  fs.mkdirSync(backupDir, { mode: 0o700 });
  // The point of the test: the backup folder is on another filesystem, so no link from the files folder works.
  expect(fs.statSync(filesDir).dev).not.toBe(fs.statSync(backupDir).dev);
  const log = recordingLog();
  const s = new BackupScheduler({ hub: t.hub, log, dir: backupDir, everyMs: 0, keep });
  schedulers.push(s);
  const anna = await t.user('anna', { name: 'Анна Петрова' });
  return { t, s, log, anna, filesDir, backupDir };
}

describe('incremental backups to another disk', { timeout: 120_000 }, () => {
  it('link unchanged blobs to the previous backup, copy only new ones; removing the older backup leaves the newer one complete', async () => {
    const { t, s, log, anna, filesDir, backupDir } = await setUp(2);
    const a = await sendFile(t, anna, 'договор.txt', 'договор поставки №7 '.repeat(500));
    const b = await sendFile(t, anna, 'акт.txt', 'акт сверки за ноябрь '.repeat(300));

    // First backup: nothing to link to, every blob copied (its own inode, not the files folder's).
    const first = await s.runNow('scheduled');
    const firstFiles = `${first.entry.file}.files`;
    expect(first.written.files).toMatchObject({ blobs: 2, copiedBlobs: 2, damagedEarlier: 0 });
    for (const sha of [a, b]) {
      expect(fs.readFileSync(blobIn(firstFiles, sha)).equals(fs.readFileSync(blobIn(filesDir, sha)))).toBe(true);
      expect(fs.statSync(blobIn(firstFiles, sha)).nlink).toBe(1);
    }

    // A new upload, then the second backup: the two unchanged blobs are the first backup's inodes, the new one a copy.
    const c = await sendFile(t, anna, 'счёт.txt', 'счёт на оплату №42 '.repeat(700));
    const second = await s.runNow('scheduled');
    const secondFiles = `${second.entry.file}.files`;
    const cBytes = fs.statSync(blobIn(filesDir, c)).size;
    expect(second.written.files).toMatchObject({ blobs: 3, copiedBlobs: 1, copiedBytes: cBytes, damagedEarlier: 0 });
    for (const sha of [a, b]) {
      const older = fs.statSync(blobIn(firstFiles, sha));
      const newer = fs.statSync(blobIn(secondFiles, sha));
      expect([newer.dev, newer.ino]).toEqual([older.dev, older.ino]);
      expect(newer.nlink).toBe(2);
    }
    const copied = fs.statSync(blobIn(secondFiles, c));
    expect(copied.nlink).toBe(1);
    expect(fs.existsSync(blobIn(firstFiles, c))).toBe(false);
    expect(sha256(fs.readFileSync(blobIn(secondFiles, c)))).toBe(c);
    expect(log.lines.filter((l) => l.msg === 'backup written and verified').map((l) => l.obj)).toMatchObject([
      { blobs: 2, blobsCopied: 2 },
      { blobs: 3, blobsCopied: 1, bytesCopied: cBytes },
    ]);

    // Private as before: 0600 blobs (copied and linked alike), 0700 folders.
    for (const file of [...walk(firstFiles), ...walk(secondFiles)])
      expect(mode(file), file).toBe(fs.statSync(file).isDirectory() ? 0o700 : 0o600);

    // Retention (keep 2): a third backup removes the first. The second is still complete.
    const third = await s.runNow('scheduled');
    expect(third.written.files).toMatchObject({ blobs: 3, copiedBlobs: 0 });
    expect(fs.existsSync(first.entry.file)).toBe(false);
    expect(fs.existsSync(firstFiles)).toBe(false);
    expect(s.list().map((e) => e.file)).toEqual([third.entry.file, second.entry.file]);
    for (const sha of [a, b, c]) {
      expect(fs.statSync(blobIn(secondFiles, sha)).nlink).toBe(2); // the second's and the third's
      expect(sha256(fs.readFileSync(blobIn(secondFiles, sha)))).toBe(sha);
    }
    const ok = await verify(second.entry.file);
    expect(ok.out).toContain('Files: all 3 uploaded files it refers to are in');
    expect(ok.code).toBe(0);
    await expect(t.hub.verifyBackup(second.entry.file)).resolves.toMatchObject({ files: 3 });

    // A restore of the second backup's files into an empty files folder: every blob checked against its hash.
    const restored = new BlobStore(path.join(tempDir(), 'restored-files'));
    await restored.open();
    expect(await restored.restoreFrom(secondFiles)).toEqual({ added: 3, present: 0, damaged: [] });

    // The check still sees a missing blob (so the 0 above means something).
    fs.rmSync(blobIn(secondFiles, b));
    const missing = await verify(second.entry.file);
    expect(missing.out).toMatch(/NOT COMPLETE: 1 of the 3 uploaded files/);
    expect(missing.code).toBe(1);
    expect((await verify(third.entry.file)).code).toBe(0);
    expect(fs.readdirSync(backupDir).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('never links a blob whose earlier copy no longer matches its hash: the new backup gets a fresh copy', async () => {
    const { t, s, log, anna, filesDir } = await setUp(5);
    const a = await sendFile(t, anna, 'договор.txt', 'договор поставки №7 '.repeat(500));
    const b = await sendFile(t, anna, 'акт.txt', 'акт сверки за ноябрь '.repeat(300));
    const first = await s.runNow('manual');
    const firstFiles = `${first.entry.file}.files`;

    // Bit rot in the first backup's copy of `a`: same size, other bytes.
    const damaged = blobIn(firstFiles, a);
    const bytes = fs.readFileSync(damaged);
    bytes[100] = bytes[100]! ^ 0xff;
    fs.writeFileSync(damaged, bytes);
    expect(fs.statSync(damaged).size).toBe(fs.statSync(blobIn(filesDir, a)).size);

    const second = await s.runNow('manual');
    const secondFiles = `${second.entry.file}.files`;
    expect(second.written.files).toMatchObject({ blobs: 2, copiedBlobs: 1, damagedEarlier: 1 });
    expect(fs.statSync(blobIn(secondFiles, a)).ino).not.toBe(fs.statSync(damaged).ino);
    expect(sha256(fs.readFileSync(blobIn(secondFiles, a)))).toBe(a);
    expect(fs.statSync(blobIn(secondFiles, b)).ino).toBe(fs.statSync(blobIn(firstFiles, b)).ino);
    expect(log.lines.find((l) => l.level === 'warn')?.obj).toMatchObject({ file: second.entry.file, damaged: 1 });

    // A blob there of another size is not linked either.
    fs.writeFileSync(blobIn(secondFiles, b), 'short');
    const third = await s.runNow('manual');
    expect(third.written.files).toMatchObject({ blobs: 2, copiedBlobs: 1, damagedEarlier: 1 });
    expect(sha256(fs.readFileSync(blobIn(`${third.entry.file}.files`, b)))).toBe(b);
    expect(fs.statSync(blobIn(`${third.entry.file}.files`, a)).ino).toBe(fs.statSync(blobIn(secondFiles, a)).ino);
  });
});
