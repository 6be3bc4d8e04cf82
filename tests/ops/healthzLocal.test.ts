// /healthz shows event-loop delay, memory, drop counts and backups only to the hub's own machine. A
// reverse proxy on that machine (nginx in front of the hub) must not make every client "local".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.stop();
});

const healthz = async (headers: Record<string, string> = {}) =>
  (await (await fetch(`${hub.url}/healthz`, { headers })).json()) as Record<string, unknown>;

describe('/healthz details', () => {
  it('are shown to a caller on the hub’s own machine', async () => {
    const body = await healthz();
    expect(body.status).toBe('ok');
    expect(body.eventLoop).toBeDefined();
    // The process's memory: resident, the V8 heap used and reserved, and outside it (buffers).
    const memory = body.memory as Record<string, number>;
    for (const key of ['rssBytes', 'heapUsedBytes', 'heapTotalBytes', 'externalBytes'])
      expect(memory[key], key).toBeGreaterThan(0);
    expect(memory.heapUsedBytes).toBeLessThanOrEqual(memory.heapTotalBytes!);
  });

  it('are not shown to a request a proxy forwarded, even from loopback', async () => {
    const forwarded: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.7' },
      { forwarded: 'for=203.0.113.7' },
      { 'x-real-ip': '203.0.113.7' },
    ];
    for (const headers of forwarded) {
      const body = await healthz(headers);
      expect(body.status, JSON.stringify(headers)).toBe('ok');
      expect(body.eventLoop, JSON.stringify(headers)).toBeUndefined();
      expect(body.memory, JSON.stringify(headers)).toBeUndefined();
    }
  });
});
