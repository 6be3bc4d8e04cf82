import { HubError } from './HubError.ts';
import { TokenBucket } from './TokenBucket.ts';

/** Buckets kept before the full ones (people who stopped for a while) are forgotten. */
const maxBuckets = 10_000;

/**
 * A per-user token bucket limit (sends, message changes): `take` refuses with `rate_limited` and
 * the wait when the user is over it. Buckets of people who stopped are dropped when many pile up.
 */
export class UserRateLimit {
  private readonly buckets = new Map<number, TokenBucket>();

  constructor(
    private readonly rate: { perSecond: number; burst: number },
    /** What the refusal says, e.g. "you are sending messages too fast". */
    private readonly refusal: string,
  ) {}

  /** Takes one token for the user at `now`, or throws `rate_limited` with the wait. */
  take(userId: number, now: number): void {
    let bucket = this.buckets.get(userId);
    if (!bucket) {
      if (this.buckets.size > maxBuckets)
        for (const [id, b] of this.buckets) if (b.isFull(now)) this.buckets.delete(id);
      bucket = new TokenBucket(this.rate.perSecond, this.rate.burst, now);
      this.buckets.set(userId, bucket);
    }
    const wait = bucket.take(now);
    if (wait > 0) throw new HubError('rate_limited', this.refusal, wait);
  }
}
