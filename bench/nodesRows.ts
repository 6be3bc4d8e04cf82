// The nodes comparison (`--nodes N`) as table rows: one column per side (1 node, N nodes), the
// deliveries per second and the p99s of each phase, and the line saying what the cores mean.
import {
  fixed as f,
  int,
  type BenchReport,
  type NodesComparison,
  type NodesSide,
  type PhaseFigures,
} from './report.ts';

const modes: { mode: PhaseFigures['mode']; label: (r: BenchReport) => string }[] = [
  { mode: 'rate', label: (r) => `Mixed workload at ${r.options.rate} msg/s` },
  { mode: 'saturate', label: () => `Saturation` },
];

const sideName = (s: NodesSide) => `${s.nodes} node${s.nodes > 1 ? 's' : ''}`;
const ms = (n: number) => `${f(n)} ms`;
const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, n]) => `${k} ${int(n)}`)
    .join(', ') || 'none';

/** The header and the rows of the comparison, one column per side. */
export function nodesRows(r: BenchReport, n: NodesComparison): string[][] {
  const rows: string[][] = [
    ['Figure', ...n.sides.map(sideName)],
    ['Store and fan-out', ...n.sides.map((s) => (s.redis ? 'PostgreSQL + Redis' : 'PostgreSQL'))],
    ['Clients per node', ...n.sides.map((s) => s.clientsPerNode.join(' / '))],
    ['Cores (one machine for everything)', ...n.sides.map((s) => String(s.cores))],
  ];
  for (const { mode, label } of modes) {
    const phases = n.sides.map((s) => s.phases.find((p) => p.mode === mode));
    if (phases.every((p) => p === undefined)) continue;
    const cell = (value: (p: PhaseFigures) => string) => phases.map((p) => (p ? value(p) : '—'));
    const name = label(r);
    rows.push(
      [`${name}: deliveries/s`, ...cell((p) => int(p.deliveriesPerS))],
      [`${name}: delivery p99 (p50)`, ...cell((p) => `${ms(p.latencyMs.p99)} (${ms(p.latencyMs.p50)})`)],
      [`${name}: send→ack p99 (p50)`, ...cell((p) => `${ms(p.ackLatencyMs.p99)} (${ms(p.ackLatencyMs.p50)})`)],
      [`${name}: messages accepted/s`, ...cell((p) => int(p.acceptedPerS))],
      // A backlog left behind (more sends than the nodes commit) is queueing, and the next phase starts with it.
      [`${name}: sends unacknowledged 5 s after it`, ...cell((p) => `${int(p.unacked)} of ${int(p.sent)}`)],
      [`${name}: hub CPU, all nodes (% of a core)`, ...cell((p) => `${f(p.serverCpuPercent, 0)} %`)],
      [
        `${name}: PostgreSQL; Redis CPU (% of a core)`,
        ...n.sides.map((s) => {
          const c = s.serversCpu?.find((x) => x.mode === mode);
          if (!c) return '—';
          return `${f(c.postgresPercent, 0)} %; ${c.redisPercent === undefined ? 'no Redis' : `${f(c.redisPercent, 0)} %`}`;
        }),
      ],
      [`${name}: machine's 1-minute load average after it`, ...cell((p) => String(p.loadAverage))],
    );
    if (phases.some((p) => p && (Object.keys(p.errors).length > 0 || Object.keys(p.closes).length > 0)))
      rows.push([`${name}: errors; closes`, ...cell((p) => `${counts(p.errors)}; ${counts(p.closes)}`)]);
  }
  return rows;
}

/** What the machine's cores mean for the comparison: one sentence per side with more than one node. */
export function nodesCoresLine(n: NodesComparison): string {
  return n.sides
    .filter((s) => s.nodes > 1)
    .map(
      (s) =>
        `${s.nodes} hub nodes share this machine's ${s.cores} cores with PostgreSQL, Redis and the load generators` +
        (s.nodes >= s.cores
          ? ': not a scaling figure — it shows what the fan-out between nodes (Redis, PostgreSQL) costs on one machine, not what ' +
            `${s.nodes} machines give.`
          : ': a lower bound of what separate machines give.'),
    )
    .join(' ');
}
