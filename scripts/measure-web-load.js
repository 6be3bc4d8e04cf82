// @ts-check
// `node scripts/measure-web-load.js [--runs 5] [--hub URL] [--no-compare] [--json]`: how heavy the
// web client's first and repeat visits are, measured in real Chromium (Debian's, through
// playwright-core) against a real hub. For each visit: requests made (from the network and from
// the browser's cache), 304 revalidations, bytes transferred (headers and bodies, as DevTools'
// "transferred") and the time from navigation start to the sign-in form on screen. A first visit
// starts with an empty browser profile; a repeat visit restarts the browser on the same profile
// (the next morning, as a branch office sees it). Both on loopback and on an emulated slow branch
// link; and as Chromium asks over HTTPS (and on localhost: `br` offered) and over plain HTTP to
// another machine (only `gzip, deflate` offered, so the .gz copies are what it gets). Without
// --hub it builds the web client into a temp folder (a parallel build of dist/web cannot change
// it meanwhile) and starts its own hubs (dist/hub, temp data folders): one serving it as built
// (precompressed), and, unless --no-compare, one serving a copy without the .br/.gz files, for
// the difference precompression makes.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A network to emulate: Chrome's throttling (per-request latency, bandwidth in bytes/s); null = loopback as it is.
 * @typedef {{ name: string, latency: number, down: number, up: number } | null} NetworkProfile
 */

/** A branch office's VPN over a slow line: 1 Mbit/s down, 512 kbit/s up, 100 ms round trip. */
export const branchLink = { name: 'branch link 1 Mbit/s, RTT 100 ms', latency: 100, down: 125_000, up: 64_000 };

/**
 * One request of a visit.
 * @typedef {object} RequestRecord
 * @property {string} path
 * @property {number} status
 * @property {boolean} fromCache served by the browser's cache without asking the hub
 * @property {string} encoding Content-Encoding of the answer ('' when none)
 * @property {number} transferred bytes over the network (headers and body; 0 from the cache)
 */

/**
 * What one visit cost.
 * @typedef {object} VisitResult
 * @property {number} requests every request the page made (WebSocket and data: URLs not counted)
 * @property {number} fromNetwork requests that reached the hub
 * @property {number} fromCache requests the browser's cache answered alone
 * @property {number} notModified 304 answers among those that reached the hub
 * @property {number} transferred bytes over the network
 * @property {number} formMs navigation start → the sign-in form in the page
 * @property {RequestRecord[]} details
 */

// Records when the sign-in form first appears, in the page's own clock (0 = navigation start).
const formProbe = `(() => {
  const seen = () => document.querySelector('input[name="login"]');
  const mark = () => { if (window.__besedaFormAt === undefined && seen()) window.__besedaFormAt = performance.now(); };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
})();`;

/**
 * How a visit is made: the network emulated (null = as it is) and, when set, the Accept-Encoding
 * the browser sends instead of its own (`gzip, deflate` is what Chromium sends over plain HTTP to
 * anything but localhost).
 * @typedef {{ network?: NetworkProfile, acceptEncoding?: string }} VisitOptions
 */

/**
 * Opens `url` in a browser on profile `profileDir` (created empty when new), waits for the sign-in
 * form and for the network to go quiet, and returns what the visit cost.
 * @param {string} url
 * @param {string} profileDir
 * @param {VisitOptions} [options]
 * @returns {Promise<VisitResult>}
 */
export async function measureVisit(url, profileDir, options = {}) {
  const network = options.network ?? null;
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    locale: 'ru-RU',
    viewport: { width: 1280, height: 800 },
  });
  try {
    await context.addInitScript({ content: formProbe });
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    /** @type {Map<string, RequestRecord>} */
    const records = new Map();
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!/^https?:/.test(e.request.url)) return;
      const { pathname } = new URL(e.request.url);
      records.set(e.requestId, { path: pathname, status: 0, fromCache: false, encoding: '', transferred: 0 });
    });
    cdp.on('Network.requestServedFromCache', (e) => {
      const r = records.get(e.requestId);
      if (r) r.fromCache = true;
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = records.get(e.requestId);
      if (!r) return;
      r.status = e.response.status;
      if (e.response.fromDiskCache) r.fromCache = true;
      const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
      r.encoding = headers['content-encoding'] ?? '';
    });
    // Chrome reports a revalidated answer with the cached status (200); the status that came over
    // the wire (304) is in the raw response's extra info.
    /** @type {Map<string, number>} */
    const wireStatus = new Map();
    cdp.on('Network.responseReceivedExtraInfo', (e) => wireStatus.set(e.requestId, e.statusCode));
    cdp.on('Network.loadingFinished', (e) => {
      const r = records.get(e.requestId);
      if (r) r.transferred = e.encodedDataLength;
    });
    await cdp.send('Network.enable');
    if (options.acceptEncoding)
      await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': options.acceptEncoding } });
    if (network)
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: network.latency,
        downloadThroughput: network.down,
        uploadThroughput: network.up,
      });
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
    await page.locator('input[name="login"]').waitFor({ timeout: 120_000 });
    await page.waitForLoadState('networkidle', { timeout: 120_000 });
    const formMs = /** @type {number} */ (await page.evaluate(() => Reflect.get(window, '__besedaFormAt')));
    for (const [id, status] of wireStatus) {
      const r = records.get(id);
      if (r && !r.fromCache) r.status = status;
    }
    const details = [...records.values()];
    const reached = details.filter((r) => !r.fromCache);
    return {
      requests: details.length,
      fromNetwork: reached.length,
      fromCache: details.length - reached.length,
      notModified: reached.filter((r) => r.status === 304).length,
      transferred: details.reduce((sum, r) => sum + r.transferred, 0),
      formMs,
      details,
    };
  } finally {
    await context.close();
  }
}

/**
 * @typedef {object} LoadResult
 * @property {VisitResult[]} cold first visits, one per run
 * @property {VisitResult[]} warm repeat visits, one per run
 */

/**
 * `runs` times: a first visit on a new profile, then a repeat visit on the same profile.
 * @param {string} url
 * @param {VisitOptions & { runs?: number }} [options]
 * @returns {Promise<LoadResult>}
 */
export async function measureWebLoad(url, options = {}) {
  /** @type {LoadResult} */
  const result = { cold: [], warm: [] };
  for (let i = 0; i < (options.runs ?? 5); i++) {
    const profile = mkdtempSync(path.join(os.tmpdir(), 'beseda-measure-profile-'));
    try {
      result.cold.push(await measureVisit(url, profile, options));
      result.warm.push(await measureVisit(url, profile, options));
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }
  return result;
}

/**
 * Starts the built hub on an ephemeral loopback port serving `webRoot`; resolves with its URL and a stop function.
 * @param {string} webRoot
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startMeasureHub(webRoot) {
  const data = mkdtempSync(path.join(os.tmpdir(), 'beseda-measure-hub-'));
  const bundle = path.join(root, 'dist/hub/beseda-hub.js');
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', '--data', data, '--web-root', webRoot];
  const child = spawn(process.execPath, [bundle, ...args, '--log-format', 'json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let out = '';
  const port = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (/** @type {string} */ chunk) => {
      out += chunk;
      const m = /"port":(\d+)[^\n]*"msg":"listening"/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr.resume();
    child.once('exit', (code) => reject(new Error(`the hub exited with ${code} before listening:\n${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/**
 * The median of some numbers.
 * @param {number[]} values
 */
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const at = (/** @type {number} */ i) => /** @type {number} */ (sorted[i]);
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
};

/**
 * One Markdown table row per visit kind: medians over the runs (form time also min–max).
 * @param {string} label
 * @param {LoadResult} result
 */
export function tableRows(label, result) {
  /** @param {number} n */
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  return /** @type {const} */ (['cold', 'warm']).map((kind) => {
    const visits = result[kind];
    const pick = (/** @type {(v: VisitResult) => number} */ f) => median(visits.map(f));
    const form = visits.map((v) => v.formMs);
    return `| ${label} | ${kind === 'cold' ? 'first' : 'repeat'} | ${pick((v) => v.requests)} | ${pick((v) => v.fromNetwork)} | ${pick((v) => v.notModified)} | ${kb(pick((v) => v.transferred))} | ${Math.round(median(form))} ms (${Math.round(Math.min(...form))}–${Math.round(Math.max(...form))}) |`;
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      hub: { type: 'string' },
      'no-compare': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
  /** @type {(() => Promise<void>)[]} */
  const cleanups = [];
  try {
    const targets = values.hub
      ? [{ label: values.hub, url: values.hub }]
      : await startTargets(!values['no-compare'], cleanups);
    const all = [];
    for (const network of [null, branchLink])
      for (const target of targets) {
        const result = await measureWebLoad(target.url, { runs, network, acceptEncoding: target.acceptEncoding });
        all.push({ target: target.label, network: network?.name ?? 'loopback', result });
      }
    if (values.json) console.log(JSON.stringify(all, null, 2));
    else printReport(all, runs);
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

/**
 * Hubs of our own: the web client built from the sources into a temp folder (a parallel build of
 * dist/web cannot change it under us), served as built, and (`compare`) a copy without the .br/.gz files.
 * @param {boolean} compare
 * @param {(() => Promise<void>)[]} cleanups where each hub's stop and each folder's removal go
 * @returns {Promise<{ label: string, url: string, acceptEncoding?: string }[]>}
 */
async function startTargets(compare, cleanups) {
  if (!existsSync(path.join(root, 'dist/hub/beseda-hub.js'))) await (await import('./build-hub.js')).buildHub();
  const built = mkdtempSync(path.join(os.tmpdir(), 'beseda-measure-built-'));
  cleanups.push(async () => rmSync(built, { recursive: true, force: true }));
  await (await import('./build-web.js')).buildWeb({ outDir: built });
  /** @param {string} web */
  const serve = async (web) => {
    const hub = await startMeasureHub(web);
    cleanups.unshift(hub.stop);
    return hub.url;
  };
  const url = await serve(built);
  const targets = [
    { label: 'precompressed, HTTPS or localhost (br)', url },
    { label: 'precompressed, plain HTTP (gzip)', url, acceptEncoding: 'gzip, deflate' },
  ];
  if (compare) {
    const plain = mkdtempSync(path.join(os.tmpdir(), 'beseda-measure-plain-'));
    cleanups.push(async () => rmSync(plain, { recursive: true, force: true }));
    cpSync(built, plain, { recursive: true, filter: (src) => !/\.(br|gz)$/.test(src) });
    targets.push({ label: 'not compressed', url: await serve(plain) });
  }
  return targets;
}

/**
 * The Markdown table of medians and, for each target, the first visit's requests one by one.
 * @param {{ target: string, network: string, result: LoadResult }[]} all
 * @param {number} runs
 */
function printReport(all, runs) {
  console.log(`${runs} run(s) each, medians; ${os.cpus().length} CPU(s), load average ${os.loadavg()[0]?.toFixed(2)}`);
  console.log('| served, network | visit | requests | to the hub | 304 | transferred | sign-in form |');
  console.log('|---|---|---|---|---|---|---|');
  for (const { target, network, result } of all)
    for (const row of tableRows(`${target}, ${network}`, result)) console.log(row);
  for (const { target, network, result } of all) {
    if (network !== 'loopback') continue;
    console.log(`\nFirst visit, ${target}, one run, request by request:`);
    for (const r of result.cold[0]?.details ?? [])
      console.log(
        `  ${r.status} ${r.path} ${r.encoding || 'identity'} ${r.transferred} B${r.fromCache ? ' (cache)' : ''}`,
      );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await main();
}
