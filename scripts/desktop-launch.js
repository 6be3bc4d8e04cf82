// @ts-check
// Starts the real desktop app (Electron on dist/desktop/) for `npm start`. Electron 45 fetches
// its binary on first use; where that cannot happen (no internet, CI) this says so in one line and
// the hub and its web client keep running.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules/electron');

/** The Electron executable if it is already downloaded, else null (never downloads). */
export function installedElectron() {
  try {
    const relative = readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
    const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(electronDir, 'dist');
    const exe = path.join(distDir, relative);
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

/**
 * Runs Electron's own installer (a download) with a time limit; resolves whether it worked.
 * @param {number} timeoutMs
 * @returns {Promise<{ ok: boolean, why: string }>}
 */
function downloadElectron(timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(electronDir, 'install.js')], {
      cwd: electronDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('error', () => resolve({ ok: false, why: 'could not run the installer' }));
    child.on('exit', (code) => {
      clearTimeout(timer);
      const reason = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|fetch failed/.exec(stderr)?.[0];
      resolve({ ok: code === 0, why: reason ? `no internet (${reason})` : `installer exited with ${code}` });
    });
  });
}

/**
 * Launches the desktop app against `hubUrl` and returns its child process, or prints one line
 * and returns null when it cannot run here (Electron's binary unavailable, or no display).
 * @param {{ hubUrl: string }} options
 * @returns {Promise<import('node:child_process').ChildProcess | null>}
 */
export async function launchDesktop({ hubUrl }) {
  /** @param {string} why */
  const say = (why) => console.log(`desktop app not started: ${why}; the web client is at ${hubUrl}`);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    say('no graphical display (DISPLAY/WAYLAND_DISPLAY unset)');
    return null;
  }
  let exe = installedElectron();
  if (!exe) {
    if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1') {
      say('the Electron binary is not downloaded and ELECTRON_SKIP_BINARY_DOWNLOAD=1');
      return null;
    }
    // Said only if the download really runs: offline it fails at once, and one line is enough.
    const note = setTimeout(() => console.log('desktop app: downloading Electron (first run only)…'), 1500);
    const result = await downloadElectron(5 * 60_000);
    clearTimeout(note);
    exe = result.ok ? installedElectron() : null;
    if (!exe) {
      say(`the Electron binary could not be downloaded: ${result.why}`);
      return null;
    }
  }
  const appDir = path.join(root, 'dist/desktop');
  if (!existsSync(path.join(appDir, 'main.js'))) {
    const { buildDesktop } = await import('./build-desktop.js');
    await buildDesktop();
  }
  const env = { ...process.env };
  // Inherited from a parent Electron or a test, this would make the binary act as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  return spawn(exe, [appDir, '--hub', hubUrl], { stdio: 'inherit', env });
}
