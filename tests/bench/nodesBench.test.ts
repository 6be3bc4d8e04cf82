// `npm run bench -- --nodes N` (issue 20): its option, how it spreads clients and starts nodes,
// the rows and files of its report from made-up figures, and a tiny real run of 1 and 2 nodes on
// PostgreSQL + Redis (skipped where Debian's servers are not installed).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../../bench/benchOptions.ts';
import { postgresMissing } from '../../bench/benchPostgres.ts';
import { redisMissing } from '../../bench/benchRedis.ts';
import { limitsPhase } from '../../bench/limitsPhase.ts';
import { nodeArgs, spreadOverNodes } from '../../bench/nodesSide.ts';
import type { BenchReport, NodesSide } from '../../bench/report.ts';
import { runNodesBench } from '../../bench/runNodesBench.ts';
import { markdown, textTable, writeReport, type WrittenReport } from '../../bench/writeReport.ts';
import { fullReport, phaseFigures } from './benchReportFixture.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(prefix);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A `--nodes 3` report with made-up figures: 1 node faster than 3 sharing 2 cores. */
function nodesReport(): BenchReport {
  const side = (nodes: number, deliveriesPerS: number, p99: number, ackP99: number): NodesSide => ({
    nodes,
    redis: nodes > 1,
    cores: 2,
    clientsPerNode: spreadOverNodes(
      Array.from({ length: 500 }, (_, i) => i),
      nodes,
    ).map((p) => p.length),
    phases: [
      phaseFigures('beseda', 'rate', {
        deliveriesPerS,
        latencyMs: { p50: 10, p99, max: 2 * p99, samples: 1000 },
        ackLatencyMs: { p50: 5, p99: ackP99, max: 2 * ackP99 },
      }),
      phaseFigures('beseda', 'saturate', { deliveriesPerS: deliveriesPerS * 2, errors: nodes > 1 ? { busy: 3 } : {} }),
    ],
    serversCpu: [{ mode: 'rate', postgresPercent: 40 + nodes, redisPercent: nodes > 1 ? 12 : undefined }],
  });
  const o = parseBenchOptions(['--nodes', '3']);
  return {
    ...fullReport(),
    options: { ...o, skip: [] },
    argv: ['--nodes', '3'],
    phases: [],
    nodes: { store: 'postgres', sides: [side(1, 4321, 87.5, 31.25), side(3, 2345, 250.5, 120.75)] },
  };
}

describe('bench --nodes', () => {
  it('parses --nodes: 1 (the SQLite bench) unless given, a whole number from 1 to 16', () => {
    expect(parseBenchOptions([]).nodes).toBe(1);
    expect(parseBenchOptions(['--nodes', '3']).nodes).toBe(3);
    expect(parseBenchOptions(['--nodes=2', '--clients', '20']).nodes).toBe(2);
    for (const bad of ['0', '2.5', '17', 'three', '-1'])
      expect(() => parseBenchOptions(['--nodes', bad]), bad).toThrow(/--nodes/);
  });

  it('spreads clients so that neighbours are on different nodes', () => {
    expect(spreadOverNodes([0, 1, 2, 3, 4, 5, 6], 3)).toEqual([
      [0, 3, 6],
      [1, 4],
      [2, 5],
    ]);
    expect(spreadOverNodes([0, 1, 2], 1)).toEqual([[0, 1, 2]]);
  });

  it('starts the single node without Redis and each of N with Redis, its own id and the shared files folder', () => {
    const one = nodeArgs(0, 1, 'postgres://beseda@127.0.0.1:5/b', '/shared', 'redis://127.0.0.1:6');
    expect(one).toEqual(
      expect.arrayContaining(['--store', 'postgres://beseda@127.0.0.1:5/b', '--files-dir', '/shared']),
    );
    expect(one).not.toContain('--redis');
    expect(one).not.toContain('--node-id');
    const second = nodeArgs(1, 3, 'postgres://beseda@127.0.0.1:5/b', '/shared', 'redis://127.0.0.1:6');
    const after = (flag: string) => second[second.indexOf(flag) + 1];
    expect([after('--store'), after('--redis'), after('--node-id'), after('--files-dir')]).toEqual([
      'postgres://beseda@127.0.0.1:5/b',
      'redis://127.0.0.1:6',
      'n2',
      '/shared',
    ]);
  });

  it('prints 1 and N nodes side by side: deliveries/s, delivery and send→ack p99, the cores they share', () => {
    const r = nodesReport();
    const text = textTable(r);
    const line = (start: string) => text.split('\n').find((l) => l.startsWith(start)) ?? '';
    expect(text).toMatch(/^Nodes \(issue 20\): 1 and 3 hub nodes on PostgreSQL/);
    expect(line('Figure')).toMatch(/1 node\s+3 nodes$/);
    expect(line('Store and fan-out')).toMatch(/PostgreSQL\s+PostgreSQL \+ Redis$/);
    expect(line('Clients per node')).toMatch(/500\s+167 \/ 167 \/ 166$/);
    expect(line('Mixed workload at 100 msg/s: deliveries/s')).toMatch(/4,321\s+2,345$/);
    expect(line('Mixed workload at 100 msg/s: delivery p99')).toMatch(/87\.5 ms \(10\.0 ms\)\s+250\.5 ms/);
    expect(line('Mixed workload at 100 msg/s: send→ack p99')).toMatch(/31\.3 ms \(5\.0 ms\)\s+120\.8 ms/);
    expect(line('Mixed workload at 100 msg/s: PostgreSQL; Redis CPU')).toMatch(/41 %; no Redis\s+43 %; 12 %$/);
    expect(line('Saturation: deliveries/s')).toMatch(/8,642\s+4,690$/);
    expect(line('Saturation: errors')).toMatch(/none; none\s+busy 3; none$/);
    expect(text).toContain("3 hub nodes share this machine's 2 cores with PostgreSQL, Redis and the load generators");
    expect(text).toContain('not a scaling figure');
    // Issue 19's targets are the SQLite bench's: a --nodes run does not pretend to judge them.
    expect(text).not.toContain('Targets (issue 19)');
    const md = markdown(r);
    expect(md).toContain('`npm run bench -- --nodes 3`');
    expect(md).toContain('| Mixed workload at 100 msg/s: deliveries/s | 4,321 | 2,345 |');
    expect(md).toContain('not a scaling figure');
  });

  it('writes nodes-latest.json and .md, leaving the single-node latest.json alone', () => {
    const dir = tempDir(path.join(os.tmpdir(), 'beseda-nodes-report-'));
    const files = writeReport(nodesReport(), dir);
    expect(path.basename(files.json)).toMatch(/^nodes-2026-12-03T05-00-00-000Z\.json$/);
    expect(existsSync(path.join(dir, 'latest.json'))).toBe(false);
    const written = JSON.parse(readFileSync(path.join(dir, 'nodes-latest.json'), 'utf8')) as WrittenReport;
    expect(written.targets).toEqual([]);
    expect(written.nodes!.sides.map((s) => [s.nodes, s.redis, s.cores, s.phases[0]!.deliveriesPerS])).toEqual([
      [1, false, 2, 4321],
      [3, true, 2, 2345],
    ]);
    expect(readFileSync(path.join(dir, 'nodes-latest.md'), 'utf8')).toContain('| Figure | 1 node | 3 nodes |');
  });

  const missing = postgresMissing() ?? redisMissing();
  it.skipIf(missing !== undefined || !existsSync(path.join(root, 'dist/hub/beseda-hub.js')))(
    'runs 1 and 2 real nodes on PostgreSQL + Redis and reports both',
    async () => {
      // The load generator runs as its own bundled process, as `npm run bench` builds it (dist/ keeps
      // node_modules reachable for its external packages).
      const bundleDir = tempDir(path.join(root, 'dist', 'bench-test-'));
      await build({
        entryPoints: [path.join(root, 'bench/loadGen.ts')],
        outdir: bundleDir,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        logLevel: 'warning',
      });
      const out = tempDir(path.join(os.tmpdir(), 'beseda-nodes-run-'));
      const argv = ['--nodes', '2', '--clients', '8', '--room-size', '4', '--rate', '8', '--duration', '2'];
      const o = parseBenchOptions([...argv, '--generators', '1', '--skip', 'saturate']);
      const code = await runNodesBench(o, argv, limitsPhase(o).limits, {
        hubBundle: path.join(root, 'dist/hub/beseda-hub.js'),
        loadGen: path.join(bundleDir, 'loadGen.js'),
        out,
      });
      expect(code).toBe(0);
      const r = JSON.parse(readFileSync(path.join(out, 'nodes-latest.json'), 'utf8')) as WrittenReport;
      expect(r.nodes!.sides.map((s) => [s.nodes, s.redis, s.clientsPerNode])).toEqual([
        [1, false, [8]],
        [2, true, [4, 4]],
      ]);
      for (const side of r.nodes!.sides) {
        const [rate] = side.phases;
        expect(rate).toMatchObject({ mode: 'rate', errors: {}, unacked: 0 });
        expect(rate!.acked).toBe(rate!.sent);
        // Every message has recipients, on this node and (for 2 nodes) the other: delivered to them.
        expect(rate!.deliveries).toBeGreaterThan(rate!.sent);
        expect(rate!.latencyMs.samples).toBeGreaterThan(0);
        expect(side.serversCpu).toEqual([
          {
            mode: 'rate',
            postgresPercent: expect.any(Number),
            redisPercent: side.redis ? expect.any(Number) : undefined,
          },
        ]);
      }
    },
    300_000,
  );
});
