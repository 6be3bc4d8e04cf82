/**
 * One breaker per bot: after `threshold` failures in a row the bot is not called for `openMs`;
 * then one trial call goes through, and its outcome closes or re-opens the breaker. A 1C server
 * that is down then costs people one quick `bot_unavailable` instead of a timeout per click.
 */
export class CircuitBreaker {
  private readonly state = new Map<number, { failures: number; openUntil: number; trial: boolean }>();

  constructor(
    private readonly clock: () => number,
    private readonly threshold = 5,
    private readonly openMs = 60_000,
  ) {}

  /** Whether a call to this bot may go out now (takes the one trial slot when the open time is over). */
  allow(botId: number): boolean {
    const s = this.state.get(botId);
    if (!s || s.failures < this.threshold) return true;
    if (this.clock() < s.openUntil || s.trial) return false;
    s.trial = true;
    return true;
  }

  /** Whether the breaker of this bot is open (calls refused now). */
  isOpen(botId: number): boolean {
    const s = this.state.get(botId);
    return !!s && s.failures >= this.threshold && (this.clock() < s.openUntil || s.trial);
  }

  succeeded(botId: number): void {
    this.state.delete(botId);
  }

  failed(botId: number): void {
    const s = this.state.get(botId) ?? { failures: 0, openUntil: 0, trial: false };
    s.failures += 1;
    s.trial = false;
    if (s.failures >= this.threshold) s.openUntil = this.clock() + this.openMs;
    this.state.set(botId, s);
  }
}
