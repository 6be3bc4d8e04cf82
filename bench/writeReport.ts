// The run's summary: issue 19's targets with value and verdict (targets.ts), then the other
// figures (detailRows.ts) — as a plain-text table for the terminal, as Markdown for the README
// (the machine and its load first), and as JSON beside it in bench-results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { detailRows } from './detailRows.ts';
import { nodesCoresLine, nodesRows } from './nodesRows.ts';
import type { BenchReport } from './report.ts';
import { evaluateTargets, verdictCell, type TargetResult } from './targets.ts';

/** The report as written to JSON: everything measured, plus every target's value and verdict. */
export type WrittenReport = BenchReport & { targets: TargetResult[] };

const targetHeader = ['#', 'Target', 'Measured', 'Goal', 'Verdict'];
const detailHeader = ['Figure', 'Measured', 'Bound', 'Within'];

const targetCells = (r: BenchReport): string[][] =>
  evaluateTargets(r).map((t) => [String(t.issueTarget), t.name, t.measured, t.goal, verdictCell(t)]);

function plain(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function markdownTable(rows: string[][]): string[] {
  const line = (row: string[]) => `| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(rows[0]!), `| ${rows[0]!.map(() => '---').join(' | ')} |`, ...rows.slice(1).map(line)];
}

/** The summary as plain-text tables for the terminal: the targets, then the other figures. */
export function textTable(r: BenchReport): string {
  if (r.nodes)
    return `Nodes (issue 20): 1 and ${r.options.nodes} hub nodes on PostgreSQL\n${plain(nodesRows(r, r.nodes))}\n\n${nodesCoresLine(r.nodes)}`;
  return (
    'Targets (issue 19)\n' +
    plain([targetHeader, ...targetCells(r)]) +
    '\n\nOther figures\n' +
    plain([detailHeader, ...detailRows(r)])
  );
}

/** The 1-minute load averages the steps noted, lowest and highest (undefined when none did). */
export function loadDuring(r: BenchReport): { min: number; max: number } | undefined {
  const loads = [
    ...r.phases.map((p) => p.loadAverage),
    ...(r.nodes?.sides.flatMap((s) => s.phases.map((p) => p.loadAverage)) ?? []),
    r.fsync?.loadAverage,
    r.abuse?.flood.loadAverage,
    r.abuse?.hostile.loadAverage,
    r.files?.loadAverage,
    r.search?.loadAverage,
    r.webLoad?.loadAverage,
  ].filter((n): n is number => typeof n === 'number' && Number.isFinite(n));
  return loads.length ? { min: Math.min(...loads), max: Math.max(...loads) } : undefined;
}

/** The command that ran: `npm run bench` and its flags. */
export function commandOf(r: BenchReport): string {
  const flags = r.argv ?? (r.options.full ? ['--full'] : []);
  return `npm run bench${flags.length ? ` -- ${flags.join(' ')}` : ''}`;
}

/** The summary as Markdown for the README: the machine, its load and the flags, then the tables. */
export function markdown(r: BenchReport): string {
  const m = r.machine;
  const during = loadDuring(r);
  const busy = Math.max(m.loadAverageAtStart, during?.max ?? 0) > m.cores;
  const lines = [
    `Measured ${r.date.slice(0, 10)} on ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, Node ${m.node}, ${m.os}` +
      ` (\`${commandOf(r)}\`; ${r.nodes ? 'hub nodes, PostgreSQL, Redis' : 'hub, bare relay'} and load generators on the same machine;` +
      ` 1-minute load average ${m.loadAverageAtStart} at the start, ` +
      (during ? `${during.min}–${during.max} during the steps` : 'not noted during the steps') +
      // The bench's own hub, relay and generators count in the load average too: a run alone on the
      // machine goes above the cores in its heaviest steps, so a high figure alone is not other work.
      (busy ? `, above the machine's ${m.cores} cores at times (the bench's own processes count in it)` : '') +
      ').',
    '',
  ];
  if (r.nodes) return [...lines, ...nodesMarkdown(r, r.nodes)].join('\n') + '\n';
  lines.push(
    ...markdownTable([targetHeader, ...targetCells(r)]),
    '',
    ...markdownTable([detailHeader, ...detailRows(r)]),
    '',
    `Hub flags: \`${r.hubFlags.join(' ')}\` — production settings except a cheap scrypt cost for the thousands of ` +
      'test accounts and raised per-user send and per-connection frame limits, so the run measures throughput rather ' +
      'than the abuse limits. SQLite in WAL mode with `synchronous=FULL`: a message is acknowledged only after its ' +
      'commit reached the disk.',
  );
  return lines.join('\n') + '\n';
}

/** The nodes comparison's table, what the cores mean, and the flags of its hubs. */
function nodesMarkdown(r: BenchReport, n: NonNullable<BenchReport['nodes']>): string[] {
  return [
    ...markdownTable(nodesRows(r, n)),
    '',
    nodesCoresLine(n),
    '',
    `Hub flags: \`${r.hubFlags.join(' ')}\` — production settings except a cheap scrypt cost and raised send and ` +
      'frame limits. PostgreSQL 15 with its durable defaults (fsync, synchronous_commit): a message is acknowledged ' +
      "only after its COMMIT. CPU and RSS figures are all nodes' together; the SQLite steps and issue 19's targets " +
      'are not part of a `--nodes` run.',
  ];
}

/**
 * Writes `bench-<date>.json`, `latest.json` (the report and its targets' verdicts) and
 * `latest.md` into `dir`; returns the paths. A `--nodes` run writes `nodes-<date>.json`,
 * `nodes-latest.json` and `nodes-latest.md` (no targets: it measures none of issue 19's), so it
 * never replaces the single-node figures.
 */
export function writeReport(r: BenchReport, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const written: WrittenReport = { ...r, targets: r.nodes ? [] : evaluateTargets(r) };
  const text = JSON.stringify(written, null, 2) + '\n';
  const kind = r.nodes ? 'nodes-' : '';
  const json = path.join(dir, `${r.nodes ? 'nodes' : 'bench'}-${r.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(json, text);
  writeFileSync(path.join(dir, `${kind}latest.json`), text);
  const md = path.join(dir, `${kind}latest.md`);
  writeFileSync(md, markdown(r));
  return { json, md };
}
