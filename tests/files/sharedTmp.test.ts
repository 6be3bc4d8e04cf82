import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { BlobStore, tmpFolderOf } from '../../hub/files/BlobStore.ts';

// Several hub nodes share one files folder (issue 20): a node starting (after a crash) cleans up
// its own temporary files only, never an upload another node is streaming at that moment.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'beseda-sharedtmp-'));
  dirs.push(d);
  return d;
}

/** A source that yields one chunk, then waits until released, then yields another. */
function pausedSource(first: Buffer, second: Buffer) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const begun = new Promise<void>((r) => (started = r));
  async function* source() {
    yield first;
    started();
    await released;
    yield second;
  }
  return { source: source(), begun, release };
}

test('a node starting while another streams an upload into the shared folder leaves that upload alone', async () => {
  const dir = folder();
  const a = new BlobStore(dir, 'hub-a:8080');
  const b = new BlobStore(dir, 'hub-b:8080');
  await a.open();
  const first = Buffer.alloc(2 * 1024 * 1024, 1);
  const second = Buffer.alloc(1024, 2);
  const upload = pausedSource(first, second);
  const writing = a.write(upload.source);
  await upload.begun;
  expect(readdirSync(a.tmpDir)).toHaveLength(1); // the upload's temporary file, in A's own folder
  await b.open(); // node B (re)starts meanwhile
  expect(readdirSync(a.tmpDir)).toHaveLength(1);
  upload.release();
  const written = await writing;
  const expected = createHash('sha256')
    .update(Buffer.concat([first, second]))
    .digest('hex');
  expect(written.sha256).toBe(expected);
  expect(
    createHash('sha256')
      .update(readFileSync(a.pathOf(expected)))
      .digest('hex'),
  ).toBe(expected);
});

test("a node's start removes what its own crash left, in its own folder only", async () => {
  const dir = folder();
  const a = new BlobStore(dir, 'n1');
  const b = new BlobStore(dir, 'n2');
  await a.open();
  await b.open();
  writeFileSync(path.join(a.tmpDir, 'left-by-crash'), 'x');
  writeFileSync(path.join(b.tmpDir, 'in-flight'), 'y');
  await new BlobStore(dir, 'n1').open();
  expect(existsSync(path.join(a.tmpDir, 'left-by-crash'))).toBe(false);
  expect(existsSync(path.join(b.tmpDir, 'in-flight'))).toBe(true);
});

test("a single hub cleans its tmp/ as before, keeping the nodes' folders of a once-shared files folder", async () => {
  const dir = folder();
  mkdirSync(path.join(dir, 'tmp', tmpFolderOf('n1')), { recursive: true });
  writeFileSync(path.join(dir, 'tmp', tmpFolderOf('n1'), 'part'), 'x');
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  writeFileSync(path.join(dir, 'tmp', 'left-by-crash'), 'y');
  await new BlobStore(dir).open();
  expect(existsSync(path.join(dir, 'tmp', 'left-by-crash'))).toBe(false);
  expect(existsSync(path.join(dir, 'tmp', tmpFolderOf('n1'), 'part'))).toBe(true);
});

test('node ids become distinct folder names without characters Windows refuses', () => {
  expect(tmpFolderOf('host:8080')).toMatch(/^host_8080-[0-9a-f]{8}$/);
  expect(tmpFolderOf('host:8080')).not.toBe(tmpFolderOf('host_8080'));
  expect(tmpFolderOf('../../etc')).not.toContain('/');
});
