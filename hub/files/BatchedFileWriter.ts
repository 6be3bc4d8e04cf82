import type { FileHandle } from 'node:fs/promises';

/** Bytes gathered before one write: large enough that per-call costs vanish, small enough to hold per upload. */
export const writeBatchBytes = 1024 * 1024;

/**
 * Appends chunks to an open file in writes of about {@link writeBatchBytes}, one write in flight
 * while the next batch gathers. A network body arrives in chunks of 64 KiB or less; awaiting one
 * write per chunk cost the hub more main-thread time in write calls than it spent hashing
 * (measured with --cpu-prof in the benchmark's files step). Memory stays bounded: {@link push}
 * waits for the write in flight before starting another, so at most one batch is being written
 * and one gathered (about 2 MiB per upload).
 */
export class BatchedFileWriter {
  private gathered: Uint8Array[] = [];
  private gatheredBytes = 0;
  private position = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly handle: FileHandle,
    private readonly batchBytes = writeBatchBytes,
  ) {}

  /** Takes a chunk; resolves at once unless a full batch must wait for the previous write. */
  async push(chunk: Uint8Array): Promise<void> {
    this.gathered.push(chunk);
    this.gatheredBytes += chunk.length;
    if (this.gatheredBytes >= this.batchBytes) await this.flush();
  }

  /** Writes what is gathered and waits until every byte is written (a write error is thrown here or by push). */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
  }

  /** Waits for the write in flight, ignoring its error (the caller is abandoning the file). */
  async abandon(): Promise<void> {
    this.gathered = [];
    this.gatheredBytes = 0;
    await this.inFlight?.catch(() => {});
    this.inFlight = null;
  }

  private async flush(): Promise<void> {
    await this.settle();
    if (this.gatheredBytes === 0) return;
    // One vectored write of the chunks as they are: copying them into one buffer first cost
    // more main-thread time than the write calls it saved (measured).
    const batch = this.gathered;
    const at = this.position;
    this.position += this.gatheredBytes;
    this.gathered = [];
    this.gatheredBytes = 0;
    const write = writeAll(this.handle, batch, at);
    // Observed at once so a failure never counts as unhandled; thrown by the next settle().
    write.catch(() => {});
    this.inFlight = write;
  }

  private async settle(): Promise<void> {
    const write = this.inFlight;
    this.inFlight = null;
    await write;
  }
}

/** Writes every chunk, in order, from `position` (a write may write less than asked: the rest follows). */
async function writeAll(handle: FileHandle, chunks: Uint8Array[], position: number): Promise<void> {
  let left = chunks;
  let at = position;
  while (left.length > 0) {
    const { bytesWritten } = await handle.writev(left, at);
    at += bytesWritten;
    let skip = bytesWritten;
    const rest: Uint8Array[] = [];
    for (const chunk of left) {
      if (skip >= chunk.length) skip -= chunk.length;
      else {
        rest.push(skip > 0 ? chunk.subarray(skip) : chunk);
        skip = 0;
      }
    }
    left = rest;
  }
}
