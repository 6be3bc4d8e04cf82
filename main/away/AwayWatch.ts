import type { ClientState, ConnectionState } from '../../common/client/ClientState.ts';
import type { IncomingSource } from '../../common/client/StateIntake.ts';
import type { Clock } from '../Clock.ts';
import type { DesktopStrings } from '../i18n/DesktopStrings.ts';
import type { Log } from '../log/Log.ts';
import type { Notifier } from '../notify/Notifier.ts';
import type { DesktopSettings } from '../settings/DesktopSettings.ts';
import { awayBaseline, awayEntries, awaySummary } from './awaySummary.ts';
import type { AwayBaseline } from './awaySummary.ts';

/** What an {@link AwayWatch} works with. */
export interface AwayWatchDeps {
  clock: Clock;
  strings: DesktopStrings;
  platform: NodeJS.Platform;
  notifier: Notifier;
  log: Log;
  /** Where the baseline waits for the next start (`awayBaseline`). */
  settings: DesktopSettings;
  state(): Pick<ClientState, 'conversations' | 'me'>;
  /** Do-not-disturb or the tray's mute: no summary. */
  silenced(): boolean;
  /** The summary was clicked: open the window at this conversation. */
  open(conversationId: number | null): void;
}

/**
 * After a wake, a new connection this soon still counts as the return; later, the connection
 * survived the sleep (the hub never cut it), so nothing was missed and live messages notify as usual.
 */
export const wakeWindowMs = 120_000;

/**
 * «Пока вас не было»: when the app starts and when the machine wakes from sleep, the next
 * connection's hello is summed up in ONE notification ({@link awaySummary}) instead of one per
 * message, and the catch-up that follows that hello (the same messages, fetched page by page)
 * notifies nothing on its own. Live messages notify as always. What the user had been told about
 * is kept in the settings when the app quits or the machine sleeps (and after each summary), so
 * that a start sums up only what came since the app last ran.
 */
export class AwayWatch {
  /** Waiting for the return: `start` = since the app last ran, undefined = not waiting. */
  private baseline: Record<number, AwayBaseline> | 'start' | undefined = undefined;
  /** The summed-up connection is still the current one: its catch-up is already told. */
  private absorbing = false;
  private expiry: unknown = null;

  constructor(private readonly deps: AwayWatchDeps) {}

  /** The app started: the first connection is the return. */
  started(): void {
    this.baseline = 'start';
  }

  /** The machine is going to sleep: remember what the user has already been told about. */
  asleep(): void {
    if (this.baseline === undefined) this.baseline = awayBaseline(this.deps.state().conversations);
    this.stopExpiry();
    this.remember();
  }

  /** The machine woke (resume, or a clock that jumped): the next connection is the return. */
  woke(): void {
    if (this.baseline === 'start') return;
    // No suspend event (some Linux desktops): the state is still what it was before the sleep.
    this.baseline ??= awayBaseline(this.deps.state().conversations);
    this.stopExpiry();
    this.expiry = this.deps.clock.setTimeout(() => {
      this.expiry = null;
      this.baseline = undefined;
    }, wakeWindowMs);
  }

  /** The connection changed: a new one after start or wake gets its summary. */
  connection(state: ConnectionState): void {
    if (state !== 'connected') {
      this.absorbing = false;
      return;
    }
    if (this.baseline === undefined) return;
    const before = this.baseline === 'start' ? this.kept() : this.baseline;
    const after = this.baseline === 'start' ? 'start' : 'sleep';
    this.baseline = undefined;
    this.stopExpiry();
    this.absorbing = true;
    this.summarize(before, after);
    // Told now: a crash later must not tell it again at the next start.
    this.remember();
  }

  /** Whether a notification from this source is already in the summary (the catch-up after it). */
  absorbs(source: IncomingSource): boolean {
    return this.absorbing && source === 'catchup';
  }

  /** Quitting: keeps what the user has been told about for the next start, and stops. */
  stop(): void {
    this.remember();
    this.stopExpiry();
    this.baseline = undefined;
    this.absorbing = false;
  }

  /** Signed out: nothing is kept for the next start. */
  forget(): void {
    this.deps.settings.set('awayBaseline', null);
  }

  /** Stores the baseline now (nothing while signed out or before the first hello). */
  private remember(): void {
    const { me, conversations } = this.deps.state();
    if (!me || Object.keys(conversations).length === 0) return;
    this.deps.settings.set('awayBaseline', { userId: me.id, conversations: awayBaseline(conversations) });
  }

  /** The baseline the app kept when it last ran, if it is this user's (null: every unread counts). */
  private kept(): Record<number, AwayBaseline> | null {
    const kept = this.deps.settings.get('awayBaseline');
    const me = this.deps.state().me;
    return kept && me && kept.userId === me.id ? kept.conversations : null;
  }

  private summarize(before: Record<number, AwayBaseline> | null, after: 'start' | 'sleep'): void {
    const { deps } = this;
    const entries = awayEntries(deps.state().conversations, before, deps.clock.now());
    const spec = awaySummary(entries, deps.strings, deps.platform);
    const silenced = deps.silenced();
    deps.log.info('while away', {
      after,
      messages: entries.reduce((n, e) => n + e.messages, 0),
      conversations: entries.length,
      shown: !!spec && !silenced,
    });
    if (!spec || silenced || !deps.notifier.isSupported()) return;
    deps.notifier.show(spec, () => deps.open(spec.conversationId));
  }

  private stopExpiry(): void {
    if (this.expiry !== null) this.deps.clock.clearTimeout(this.expiry);
    this.expiry = null;
  }
}
