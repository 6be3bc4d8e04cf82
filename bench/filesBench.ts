// File throughput: one large file of random bytes uploaded to the real hub (POST /api/v1/files)
// and downloaded back (GET /api/v1/files/<id>) over loopback HTTP, beside a plain copy of the same
// file on the same disk, measured in the same run. Each side ends when its bytes are on the disk:
// the hub fsyncs a blob before it answers 201, so the copy and the download fsync too. Random
// bytes, so nothing compresses and the blob is not an image (no preview is made).
import { randomFillSync, createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createUsers } from './createUsers.ts';
import { HubProcess } from './HubProcess.ts';
import { CpuMeter, rssOf } from './procStats.ts';

/** What the files step measured; MB are MiB (2^20 bytes), as elsewhere in the report. */
export interface FilesFigures {
  sizeMb: number;
  /** A stream copy of the file to another file on the same disk, fsynced: the faster of two (before and after). */
  copyMbPerS: number;
  copiesMbPerS: number[];
  uploadMbPerS: number;
  downloadMbPerS: number;
  /** Hub ÷ plain copy. */
  uploadRatio: number;
  downloadRatio: number;
  /** Hub CPU (percent of one core) while it received, then served the file. */
  uploadCpuPercent: number;
  downloadCpuPercent: number;
  /** Hub RSS before, and the most seen while uploading and downloading (sampled every 50 ms). */
  hubRssMb: { before: number; upload: number; download: number };
  /** The downloaded bytes hash to the uploaded ones. */
  intact: boolean;
  loadAverage: number;
}

const MB = 1048576;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Writes `bytes` random bytes to `file` (1 MB of fresh randomness per MB written). */
async function randomFile(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'w');
  try {
    const chunk = Buffer.alloc(MB);
    for (let written = 0; written < bytes; written += chunk.length) {
      randomFillSync(chunk);
      await handle.write(chunk, 0, Math.min(chunk.length, bytes - written));
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Pipes a readable into a new file, fsynced before it closes; resolves when the bytes are on the disk. */
async function toDisk(source: NodeJS.ReadableStream, file: string): Promise<void> {
  await pipeline(source, createWriteStream(file, { flush: true }));
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Runs `task`, timing it and sampling the hub's CPU and peak RSS meanwhile. */
async function measured(pid: number, task: () => Promise<void>) {
  const meter = new CpuMeter(pid);
  let peak = rssOf(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 50);
  const t0 = performance.now();
  try {
    await task();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, cpuPercent: meter.read().percent, peakRss: Math.max(peak, rssOf(pid)) };
}

/** POSTs the file as the raw body; resolves with the hub's file id. */
function upload(hub: HubProcess, token: string, file: string, size: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${hub.url}/api/v1/files?name=${encodeURIComponent('Выгрузка 1С.bin')}`,
      {
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/octet-stream',
          'content-length': String(size),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => (body += s));
        res.on('end', () => {
          if (res.statusCode !== 201) reject(new Error(`upload: HTTP ${res.statusCode} ${body.slice(0, 300)}`));
          else resolve((JSON.parse(body) as { file: { id: string } }).file.id);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    createReadStream(file).on('error', reject).pipe(req);
  });
}

/** GETs the file and writes it to `out` (fsynced). */
function download(hub: HubProcess, token: string, id: string, out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${hub.url}/api/v1/files/${id}`,
      { agent: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (s: string) => (body += s));
          res.on('end', () => reject(new Error(`download: HTTP ${res.statusCode} ${body.slice(0, 300)}`)));
          return;
        }
        toDisk(res, out).then(resolve, reject);
      },
    );
    req.on('error', reject);
  });
}

/**
 * Starts a fresh hub (files limits raised to fit), uploads and downloads one `sizeMb` file and
 * copies it on the same disk; stops the hub and removes everything it wrote.
 */
export async function filesBench(hubBundle: string, sizeMb: number): Promise<FilesFigures> {
  const size = Math.round(sizeMb * MB);
  // The hub's data (and so its blobs) and the copies share the temp folder's disk.
  const work = mkdtempSync(path.join(os.tmpdir(), 'beseda-bench-files-'));
  mkdirSync(path.join(work, 'hub'), { mode: 0o700 });
  const hub = new HubProcess(hubBundle, path.join(work, 'hub'), [
    '--log-level',
    'info',
    '--max-file-bytes',
    String(size + MB),
    '--file-quota-bytes',
    String(4 * size + MB),
  ]);
  try {
    const source = path.join(work, 'source.bin');
    await randomFile(source, size);
    const copy = async (i: number) => {
      const t0 = performance.now();
      await toDisk(createReadStream(source), path.join(work, `copy${i}.bin`));
      const seconds = (performance.now() - t0) / 1000;
      rmSync(path.join(work, `copy${i}.bin`));
      return sizeMb / seconds;
    };
    const before = await copy(1);
    await hub.start();
    const {
      users: [user],
    } = await createUsers(hub, 1, 'files');
    const token = user!.token;
    const rssBefore = rssOf(hub.pid);
    let id = '';
    const up = await measured(hub.pid, async () => {
      id = await upload(hub, token, source, size);
    });
    const out = path.join(work, 'downloaded.bin');
    const down = await measured(hub.pid, () => download(hub, token, id, out));
    const after = await copy(2);
    const intact = (await stat(out)).size === size && (await sha256(out)) === (await sha256(source));
    const copyMbPerS = Math.max(before, after);
    const uploadMbPerS = sizeMb / up.seconds;
    const downloadMbPerS = sizeMb / down.seconds;
    return {
      sizeMb,
      copyMbPerS: round(copyMbPerS),
      copiesMbPerS: [round(before), round(after)],
      uploadMbPerS: round(uploadMbPerS),
      downloadMbPerS: round(downloadMbPerS),
      uploadRatio: round(uploadMbPerS / copyMbPerS, 3),
      downloadRatio: round(downloadMbPerS / copyMbPerS, 3),
      uploadCpuPercent: round(up.cpuPercent, 0),
      downloadCpuPercent: round(down.cpuPercent, 0),
      hubRssMb: { before: round(rssBefore / MB), upload: round(up.peakRss / MB), download: round(down.peakRss / MB) },
      intact,
      loadAverage: round(os.loadavg()[0]!),
    };
  } finally {
    await hub.stop('SIGTERM').catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}
