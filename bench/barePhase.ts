// The bare relay: the same clients and workload against a plain ws relay with the same
// membership, for the ratios in the report.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RelayMembership } from './bareRelay.ts';
import type { BenchUser } from './genProtocol.ts';
import { loadPhase, type AckTally } from './loadPhase.ts';
import type { PhaseContext } from './PhaseContext.ts';
import type { BenchConversations } from './setupPhase.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Runs the rate (and saturation) phases against a forked bare relay; fills the report's ratios. */
export async function barePhase(
  ctx: PhaseContext,
  active: BenchUser[],
  conv: BenchConversations,
  acks: AckTally,
): Promise<void> {
  const { o, report } = ctx;
  await ctx.disconnect();
  const relayProcess = fork(path.join(here, 'bareRelay.js'), [], {
    env: { ...process.env, BENCH_BARE_RELAY: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const membership: RelayMembership = {
      general: conv.general,
      conversations: [...conv.members].map(([id, set]) => [id, [...set]]),
    };
    const port = await new Promise<number>((resolve, reject) => {
      relayProcess.once('message', (m: { port: number }) => resolve(m.port));
      relayProcess.once('exit', (code) => reject(new Error(`bare relay exited with ${code}`)));
      relayProcess.send(membership);
    });
    await ctx.connect(active, `ws://127.0.0.1:${port}/`, 'bare');
    await loadPhase(ctx, 'bare', 'rate', relayProcess.pid!, acks);
    if (!o.skip.has('saturate')) await loadPhase(ctx, 'bare', 'saturate', relayProcess.pid!, acks);
    await ctx.disconnect();
  } finally {
    relayProcess.kill();
  }
  const sat = report.phases.find((p) => p.system === 'beseda' && p.mode === 'saturate');
  const bare = report.phases.find((p) => p.system === 'bare' && p.mode === 'saturate');
  if (sat && bare) {
    report.saturationRatio = sat.deliveriesPerS / bare.deliveriesPerS;
    report.cpuNormalisedRatio = bare.serverCpuMsPer1000Deliveries / sat.serverCpuMsPer1000Deliveries;
  }
}
