// @ts-check
// `npm start`: builds what is missing, runs the hub (SQLite in ./data, web client at /), and the
// desktop app beside it where Electron's binary can be had. Stopping it (Ctrl+C, SIGTERM, SIGHUP,
// or npm ending) stops the hub and the app and waits until they have exited.
// BESEDA_NO_BUILD=1 starts from what dist/ holds already (CI, tests).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

/** @type {Set<import('node:child_process').ChildProcess>} Child processes still running. */
const children = new Set();
/** @type {number | null} Set once stopping: the exit code to leave with after every child has exited. */
let exitCode = null;

/**
 * Asks every child to stop, waits for all of them (killing any that hangs), then exits.
 * @param {number} code
 * @param {NodeJS.Signals} [signal]
 */
function stopAll(code, signal = 'SIGTERM') {
  if (exitCode !== null) return;
  exitCode = code;
  for (const child of children) child.kill(signal);
  // The hub bounds its own shutdown; this only catches a child that ignores the signal.
  setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
  }, 30_000).unref();
  exitWhenDone();
}

function exitWhenDone() {
  if (exitCode !== null && children.size === 0) process.exit(exitCode);
}

/**
 * Runs a child that the launcher stops and waits for.
 * @param {import('node:child_process').ChildProcess} child
 */
function track(child) {
  children.add(child);
  child.once('exit', () => {
    children.delete(child);
    exitWhenDone();
  });
  return child;
}

// SIGHUP (the terminal closed) is passed on as SIGTERM: the hub itself takes SIGHUP as "reload the
// TLS certificate" (systemctl reload) and keeps running, which is not what closing `npm start`'s terminal means.
process.on('SIGINT', () => stopAll(0, 'SIGINT'));
process.on('SIGTERM', () => stopAll(0, 'SIGTERM'));
process.on('SIGHUP', () => stopAll(0, 'SIGTERM'));

// npm runs this through `sh -c`: a SIGTERM to npm ends npm and that shell but never reaches us.
// So when whoever started us is gone, stop as if signalled.
if (process.env.npm_lifecycle_event !== undefined) {
  const launcher = process.ppid;
  setInterval(() => {
    let gone = process.ppid !== launcher;
    try {
      if (!gone) process.kill(launcher, 0);
    } catch (err) {
      gone = /** @type {NodeJS.ErrnoException} */ (err).code === 'ESRCH';
    }
    if (gone) stopAll(0, 'SIGTERM');
  }, 500).unref();
}

if (process.env.BESEDA_NO_BUILD !== '1') await import('./build.js');
else if (!existsSync(path.join(root, 'dist/hub/beseda-hub.js'))) {
  console.error('BESEDA_NO_BUILD=1 but dist/hub/beseda-hub.js is missing: run npm run build first');
  process.exit(1);
}

const port = process.env.BESEDA_PORT ?? '8080';
// The hub finds its web client (dist/web) beside itself; BESEDA_WEB_ROOT still overrides it.
const hub = track(
  spawn(
    process.execPath,
    ['dist/hub/beseda-hub.js', 'serve', '--data', process.env.BESEDA_DATA ?? './data', '--port', port],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  ),
);
hub.on('exit', (code, signal) => stopAll(code ?? (signal ? 1 : 0)));

if (process.env.BESEDA_NO_DESKTOP !== '1') {
  // Give the hub a moment to listen before the app connects (the app retries anyway).
  await new Promise((r) => setTimeout(r, 1500));
  const { launchDesktop } = exitCode === null ? await import('./desktop-launch.js') : {};
  const app = launchDesktop ? await launchDesktop({ hubUrl: `http://localhost:${port}` }) : null;
  if (app) {
    track(app);
    if (exitCode !== null) app.kill('SIGTERM');
    app.on('exit', () => {
      if (exitCode === null) console.log('desktop app closed; the hub keeps running (Ctrl+C stops it)');
    });
  }
}
