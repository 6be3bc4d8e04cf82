import type { DeliveryRecord } from '../../store/CallbackStore.ts';
import type { HubContext } from '../HubContext.ts';
import type { SafeBotCaller } from './SafeBotCaller.ts';

/** First retry after 10 s, doubling up to 10 min between attempts. */
const firstRetryMs = 10_000;
const maxRetryMs = 10 * 60_000;
/** A delivery not acknowledged within 24 h is dropped (with an error log line). */
export const deliveryGiveUpMs = 24 * 3_600_000;
/** The queue is looked at this often even without a wake-up (retries due, another process's writes). */
const pollMs = 1_000;
const batchSize = 100;

/** Counts since start, for /metrics (beseda_bot_deliveries_total{result}). */
export interface DeliveryCounts {
  /** Acknowledged with a 2xx. */
  ok: number;
  /** An attempt failed; the delivery waits for its retry. */
  retry: number;
  /** Given up after 24 h, or the bot lost its callback URL. */
  dropped: number;
}

/**
 * The worker of the durable `message` delivery queue (table bot_deliveries): sends what is due,
 * deletes on a 2xx, retries with back-off otherwise. The rows outlive the process, so a hub
 * restart resumes where it stopped; a delivery whose 2xx arrived but whose row was not yet
 * deleted is sent again with the same delivery id (at-least-once: receivers drop repeats by id).
 */
export class BotDeliveries {
  readonly counts: DeliveryCounts = { ok: 0, retry: 0, dropped: 0 };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly ctx: HubContext,
    private readonly caller: SafeBotCaller,
  ) {}

  /** Starts the worker (a delivery left from before a restart goes out at once). */
  start(): void {
    this.wake();
  }

  /** Looks at the queue now (messages were just stored). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.tick().finally(() => {
      this.running = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.timer = setTimeout(() => this.wake(), pollMs);
    });
  }

  /** Stops the worker; resolves once the attempts in flight ended (the caller aborts them first). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const due = await this.ctx.store.callbacks.dueDeliveries(this.ctx.clock(), batchSize);
      // One bot's deliveries go in order, one at a time; different bots in parallel.
      const byBot = new Map<number, DeliveryRecord[]>();
      for (const d of due) byBot.set(d.botId, [...(byBot.get(d.botId) ?? []), d]);
      await Promise.all(
        [...byBot.values()].map(async (list) => {
          for (const d of list) if (!this.stopped) await this.attempt(d);
        }),
      );
    } catch (err) {
      this.ctx.log.error({ err: (err as Error).message }, 'bot delivery queue failed');
    }
  }

  private async attempt(d: DeliveryRecord): Promise<void> {
    const { store, log, clock } = this.ctx;
    const target = await store.callbacks.target(d.botId);
    if (!target) {
      this.counts.dropped += 1;
      log.warn({ botId: d.botId, deliveryId: d.deliveryId }, 'bot delivery dropped: the bot has no callback URL now');
      await store.callbacks.removeDelivery(d.id);
      return;
    }
    try {
      await this.caller.send(target, d.deliveryId, d.body);
      this.counts.ok += 1;
      await store.callbacks.removeDelivery(d.id);
    } catch (err) {
      const now = clock();
      if (now - d.createdAt >= deliveryGiveUpMs) {
        this.counts.dropped += 1;
        log.error(
          { bot: target.login, deliveryId: d.deliveryId, attempts: d.attempts + 1, error: (err as Error).message },
          'bot delivery dropped: not acknowledged within 24 h',
        );
        await store.callbacks.removeDelivery(d.id);
        return;
      }
      this.counts.retry += 1;
      const delay = Math.min(maxRetryMs, firstRetryMs * 2 ** Math.min(d.attempts, 16));
      await store.callbacks.retryDelivery(
        d.id,
        Math.min(now + delay, d.createdAt + deliveryGiveUpMs),
        (err as Error).message,
      );
    }
  }
}
