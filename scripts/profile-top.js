// @ts-check
// `node scripts/profile-top.js FILE.cpuprofile [--top N] [--match REGEX]... [--from S] [--to S]`: the functions a V8 CPU
// profile (node --cpu-prof, e.g. the hub's under `BENCH_HUB_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR"`)
// spent its samples in — by self time, and the inclusive time of the functions matching each
// --match (what a call and everything under it cost) — as percentages of the profile's samples;
// --from and --to keep only the samples that many seconds after the profile started (one phase).
// It reads the file as V8 writes it; the hub's bundle keeps its function names.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} Profile
 */

/** A function's name and where it is: one key for every node of the same function. */
function keyOf(/** @type {CallFrame} */ f) {
  const name = f.functionName || '(anonymous)';
  return f.url ? `${name} ${path.basename(f.url)}:${f.lineNumber + 1}` : name;
}

/**
 * Self and inclusive microseconds by function, of the samples taken between `fromS` and `toS`
 * seconds after the profile started.
 * @param {Profile} profile
 */
export function profileTimes(profile, fromS = 0, toS = Infinity) {
  /** @type {Map<number, ProfileNode>} */
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** @type {Map<string, number>} */
  const self = new Map();
  /** @type {Map<string, number>} */
  const inclusive = new Map();
  let total = 0;
  let counted = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < fromS * 1e6 || at > toS * 1e6) return;
    total += dt;
    counted++;
    const node = byId.get(id);
    if (!node) return;
    const own = keyOf(node.callFrame);
    self.set(own, (self.get(own) ?? 0) + dt);
    // Each function once per sample, however deep it recurses.
    const seen = new Set();
    for (let up = /** @type {number | undefined} */ (id); up !== undefined; up = parent.get(up)) {
      const key = keyOf(/** @type {ProfileNode} */ (byId.get(up)).callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  });
  return { self, inclusive, total, counted };
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      top: { type: 'string', default: '25' },
      match: { type: 'string', multiple: true, default: [] },
      from: { type: 'string', default: '0' },
      to: { type: 'string', default: 'Infinity' },
    },
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: node scripts/profile-top.js FILE.cpuprofile [--top N] [--match REGEX]...');
    process.exit(2);
  }
  /** @type {Profile} */
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const { self, inclusive, total, counted } = profileTimes(profile, Number(values.from), Number(values.to));
  const pct = (/** @type {number} */ us) => `${((us / total) * 100).toFixed(1).padStart(5)} %`;
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${counted} samples`);
  console.log('\nself time');
  const top = Number(values.top);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${key}`);
  for (const pattern of values.match ?? []) {
    const re = new RegExp(pattern);
    console.log(`\ninclusive, functions matching /${pattern}/`);
    const hits = [...inclusive].filter(([key]) => re.test(key)).sort((a, b) => b[1] - a[1]);
    for (const [key, us] of hits.slice(0, top)) console.log(`${pct(us)}  ${key}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
