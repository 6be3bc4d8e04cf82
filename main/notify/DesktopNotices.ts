import { classifyEditMention, classifyMessage } from '../../common/client/classifyMessage.ts';
import type { AttentionContext } from '../../common/client/classifyMessage.ts';
import type { ClientState, ConnectionState } from '../../common/client/ClientState.ts';
import type { IncomingSource, ReactionNews } from '../../common/client/StateIntake.ts';
import type { Message } from '../../common/protocol/model.ts';
import { AwayWatch } from '../away/AwayWatch.ts';
import type { Clock } from '../Clock.ts';
import type { DesktopStrings } from '../i18n/DesktopStrings.ts';
import type { Log } from '../log/Log.ts';
import type { DesktopSettings } from '../settings/DesktopSettings.ts';
import type { WindowController } from '../window/WindowController.ts';
import { NotificationCenter } from './NotificationCenter.ts';
import type { GroupingTimes } from './NotificationCenter.ts';
import type { Notifier } from './Notifier.ts';
import { reactionNotice } from './reactionNotice.ts';
import { shouldFlash } from './shouldFlash.ts';

/** What {@link DesktopNotices} works with. */
export interface DesktopNoticesDeps {
  notifier: Notifier;
  clock: Clock;
  strings: DesktopStrings;
  platform: NodeJS.Platform;
  settings: DesktopSettings;
  log: Log;
  windows: Pick<WindowController, 'current' | 'isShown' | 'isFocused'>;
  /** The client state now (fresher than the batched patches). */
  state(): ClientState;
  /** The tray's «Не беспокоить на…» is on now. */
  mutedHere(): boolean;
  /** A notification was clicked: open the window at this conversation. */
  open(conversationId: number | null): void;
  grouping?: GroupingTimes;
}

/**
 * What the desktop says about incoming things: notifications for new messages (grouped by the
 * {@link NotificationCenter}), for edits that mention the user, for reactions in direct
 * conversations when the user wants them, the one «Пока вас не было» summary after start and
 * after sleep ({@link AwayWatch}), and taskbar flashing. Do-not-disturb and the tray's mute
 * silence all of it; the badge still counts.
 */
export class DesktopNotices {
  readonly center: NotificationCenter;
  readonly away: AwayWatch;
  private flashing = false;

  constructor(private readonly deps: DesktopNoticesDeps) {
    this.center = new NotificationCenter({
      notifier: deps.notifier,
      clock: deps.clock,
      strings: deps.strings,
      platform: deps.platform,
      state: () => deps.state(),
      preview: () => deps.settings.get('notificationPreview'),
      silenced: () => this.silenced(),
      stillWanted: (m, edited) =>
        (edited ? classifyEditMention : classifyMessage)(m, this.attentionContext()).notify !== null,
      open: (conversationId) => deps.open(conversationId),
      grouping: deps.grouping,
    });
    this.away = new AwayWatch({
      clock: deps.clock,
      strings: deps.strings,
      platform: deps.platform,
      notifier: deps.notifier,
      log: deps.log,
      settings: deps.settings,
      state: () => deps.state(),
      silenced: () => this.silenced(),
      open: (conversationId) => deps.open(conversationId),
    });
  }

  /** Do-not-disturb or muted: notifications and flashing are silenced (the badge still counts). */
  silenced(): boolean {
    if (this.deps.state().me?.presence === 'dnd') return true;
    return this.deps.mutedHere();
  }

  /** Other people's new messages (live, or a catch-up's). */
  incoming(messages: readonly Message[], source: IncomingSource): void {
    const ctx = this.attentionContext();
    const silenced = this.silenced();
    const { windows } = this.deps;
    const window = { shown: windows.isShown(), focused: windows.isFocused() };
    const policy = this.deps.settings.get('flash');
    // What came while away is in the one summary already: no notification of its own.
    const told = this.away.absorbs(source);
    let flash = false;
    for (const message of messages) {
      const attention = classifyMessage(message, ctx);
      if (attention.notify && !told) this.center.add(message, attention.notify, source);
      if (shouldFlash(policy, attention, window, silenced)) flash = true;
    }
    if (flash && !this.flashing) {
      const w = windows.current();
      if (w) {
        this.flashing = true;
        w.flash(true);
      }
    }
  }

  /** Edits mentioning the user for the first time (each told once by the client): notified, never flashed or unread. */
  mentionedByEdit(messages: readonly Message[], source: IncomingSource): void {
    if (this.away.absorbs(source)) return;
    const ctx = this.attentionContext();
    for (const message of messages) {
      const attention = classifyEditMention(message, ctx);
      if (attention.notify) this.center.add(message, attention.notify, source, true);
    }
  }

  /** Reactions on the user's messages: only live ones, in direct conversations, if the user wants them. */
  reacted(news: readonly ReactionNews[], source: IncomingSource): void {
    const { deps } = this;
    if (source !== 'live' || !deps.settings.get('reactionNotify') || this.silenced()) return;
    if (!deps.notifier.isSupported()) return;
    const ctx = {
      state: deps.state(),
      windowFocused: deps.windows.isFocused(),
      now: deps.clock.now(),
      preview: deps.settings.get('notificationPreview'),
      strings: deps.strings,
      platform: deps.platform,
    };
    for (const n of news) {
      const spec = reactionNotice(n, ctx);
      if (spec) deps.notifier.show(spec, () => deps.open(spec.conversationId));
    }
  }

  /** The connection changed (the summary after start or sleep comes with the next hello). */
  connection(state: ConnectionState): void {
    this.away.connection(state);
  }

  stopFlash(): void {
    if (!this.flashing) return;
    this.flashing = false;
    this.deps.windows.current()?.flash(false);
  }

  /** Drops what is waiting, stops flashing and forgets what the next start would compare with (sign-out). */
  clear(): void {
    this.center.clear();
    this.stopFlash();
    this.away.forget();
  }

  /** Stops every timer (quitting). */
  stop(): void {
    this.center.clear();
    this.away.stop();
  }

  private attentionContext(): AttentionContext {
    return { state: this.deps.state(), windowFocused: this.deps.windows.isFocused(), now: this.deps.clock.now() };
  }
}
