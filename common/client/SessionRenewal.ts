import { ErrorCode } from '../protocol/errors.ts';
import type { ServerFrameOf } from '../protocol/serverFrame.ts';
import { RequestError } from './RequestError.ts';
import type { Timers } from './Timers.ts';

/** setTimeout's longest delay (about 24.8 days): longer waits are taken in steps. */
const maxTimerMs = 2 ** 31 - 1;
/** A renewal that failed for a passing reason (network, hub busy) is tried again after this. */
const retryMs = 5 * 60_000;
/** Never sooner than this after hello, so a hub with very short lifetimes is not asked in a loop. */
const minDelayMs = 10_000;
/**
 * Renewed by another window: its new token (or cookie) may be saved a moment after the hub revoked
 * ours, so the saved one is looked for a few times, this far apart.
 */
const adoptRetryMs = 2000;
const adoptAttempts = 5;

/** What {@link SessionRenewal} works with. */
export interface SessionRenewalOptions {
  timers: Timers;
  now: () => number;
  /** `session.renew` on the current connection. */
  renew(): Promise<{ token: string; expiresAt: number }>;
  /** The new token: saved in place of the old one, and the connection moves to it (SessionKeeper.renewed). */
  adopt(token: string): Promise<void>;
  /**
   * The hub said this session has ended: another window of the same browser may have renewed it
   * first; take its token if so (SessionKeeper.adoptSavedToken).
   */
  adoptSaved(): Promise<boolean>;
}

/**
 * Keeps a session in use alive (issue 16, point 5): each hello says when the session ends and from
 * when to renew it (`hello.session`); then (at the latest half-way to the end) the client asks for
 * a new token (`session.renew`),
 * saves it and reconnects with it. The hub gives the new session fresh idle and absolute limits, so
 * a desktop or browser that is used never meets the sign-in form, while a token copied off a
 * machine stops working at the latest when the session would have ended.
 */
export class SessionRenewal {
  private timer: unknown = null;
  /** Bumped by every hello and stop, so a renewal answered after either is ignored. */
  private generation = 0;

  constructor(private readonly options: SessionRenewalOptions) {}

  /** A connection said hello: plans the renewal for half-way to the session's end. */
  hello(hello: ServerFrameOf<'hello'>): void {
    this.stop();
    const session = hello.session;
    // A hub older than issue 16 says nothing: its sessions never end, there is nothing to renew.
    if (!session) return;
    const now = this.options.now();
    // Planned by the hub's clock (`session.now`): a client whose own clock is days off must neither
    // renew in a loop nor let the session run out.
    const hubNow = session.now ?? now;
    const halfWay = (session.expiresAt - hubNow) / 2;
    const untilRenew = Math.min((session.renewAfter ?? Infinity) - hubNow, halfWay);
    this.schedule(now + Math.max(minDelayMs, untilRenew), this.generation);
  }

  /** Signed out, or the connection went away: no renewal until the next hello. */
  stop(): void {
    this.generation++;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(at: number, generation: number): void {
    const wait = at - this.options.now();
    this.timer = this.options.timers.setTimeout(
      () => {
        this.timer = null;
        if (generation !== this.generation) return;
        if (this.options.now() < at) this.schedule(at, generation);
        else void this.renew(generation);
      },
      Math.min(Math.max(wait, 0), maxTimerMs),
    );
  }

  private async renew(generation: number): Promise<void> {
    try {
      const { token } = await this.options.renew();
      if (generation !== this.generation) return;
      await this.options.adopt(token);
    } catch (err) {
      if (generation !== this.generation) return;
      if (err instanceof RequestError && err.code === ErrorCode.Unauthorized) {
        // Renewed elsewhere (another tab) or ended: the hub closes this socket when its time is up.
        await this.adoptRenewedElsewhere(generation, 1);
        return;
      }
      this.schedule(this.options.now() + retryMs, generation);
    }
  }

  private async adoptRenewedElsewhere(generation: number, attempt: number): Promise<void> {
    if (generation !== this.generation || (await this.options.adoptSaved())) return;
    if (attempt >= adoptAttempts || generation !== this.generation) return;
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      void this.adoptRenewedElsewhere(generation, attempt + 1);
    }, adoptRetryMs);
  }
}
