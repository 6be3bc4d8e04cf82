// @ts-check
// Writes `FILE.br` (brotli, quality 11) and `FILE.gz` (gzip, level 9) beside every compressible
// file of a built web client, once at build time, so the hub sends them as they are
// (hub/server/serveStatic.ts) instead of compressing on every request or sending them raw.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Text-like kinds worth compressing (the hub looks for siblings of the same kinds). Images and fonts already are. */
export const compressibleExtensions = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.svg',
  '.json',
  '.webmanifest',
  '.ico',
  '.txt',
  '.xml',
  '.map',
]);

/**
 * @typedef {object} PrecompressResult
 * @property {number} files compressible files looked at
 * @property {number} bytes their total size
 * @property {number} brFiles `.br` files written
 * @property {number} brBytes what a browser taking brotli downloads for those files (the `.br` where one was written, else the file)
 * @property {number} gzFiles `.gz` files written
 * @property {number} gzBytes the same for gzip
 */

/**
 * Every file under `dir`, recursively (paths relative to `dir`).
 * @param {string} dir
 * @returns {string[]}
 */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((rel) =>
    statSync(path.join(dir, rel)).isFile(),
  );
}

/**
 * Precompresses every compressible file under `dir` (that is not itself a `.br`/`.gz`). A
 * sibling is written only when it is smaller than the file (a tiny file can grow), so its
 * absence just means the file is sent as it is.
 * @param {string} dir
 * @returns {Promise<PrecompressResult>}
 */
export async function precompress(dir) {
  const result = { files: 0, bytes: 0, brFiles: 0, brBytes: 0, gzFiles: 0, gzBytes: 0 };
  const files = listFiles(dir).filter((rel) => compressibleExtensions.has(path.extname(rel).toLowerCase()));
  // zlib's async calls run on libuv's thread pool: the files compress in parallel.
  await Promise.all(
    files.map(async (rel) => {
      const file = path.join(dir, rel);
      const data = readFileSync(file);
      const [br, gzipped] = await Promise.all([
        brotli(data, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
          },
        }),
        gz(data, { level: 9 }),
      ]);
      result.files += 1;
      result.bytes += data.length;
      if (br.length < data.length) {
        writeFileSync(`${file}.br`, br);
        result.brFiles += 1;
      }
      if (gzipped.length < data.length) {
        writeFileSync(`${file}.gz`, gzipped);
        result.gzFiles += 1;
      }
      result.brBytes += Math.min(br.length, data.length);
      result.gzBytes += Math.min(gzipped.length, data.length);
    }),
  );
  return result;
}
