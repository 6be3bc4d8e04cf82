// The web client's first load (issue 19, target 6): bytes over the network and milliseconds to
// the sign-in form, first visit (empty browser cache) and repeat visit (the same profile, the next
// morning), in real Chromium against the built hub serving dist/web — on loopback and on an
// emulated branch-office link. The measuring itself is scripts/measure-web-load.js's (the same
// visits `npm run measure:web` makes); this step starts the hub and keeps the medians.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HubProcess } from './HubProcess.ts';
import { log } from './PhaseContext.ts';

/** One visit as scripts/measure-web-load.js reports it (the fields used here). */
interface Visit {
  requests: number;
  fromNetwork: number;
  transferred: number;
  formMs: number;
}

/** What measure-web-load.js exports (plain JavaScript, loaded at run time from the project's scripts/). */
interface MeasureWebLoad {
  measureWebLoad(url: string, options: { runs: number; network: unknown }): Promise<{ cold: Visit[]; warm: Visit[] }>;
  branchLink: { name: string };
}

/** Medians of one kind of visit over the runs. */
export interface VisitFigures {
  requests: number;
  /** Requests that reached the hub (the rest the browser's cache answered alone). */
  fromNetwork: number;
  transferredBytes: number;
  /** Navigation start → the sign-in form in the page: median, and the fastest and slowest run. */
  formMs: { p50: number; min: number; max: number };
}

/** The web client's first and repeat visit on one network. */
export interface WebLoadNetworkFigures {
  network: string;
  cold: VisitFigures;
  warm: VisitFigures;
}

/** What the web-load step measured. */
export interface WebLoadFigures {
  runs: number;
  networks: WebLoadNetworkFigures[];
  loadAverage: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Medians of `visits` (one per run). */
export function visitFigures(visits: readonly Visit[]): VisitFigures {
  const form = visits.map((v) => v.formMs);
  return {
    requests: median(visits.map((v) => v.requests)),
    fromNetwork: median(visits.map((v) => v.fromNetwork)),
    transferredBytes: Math.round(median(visits.map((v) => v.transferred))),
    formMs: { p50: Math.round(median(form)), min: Math.round(Math.min(...form)), max: Math.round(Math.max(...form)) },
  };
}

/** Why the step cannot run here, or undefined when it can. */
export function webLoadUnavailable(root: string): string | undefined {
  if (!existsSync('/usr/bin/chromium')) return 'no /usr/bin/chromium';
  if (!existsSync(path.join(root, 'dist/web/index.html'))) return 'dist/web is not built (npm run build)';
  return undefined;
}

/**
 * Starts the built hub (`root`/dist/hub) serving `root`/dist/web and measures `runs` first and
 * repeat visits on loopback and on the branch link.
 */
export async function webLoadBench(root: string, runs = 3): Promise<WebLoadFigures> {
  const script = pathToFileURL(path.join(root, 'scripts/measure-web-load.js')).href;
  const { measureWebLoad, branchLink } = (await import(script)) as MeasureWebLoad;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bench-webload-'));
  const hub = new HubProcess(path.join(root, 'dist/hub/beseda-hub.js'), dataDir, [
    '--log-level',
    'info',
    '--web-root',
    path.join(root, 'dist/web'),
  ]);
  try {
    await hub.start();
    const networks: WebLoadNetworkFigures[] = [];
    for (const network of [null, branchLink]) {
      const { cold, warm } = await measureWebLoad(`${hub.url}/`, { runs, network });
      networks.push({ network: network?.name ?? 'loopback', cold: visitFigures(cold), warm: visitFigures(warm) });
    }
    return { runs, networks, loadAverage: Math.round(os.loadavg()[0]! * 10) / 10 };
  } finally {
    await hub.stop('SIGTERM').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The step as `npm run bench` runs it: the figures, or why they could not be taken here (then
 * the targets table says "not measured" with that reason).
 */
export async function webLoadStep(root: string): Promise<{ webLoad?: WebLoadFigures; webLoadSkipped?: string }> {
  const why = webLoadUnavailable(root);
  if (why) {
    log(`web client first load skipped: ${why}`);
    return { webLoadSkipped: why };
  }
  log('web client first load: first and repeat visits in Chromium, loopback and a branch link');
  const webLoad = await webLoadBench(root);
  log(`  ${JSON.stringify(webLoad)}`);
  return { webLoad };
}
