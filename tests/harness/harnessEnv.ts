import { rssOf } from '../../bench/procStats.ts';

/** Heavier variants of every harness scenario: `BESEDA_HARNESS_HEAVY=1 npx vitest run tests/harness`. */
export const heavy = process.env.BESEDA_HARNESS_HEAVY === '1';

/** Prints a scenario's figures in the test output. */
export function report(scenario: string, figures: Record<string, unknown>): void {
  console.log(`[harness] ${scenario}: ${JSON.stringify(figures)}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The hub's resident memory in MB. */
export function rssMb(pid: number): number {
  return Math.round((rssOf(pid) / 1048576) * 10) / 10;
}

/**
 * "Back to baseline": after a scenario and a settle period the hub's RSS is within a tolerance of
 * what it was before. Generous on purpose — V8 keeps some heap it grew, and the figure is one
 * sample — so it catches leaks that grow with the load (buffers of dead sockets, outboxes, timers),
 * not allocator noise.
 */
export function withinBaseline(before: number, after: number): boolean {
  return after <= before * 1.5 + 40;
}
