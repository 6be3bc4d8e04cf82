import type { ClientState } from '../../common/client/ClientState.ts';
import { messageText } from '../../common/client/messageText.ts';
import type { IncomingSource } from '../../common/client/StateIntake.ts';
import type { Message } from '../../common/protocol/model.ts';
import type { Clock } from '../Clock.ts';
import type { DesktopStrings } from '../i18n/DesktopStrings.ts';
import type { AttentionReason } from '../../common/client/classifyMessage.ts';
import type { NotificationSpec, Notifier } from './Notifier.ts';
import { notificationText } from './notificationText.ts';

/** How long a notification waits for an unknown sender's name to arrive. */
const senderLookupGraceMs = 400;

/** Timing of the grouping (defaults fit people: a second's delay, bursts become one summary). */
export interface GroupingTimes {
  /** Live: wait this long after the latest message for more to arrive... */
  liveQuietMs: number;
  /** ...but never longer than this after the first. */
  liveMaxMs: number;
  /** Catch-up comes in pages: wait for this quiet gap... */
  catchupQuietMs: number;
  /** ...or at most this long. */
  catchupMaxMs: number;
}

/** Default grouping times. */
export const defaultGrouping: GroupingTimes = {
  liveQuietMs: 1000,
  liveMaxMs: 3000,
  catchupQuietMs: 2000,
  catchupMaxMs: 15000,
};

/** What the {@link NotificationCenter} needs. */
export interface NotificationCenterOptions {
  notifier: Notifier;
  clock: Clock;
  strings: DesktopStrings;
  platform: NodeJS.Platform;
  state(): Pick<ClientState, 'users' | 'conversations'>;
  /** Show message text (off: who and where only). */
  preview(): boolean;
  /** Do-not-disturb or muted now: drop what is waiting instead of showing it. */
  silenced(): boolean;
  /**
   * Whether a waiting message still deserves it (not read meanwhile, not on screen now); `edited`:
   * it waits because an edit mentioned the user (read or not does not matter then).
   */
  stillWanted(message: Message, edited: boolean): boolean;
  /** A notification was clicked: open the window at this conversation. */
  open(conversationId: number | null): void;
  grouping?: GroupingTimes;
}

interface Pending {
  message: Message;
  reason: AttentionReason;
  /** Queued for an edit that mentions the user, not as a new message. */
  edited?: boolean;
}

/**
 * Turns messages that deserve a notification into as few notifications as make sense: messages
 * arriving close together are held briefly and shown as one (a single message as itself, a burst
 * as "20 new messages in 3 conversations"); a catch-up after sleep is collected across its pages
 * and notified once. Silence (do-not-disturb, mute) is checked when showing, so muting discards
 * what was waiting.
 */
export class NotificationCenter {
  private pending: Pending[] = [];
  private firstAt = 0;
  private catchup = false;
  private timer: unknown = null;
  /** The current batch already waited once for a sender's name. */
  private deferred = false;
  private readonly grouping: GroupingTimes;

  constructor(private readonly options: NotificationCenterOptions) {
    this.grouping = options.grouping ?? defaultGrouping;
  }

  /**
   * Queues a message that deserves a notification (`edited`: an edit of it mentions the user).
   * One notification per message: one already waiting is not queued again (its newest text shows).
   */
  add(message: Message, reason: AttentionReason, source: IncomingSource, edited = false): void {
    const waiting = this.pending.find((p) => p.message.seq === message.seq);
    if (waiting) {
      if (edited) waiting.message = message;
      return;
    }
    const now = this.options.clock.now();
    if (this.pending.length === 0) this.firstAt = now;
    this.pending.push({ message, reason, edited });
    if (source === 'catchup') this.catchup = true;
    this.schedule(now);
  }

  /** Shows what is waiting now (also used when the app quits). */
  flush(): void {
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    // A sender the client has never seen is being looked up right now: give the lookup a moment
    // (once) rather than title the notification with the room's name.
    const state = this.options.state();
    if (!this.deferred && this.pending.some((p) => !p.message.displayName && !state.users[p.message.senderId])) {
      this.deferred = true;
      this.timer = this.options.clock.setTimeout(() => this.flush(), senderLookupGraceMs);
      return;
    }
    this.deferred = false;
    const batch = this.pending.filter((p) => this.options.stillWanted(p.message, p.edited === true));
    this.pending = [];
    this.catchup = false;
    if (batch.length === 0 || this.options.silenced() || !this.options.notifier.isSupported()) return;
    const spec = this.describe(batch);
    this.options.notifier.show(spec, () => this.options.open(spec.conversationId));
  }

  /** Drops anything waiting (sign-out). */
  clear(): void {
    this.deferred = false;
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.catchup = false;
  }

  private schedule(now: number): void {
    const quiet = this.catchup ? this.grouping.catchupQuietMs : this.grouping.liveQuietMs;
    const max = this.catchup ? this.grouping.catchupMaxMs : this.grouping.liveMaxMs;
    const due = Math.min(now + quiet, this.firstAt + max);
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = this.options.clock.setTimeout(() => this.flush(), Math.max(0, due - now));
  }

  /** The notification for a batch (oldest first). */
  describe(batch: readonly Pending[]): NotificationSpec {
    const { strings, platform } = this.options;
    const state = this.options.state();
    // A card-only message (a webhook's attachments) is told by its card, as in the window's previews;
    // a files-only one by its files, in the desktop's language («📎 Изображение» / "📎 Image").
    const text = (m: Message) => {
      const body = messageText(m, strings.notify.files);
      return body ? notificationText(body, platform) : strings.notify.noText;
    };
    const clean = (s: string) => notificationText(s, platform);
    const convName = (id: number) => clean(state.conversations[id]?.name ?? '…');
    const sender = (m: Message) =>
      clean(m.displayName ?? state.users[m.senderId]?.name ?? state.conversations[m.conversationId]?.name ?? '…');

    const newest = batch[batch.length - 1]!;
    if (batch.length === 1) {
      const { message: m, reason } = newest;
      const conv = convName(m.conversationId);
      const title =
        reason === 'direct'
          ? sender(m)
          : reason === 'announcement'
            ? strings.notify.announcement(conv)
            : reason === 'mention'
              ? strings.notify.mentionTitle(sender(m), conv)
              : strings.notify.roomTitle(sender(m), conv);
      return {
        title,
        body: this.options.preview() ? text(m) : strings.notify.hidden,
        conversationId: m.conversationId,
      };
    }

    const conversations = [...new Set(batch.map((p) => p.message.conversationId))];
    if (conversations.length === 1) {
      const m = newest.message;
      return {
        title: strings.notify.burstOneConversation(batch.length, convName(m.conversationId)),
        body: this.options.preview()
          ? `${sender(m)}: ${text(m)}`
          : strings.notify.burstBody([...new Set(batch.map((p) => sender(p.message)))].slice(0, 4)),
        conversationId: m.conversationId,
      };
    }
    // Several conversations: a click opens the newest one that is personal, else the newest.
    const personal = [...batch].reverse().find((p) => p.reason !== 'room');
    const target = (personal ?? newest).message.conversationId;
    const names = [...conversations].reverse().map(convName);
    return {
      title: strings.notify.burstTitle(batch.length, conversations.length),
      body: strings.notify.burstBody(names.length > 4 ? [...names.slice(0, 4), '…'] : names),
      conversationId: target,
    };
  }
}
