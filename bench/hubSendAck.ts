// The hub's own side of send → durable ack, read from its /metrics: the histogram
// beseda_send_ack_seconds counts, per bucket, the time from a send frame received to its
// acknowledgement written. Its difference between two scrapes is the phase's; a percentile is
// interpolated inside its bucket, so it is as fine as the buckets are (0.5 ms steps below 5 ms).

/** The cumulative counts of one scrape: bucket upper bound in seconds (Infinity for +Inf) → count. */
export type AckBuckets = ReadonlyMap<number, number>;

/** The hub's send → ack time over a phase: percentiles in ms, and how many sends it counted. */
export interface HubSendAck {
  p50Ms: number;
  p99Ms: number;
  samples: number;
}

const bucketLine = /^beseda_send_ack_seconds_bucket\{(?:[^}]*,)?le="([^"]+)"[^}]*\}\s+(\S+)/;

/** The send → ack buckets of a Prometheus text exposition (empty when the hub has none). */
export function parseSendAckBuckets(exposition: string): AckBuckets {
  const buckets = new Map<number, number>();
  for (const line of exposition.split('\n')) {
    const m = bucketLine.exec(line);
    if (!m) continue;
    const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
    if (!Number.isNaN(le)) buckets.set(le, Number(m[2]));
  }
  return buckets;
}

/**
 * The p-th percentile (0–100) in ms of what was counted between two scrapes, interpolated linearly
 * inside its bucket (a value in the +Inf bucket is reported as the last finite bound); null when
 * nothing was counted.
 */
export function bucketPercentile(before: AckBuckets, after: AckBuckets, p: number): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => (after.get(le) ?? 0) - (before.get(le) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total <= 0) return null;
  const rank = (p / 100) * total;
  let lower = 0;
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    const upper = bounds[i]!;
    const upTo = counts[i]!;
    if (upTo >= rank) {
      if (upper === Infinity) return lower * 1000;
      const inBucket = upTo - below;
      const share = inBucket > 0 ? (rank - below) / inBucket : 1;
      return (lower + (upper - lower) * share) * 1000;
    }
    lower = upper;
    below = upTo;
  }
  return lower * 1000;
}

/** p50, p99 and the count between two scrapes, or undefined when nothing was counted. */
export function hubSendAck(before: AckBuckets, after: AckBuckets): HubSendAck | undefined {
  const p50 = bucketPercentile(before, after, 50);
  const p99 = bucketPercentile(before, after, 99);
  if (p50 === null || p99 === null) return undefined;
  const samples = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  return { p50Ms: p50, p99Ms: p99, samples };
}
