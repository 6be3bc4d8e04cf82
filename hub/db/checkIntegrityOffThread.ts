import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's whole program: opens the file and runs `integrity_check`. Plain CommonJS given as a
 * string, with the driver's resolved path, so it runs the same from the sources, the bundle and
 * the packed archive (no second entry file to ship).
 */
const program = `
const { workerData, parentPort } = require('node:worker_threads');
const Sqlite = require(workerData.driver);
let answer;
let db;
try {
  db = new Sqlite(workerData.file, { fileMustExist: true });
  answer = { ok: true, found: db.pragma('integrity_check(20)').map((r) => r.integrity_check) };
} catch (err) {
  answer = { ok: false, error: String(err && err.message ? err.message : err) };
}
// Closed before answering: the caller may rename the file at once, and a connection still open
// then would leave its -wal and -shm behind under the old name.
try {
  if (db) db.close();
} catch {}
parentPort.postMessage(answer);
`;

/**
 * SQLite's `integrity_check` of a file, run in a worker thread: it reads every page (seconds for
 * a large database), and the hub keeps serving meanwhile. Resolves the check's lines (`['ok']`
 * when sound); rejects with SQLite's error when the file cannot be read as a database.
 */
export function checkIntegrityOffThread(file: string): Promise<string[]> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(program, { eval: true, workerData: { file, driver } });
    let answer: { ok: true; found: string[] } | { ok: false; error: string } | null = null;
    let failed: Error | null = null;
    worker.once('message', (m: NonNullable<typeof answer>) => (answer = m));
    worker.once('error', (err) => (failed = err));
    // Settled once the thread has ended, so nothing of it still holds the file.
    worker.once('exit', (code) => {
      if (answer?.ok) resolve(answer.found);
      else if (answer) reject(new Error(answer.error));
      else reject(failed ?? new Error(`the integrity check stopped (exit ${code})`));
    });
  });
}
