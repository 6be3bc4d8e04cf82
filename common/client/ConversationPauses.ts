import type { Timers } from './Timers.ts';

/**
 * Conversations whose outbox waits before sending again (rate limited, hub unavailable, an upload
 * that got no answer). A pause ends after its time, or, when it was waiting for the hub to come
 * back, as soon as a new connection says hello.
 */
export class ConversationPauses {
  private readonly timers = new Map<number, unknown>();
  private readonly untilHello = new Set<number>();

  constructor(
    private readonly clock: Timers,
    /** A pause ended on its own: the outbox may send again. */
    private readonly ended: () => void,
  ) {}

  has(conversationId: number): boolean {
    return this.timers.has(conversationId);
  }

  /** Pauses the conversation for `ms` (at least 0.1 s, at most a minute). */
  pause(conversationId: number, ms: number, endsOnHello = false): void {
    this.end(conversationId);
    const timer = this.clock.setTimeout(
      () => {
        this.timers.delete(conversationId);
        this.untilHello.delete(conversationId);
        this.ended();
      },
      Math.min(Math.max(ms, 100), 60_000),
    );
    this.timers.set(conversationId, timer);
    if (endsOnHello) this.untilHello.add(conversationId);
  }

  /** A new connection said hello: the pauses that waited for the hub end now. */
  endHelloPauses(): void {
    for (const id of [...this.untilHello]) this.end(id);
  }

  /** Ends every pause (without telling). */
  clear(): void {
    for (const id of [...this.timers.keys()]) this.end(id);
  }

  private end(conversationId: number): void {
    const timer = this.timers.get(conversationId);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.timers.delete(conversationId);
    this.untilHello.delete(conversationId);
  }
}
