import type { Lang } from '../common/i18n/Lang.ts';
import type { Clock } from './Clock.ts';
import type { DesktopSettings } from './settings/DesktopSettings.ts';
import { muteEndText } from '../common/client/muteTimes.ts';

/** What a {@link MuteSchedule} works with. */
export interface MuteScheduleDeps {
  settings: DesktopSettings;
  clock: Clock;
  locale: Lang;
  /** A mute began: what was waiting to be notified is dropped. */
  muted(): void;
  /** The mute ran out (the tray stops saying "muted until"). */
  ended(): void;
}

/**
 * Muting notifications until a moment (the tray's "for an hour", "until tomorrow"): kept in the
 * settings so it survives a restart, and ended by a timer so the tray changes when it runs out.
 */
export class MuteSchedule {
  private timer: unknown = null;

  constructor(private readonly deps: MuteScheduleDeps) {}

  /** Whether notifications are muted now. */
  isMuted(): boolean {
    const until = this.deps.settings.get('muteUntil');
    return until !== null && until > this.deps.clock.now();
  }

  /** The end of the mute as the tray shows it (null: not muted). */
  untilText(): string | null {
    const until = this.deps.settings.get('muteUntil');
    const now = this.deps.clock.now();
    return until !== null && until > now ? muteEndText(until, now, this.deps.locale) : null;
  }

  /** Mutes until this moment (null: unmutes). */
  muteUntil(until: number | null): void {
    this.deps.settings.set('muteUntil', until);
    if (until !== null) this.deps.muted();
    this.schedule();
  }

  /** Waits for the end of the mute in the settings (at start; a mute that already ended is cleared). */
  schedule(): void {
    const { settings, clock } = this.deps;
    this.stop();
    const until = settings.get('muteUntil');
    const now = clock.now();
    if (until === null) return;
    if (until <= now) {
      settings.set('muteUntil', null);
      return;
    }
    // Timers cannot wait longer than ~24.8 days; a mute never lasts that long, but clamp anyway.
    this.timer = clock.setTimeout(
      () => {
        this.timer = null;
        this.schedule();
        this.deps.ended();
      },
      Math.min(until - now, 2 ** 31 - 1),
    );
  }

  /** Stops waiting (quitting). */
  stop(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
