import { HubError } from './HubError.ts';
import type { Rate, SharedLimits, UserLimitKind } from './SharedLimits.ts';
import { TokenBucket } from './TokenBucket.ts';

/** Buckets kept before the full ones (people who stopped for a while) are forgotten. */
const maxBuckets = 10_000;

/** Where a {@link UserRateLimit} is shared between the hub's nodes: the store and the bucket's name there. */
export interface SharedRate {
  limits: SharedLimits | undefined;
  kind: UserLimitKind;
}

/**
 * A per-user token bucket limit (sends, message changes): `take` refuses with `rate_limited` and
 * the wait when the user is over it. Buckets of people who stopped are dropped when many pile up.
 * With shared limits (several nodes) the bucket is the one every node takes from; this node's own
 * bucket is used only while they cannot answer.
 */
export class UserRateLimit {
  private readonly buckets = new Map<number, TokenBucket>();

  constructor(
    private readonly rate: Rate,
    /** What the refusal says, e.g. "you are sending messages too fast". */
    private readonly refusal: string,
    private readonly shared?: SharedRate,
  ) {}

  /** Takes one token for the user at `now`, or throws `rate_limited` with the wait. */
  async take(userId: number, now: number): Promise<void> {
    const { shared } = this;
    const sharedWait = shared?.limits ? await shared.limits.takeToken(shared.kind, userId, this.rate) : null;
    const wait = sharedWait ?? this.takeLocal(userId, now);
    if (wait > 0) throw new HubError('rate_limited', this.refusal, wait);
  }

  /** This node's bucket: 0 when taken, else the wait. */
  private takeLocal(userId: number, now: number): number {
    let bucket = this.buckets.get(userId);
    if (!bucket) {
      if (this.buckets.size > maxBuckets)
        for (const [id, b] of this.buckets) if (b.isFull(now)) this.buckets.delete(id);
      bucket = new TokenBucket(this.rate.perSecond, this.rate.burst, now);
      this.buckets.set(userId, bucket);
    }
    return bucket.take(now);
  }
}
