import type { EventSink, HubEvent } from '../ops/HubEvent.ts';

/** The position in the one sequence an event carries (messages and message changes), or 0. */
function seqOf(event: HubEvent): number {
  const { frame } = event;
  if (frame.type === 'message') return frame.message.seq;
  if (frame.type === 'message.updated') return frame.update.seq;
  return 0;
}

/** Positions given up on that are remembered (a hole wider than this is a gap, not a lost publish). */
const maxSkipped = 10_000;

/** How long a sequenced event waits for the lower positions before it is delivered anyway. */
const defaultHoldMs = 300;

/**
 * Live delivery in sequence order across nodes. Every node commits through one ordered append
 * point (hub/store/postgres/streamPosition.ts: positions without holes, visible in order), but
 * each node publishes after its own COMMIT returns, so another node's 809 can reach Redis after
 * this node's 811. Put between the event bus and the node's registry, this holds a message (or
 * message change) until every lower position has been delivered, at most `holdMs` (a position
 * may never come: a node killed between its COMMIT and its publish, or Redis dropped it — the
 * catch-up after the gap covers those). Events without a position pass at once. While `bypass()`
 * (Redis away: the other nodes' positions cannot arrive) events pass at once too, so a node alone
 * does not wait on every message.
 */
export class SeqOrderedSink implements EventSink {
  /** Every position up to this one has been delivered (or given up on); null until the first. */
  private delivered: number | null = null;
  private readonly held = new Map<number, { events: HubEvent[]; at: number }>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Events delivered after waiting, and positions given up on (for tests and logs). */
  readonly counts = { reordered: 0, skipped: 0, late: 0, repeats: 0 };
  /** Positions given up on (oldest first, at most {@link maxSkipped}): delivered if they turn up. */
  private readonly skipped = new Set<number>();

  constructor(
    private readonly inner: EventSink,
    private readonly bypass: () => boolean = () => false,
    private readonly holdMs = defaultHoldMs,
    private readonly clock: () => number = Date.now,
    /**
     * A gap is known and its catch-up is coming (Redis was lost and the bus has not yet signalled
     * it): a position older than what was delivered arriving now (published late around the
     * outage) is left to that catch-up, which brings it in order, instead of arriving out of order.
     */
    private readonly catchUpComing: () => boolean = () => false,
  ) {}

  publish(event: HubEvent): void {
    const seq = seqOf(event);
    if (seq === 0) {
      this.inner.publish(event);
      return;
    }
    if (this.delivered !== null && seq <= this.delivered) {
      // Below what was delivered: a position given up on that turns up after all (a publish late,
      // or a resend published again, SendQueue.republish) is delivered, unless a gap's catch-up
      // is coming that brings it in order; anything else is a repeat of what was delivered.
      const wasSkipped = this.skipped.delete(seq);
      if (!wasSkipped || this.catchUpComing()) {
        if (wasSkipped) this.counts.late++;
        else this.counts.repeats++;
        return;
      }
      this.inner.publish(event);
      return;
    }
    if (this.delivered === null || this.bypass()) {
      this.flushAll();
      this.inner.publish(event);
      this.delivered = Math.max(this.delivered ?? 0, seq);
      return;
    }
    if (seq === this.delivered + 1) {
      // The next position.
      this.inner.publish(event);
      this.delivered = seq;
      this.drain();
      return;
    }
    // Each position is published once by the hub; a second event for a held one is its resend.
    if (this.held.has(seq)) this.counts.repeats++;
    else this.held.set(seq, { events: [event], at: this.clock() });
    this.arm();
  }

  disconnect(target: { userId: number } | { sessionId: number }, code: number, reason: string): void {
    this.inner.disconnect(target, code, reason);
  }

  /** Delivers whatever is held, in order (stop, or ordering no longer possible). */
  flushAll(): void {
    for (const seq of [...this.held.keys()].sort((x, y) => x - y)) this.release(seq);
    this.disarm();
  }

  /** Delivers the held positions that now follow on without a hole. */
  private drain(): void {
    while (this.delivered !== null && this.held.has(this.delivered + 1)) this.release(this.delivered + 1);
    if (this.held.size === 0) this.disarm();
  }

  private release(seq: number): void {
    const entry = this.held.get(seq)!;
    this.held.delete(seq);
    this.counts.reordered += entry.events.length;
    for (const event of entry.events) this.inner.publish(event);
    this.delivered = Math.max(this.delivered ?? 0, seq);
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.expire(), this.holdMs);
    this.timer.unref?.();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The oldest held position waited long enough: the hole before it is given up on. */
  private expire(): void {
    this.timer = null;
    const now = this.clock();
    for (;;) {
      const lowest = Math.min(...this.held.keys());
      if (!Number.isFinite(lowest) || now - this.held.get(lowest)!.at < this.holdMs) break;
      const from = (this.delivered ?? lowest - 1) + 1;
      this.counts.skipped += lowest - from;
      for (let s = Math.max(from, lowest - maxSkipped); s < lowest; s++) this.skipped.add(s);
      for (const old of this.skipped) {
        if (this.skipped.size <= maxSkipped) break;
        this.skipped.delete(old);
      }
      this.delivered = lowest - 1;
      this.drain();
    }
    if (this.held.size > 0) this.arm();
  }
}
