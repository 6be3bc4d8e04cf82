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
let db;
try {
  db = new Sqlite(workerData.file, { fileMustExist: true });
  const rows = db.pragma('integrity_check(20)');
  parentPort.postMessage({ ok: true, found: rows.map((r) => r.integrity_check) });
} catch (err) {
  parentPort.postMessage({ ok: false, error: String(err && err.message ? err.message : err) });
} finally {
  if (db) db.close();
}
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
    let answered = false;
    worker.once('message', (m: { ok: true; found: string[] } | { ok: false; error: string }) => {
      answered = true;
      if (m.ok) resolve(m.found);
      else reject(new Error(m.error));
    });
    worker.once('error', (err) => {
      answered = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the integrity check stopped (exit ${code})`));
    });
  });
}
