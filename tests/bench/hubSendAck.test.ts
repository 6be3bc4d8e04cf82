// The hub's own send → ack time as the bench reads it (issue 19, target 1): from a real hub's
// /metrics, the difference of two scrapes, percentiles interpolated inside the histogram's buckets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketPercentile, hubSendAck, parseSendAckBuckets } from '../../bench/hubSendAck.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { cid, person } from '../hub/connect.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.stop();
});

const metrics = async () => (await fetch(`${hub.url}/metrics`)).text();

describe("the hub's own send → ack time", () => {
  it('counts exactly the sends between two scrapes, with percentiles inside the buckets', async () => {
    const anna = await person(hub, 'anna.ack');
    await anna.socket.request('send', { conversationId: anna.generalId, clientId: cid(), text: 'до' });
    const before = parseSendAckBuckets(await metrics());
    // Fine buckets below 5 ms (an fsync and a turn of the event loop are told apart).
    expect([...before.keys()].filter((le) => le <= 0.005).length).toBeGreaterThanOrEqual(7);
    expect(before.get(Infinity)).toBe(1);
    for (let i = 0; i < 20; i++)
      await anna.socket.request('send', { conversationId: anna.generalId, clientId: cid(), text: `накладная ${i}` });
    const after = parseSendAckBuckets(await metrics());
    const figures = hubSendAck(before, after)!;
    expect(figures.samples).toBe(20);
    expect(figures.p50Ms).toBeGreaterThan(0);
    expect(figures.p99Ms).toBeGreaterThanOrEqual(figures.p50Ms);
    // Nothing counted between two identical scrapes.
    expect(hubSendAck(after, after)).toBeUndefined();
    anna.socket.close();
  });

  it('interpolates linearly inside a bucket; the +Inf bucket gives the last finite bound', () => {
    const text = [
      '# TYPE beseda_send_ack_seconds histogram',
      'beseda_send_ack_seconds_bucket{le="0.001"} 0',
      'beseda_send_ack_seconds_bucket{le="0.002"} 50',
      'beseda_send_ack_seconds_bucket{le="0.004"} 100',
      'beseda_send_ack_seconds_bucket{le="+Inf"} 100',
      'beseda_send_ack_seconds_sum 0.2',
      'beseda_send_ack_seconds_count 100',
      'beseda_send_ack_seconds_bucket_other{le="1"} 7',
    ].join('\n');
    const none = new Map<number, number>();
    const after = parseSendAckBuckets(text);
    expect(after.size).toBe(4);
    // Rank 50 of 100 falls at the top of (1, 2] ms; rank 75 half-way through (2, 4] ms.
    expect(bucketPercentile(none, after, 50)).toBeCloseTo(2, 6);
    expect(bucketPercentile(none, after, 75)).toBeCloseTo(3, 6);
    expect(bucketPercentile(none, after, 25)).toBeCloseTo(1.5, 6);
    const slow = parseSendAckBuckets(text.replace('{le="+Inf"} 100', '{le="+Inf"} 200'));
    expect(bucketPercentile(none, slow, 99)).toBeCloseTo(4, 6);
    expect(bucketPercentile(after, after, 50)).toBeNull();
  });
});
