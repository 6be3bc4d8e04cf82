// Blob writes in batches: a body arriving in 64 KiB chunks reaches the disk in about 1 MiB
// vectored writes (one write call per chunk cost the hub more than hashing, measured in the
// benchmark's files step), with at most one write in flight so an upload holds about two
// batches; the bytes and their hash stay exact, and a failing disk write surfaces.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchedFileWriter, writeBatchBytes } from '../../hub/files/BatchedFileWriter.ts';
import { BlobStore } from '../../hub/files/BlobStore.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-batched-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real file handle whose write calls are counted (and may be made to write less than asked, or fail). */
async function countedHandle(file: string, options: { short?: boolean; failAt?: number } = {}) {
  const handle = await open(file, 'w');
  const calls = { writes: 0 };
  const counted = new Proxy(handle, {
    get(target, prop) {
      if (prop === 'writev' || prop === 'write')
        return async (buffers: Uint8Array[] | Uint8Array, ...rest: unknown[]) => {
          calls.writes++;
          if (options.failAt !== undefined && calls.writes >= options.failAt)
            throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
          if (prop === 'writev' && options.short) {
            // Half of the first buffer only: the writer must send the rest itself.
            const first = (buffers as Uint8Array[])[0]!;
            return target.writev([first.subarray(0, Math.ceil(first.length / 2))], rest[0] as number);
          }
          return (target[prop] as (...a: unknown[]) => unknown).call(target, buffers, ...rest);
        };
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as FileHandle;
  return { handle, counted, calls };
}

describe('BatchedFileWriter', () => {
  it('writes 64 KiB chunks as about 1 MiB writes, the bytes exact', async () => {
    const file = path.join(dir, 'a.bin');
    const { handle, counted, calls } = await countedHandle(file);
    const chunks = Array.from({ length: 200 }, () => randomBytes(64 * 1024));
    const writer = new BatchedFileWriter(counted);
    for (const chunk of chunks) await writer.push(chunk);
    await writer.finish();
    await handle.close();
    expect(readFileSync(file).equals(Buffer.concat(chunks))).toBe(true);
    // 12.5 MiB in 1 MiB batches: 13 writes, not 200.
    expect(calls.writes).toBeLessThanOrEqual(Math.ceil((200 * 64 * 1024) / writeBatchBytes));
  });

  it('finishes a write that wrote less than asked', async () => {
    const file = path.join(dir, 'b.bin');
    const { handle, counted } = await countedHandle(file, { short: true });
    const chunks = Array.from({ length: 40 }, () => randomBytes(50_000));
    const writer = new BatchedFileWriter(counted);
    for (const chunk of chunks) await writer.push(chunk);
    await writer.finish();
    await handle.close();
    expect(readFileSync(file).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('a failing write is thrown to the caller, and abandon waits without throwing', async () => {
    const file = path.join(dir, 'c.bin');
    const { handle, counted } = await countedHandle(file, { failAt: 2 });
    const writer = new BatchedFileWriter(counted);
    const run = async () => {
      for (let i = 0; i < 100; i++) await writer.push(randomBytes(64 * 1024));
      await writer.finish();
    };
    await expect(run()).rejects.toMatchObject({ code: 'ENOSPC' });
    await writer.abandon();
    await handle.close();
  });
});

describe('BlobStore.write', () => {
  it('reads the source at most about two batches ahead of the disk, and hashes every byte', async () => {
    const store = new BlobStore(path.join(dir, 'blobs'));
    await store.open();
    const chunks = Array.from({ length: 160 }, () => randomBytes(64 * 1024));
    let pulled = 0;
    let mostAhead = 0;
    async function* source() {
      for (const chunk of chunks) {
        // What the store has asked for beyond what is in its temporary file now.
        const [temp] = readdirSync(store.tmpDir);
        const onDisk = temp ? statSync(path.join(store.tmpDir, temp)).size : 0;
        mostAhead = Math.max(mostAhead, pulled - onDisk);
        pulled += chunk.length;
        yield chunk;
      }
    }
    const blob = await store.write(source());
    store.unpin(blob.sha256);
    const whole = Buffer.concat(chunks);
    expect(blob).toMatchObject({ sha256: createHash('sha256').update(whole).digest('hex'), size: whole.length });
    expect(readFileSync(store.pathOf(blob.sha256)).equals(whole)).toBe(true);
    expect(mostAhead).toBeLessThanOrEqual(2 * writeBatchBytes + 64 * 1024);
  });
});
