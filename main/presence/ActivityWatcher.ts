import type { Clock } from '../Clock.ts';
import type { PowerMonitor } from './PowerMonitor.ts';

/** Why the connection should be re-checked at once. */
export type WakeReason = 'resume' | 'unlock' | 'network' | 'clock-jump';

/** What the watcher reports. */
export interface ActivityHooks {
  /** The user went idle (no input for the threshold, or the screen locked) or came back. */
  idle(idle: boolean): void;
  /** The machine woke, was unlocked or the network changed: reconnect now and catch up. */
  wake(reason: WakeReason): void;
}

/** How often idle time and the network are polled. */
export const activityPollMs = 5000;

/**
 * Watches input idleness, screen lock, sleep and the network. Idle = no input for the threshold or
 * the screen locked; activity after that = back. Wake = resume from sleep, unlock, a change of
 * `net.online`, or the poll finding that far more time passed than it should have (some Linux
 * desktops sleep without telling).
 */
export class ActivityWatcher {
  private idleNow = false;
  private locked = false;
  private online: boolean | null = null;
  private lastPoll = 0;
  private timer: unknown = null;

  constructor(
    private readonly power: PowerMonitor,
    private readonly clock: Clock,
    private readonly thresholdMs: () => number,
    private readonly hooks: ActivityHooks,
  ) {}

  /** Starts listening and polling. */
  start(): void {
    this.power.on('lock-screen', () => {
      this.locked = true;
      this.setIdle(true);
    });
    this.power.on('unlock-screen', () => {
      this.locked = false;
      this.hooks.wake('unlock');
      this.poll();
    });
    this.power.on('resume', () => {
      this.hooks.wake('resume');
      this.poll();
    });
    this.online = this.power.isOnline();
    this.lastPoll = this.clock.now();
    this.timer = this.clock.setInterval(() => this.poll(), activityPollMs);
  }

  /** Stops polling. */
  stop(): void {
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
  }

  /** Whether the user counts as idle now. */
  isIdle(): boolean {
    return this.idleNow;
  }

  /** One check of idle time, network and the clock. */
  poll(): void {
    const now = this.clock.now();
    const jumped = this.lastPoll > 0 && now - this.lastPoll > activityPollMs * 6;
    this.lastPoll = now;
    const online = this.power.isOnline();
    const networkChanged = this.online !== null && online !== this.online;
    this.online = online;
    if (jumped) this.hooks.wake('clock-jump');
    else if (networkChanged) this.hooks.wake('network');
    this.setIdle(this.locked || this.power.idleSeconds() * 1000 >= this.thresholdMs());
  }

  private setIdle(idle: boolean): void {
    if (idle === this.idleNow) return;
    this.idleNow = idle;
    this.hooks.idle(idle);
  }
}
