import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';
import { BotDeliveries, type DeliveryCounts } from './BotDeliveries.ts';
import type { BotCaller } from './BotCaller.ts';
import { type CallbackSettings, SafeBotCaller } from './SafeBotCaller.ts';
import { newCallbackSecret } from './signCallback.ts';

/** What `bot callback` did: the URL now, and the secret when a new one was made (shown once). */
export interface CallbackChange {
  bot: { userId: number; login: string };
  url: string | null;
  /** Present only when a new secret was made: printed once, never again. */
  secret?: string;
}

/**
 * Calls to bots (issue 18), one part of the hub: the {@link BotCaller} for buttons and commands
 * (`hub.callbacks.caller`), the durable `message` delivery queue's worker, and IT's settings of
 * a bot's callback URL and secret.
 */
export class BotCallbacks {
  readonly caller: BotCaller;
  private readonly safe: SafeBotCaller;
  private readonly deliveries: BotDeliveries;

  constructor(
    private readonly ctx: HubContext,
    settings: CallbackSettings,
  ) {
    this.safe = new SafeBotCaller(ctx, settings);
    this.caller = this.safe;
    this.deliveries = new BotDeliveries(ctx, this.safe);
  }

  /** Starts sending queued deliveries (the serving hub; the CLI's direct path never starts it). */
  start(): void {
    this.deliveries.start();
  }

  /** Messages were stored: queued deliveries may be waiting. */
  wake(): void {
    this.deliveries.wake();
  }

  /** Throws bad_request when a callback URL may not be stored (callbackAllow, internal address, not http(s)). */
  checkUrl(url: string): void {
    const problem = this.safe.rules.checkUrl(url);
    if (problem) throw new HubError('bad_request', `callback URL refused: ${problem}`);
  }

  /**
   * Sets a bot's callback URL (checked against `callbackAllow` and the address rules), or turns
   * it off (`url` null), or makes a new secret. A URL given to a bot without a secret, or
   * `newSecret`, makes one; it is returned once.
   */
  async setCallback(login: string, change: { url?: string | null; newSecret?: boolean }): Promise<CallbackChange> {
    const current = await this.ctx.store.callbacks.callbackOf(login);
    if (!current) throw new HubError('not_found', `no bot with login ${login}`);
    if (typeof change.url === 'string') this.checkUrl(change.url);
    const url = change.url === undefined ? current.url : change.url;
    if (url === null && change.newSecret)
      throw new HubError('bad_request', `${login} has no callback URL: give --url first`);
    if (url === null) {
      await this.ctx.store.callbacks.setCallback(login, null, null);
      return { bot: { userId: current.botId, login }, url: null };
    }
    const secret = change.newSecret || !current.hasSecret ? newCallbackSecret() : undefined;
    await this.ctx.store.callbacks.setCallback(login, url, secret);
    return { bot: { userId: current.botId, login }, url, ...(secret ? { secret } : {}) };
  }

  /** Deliveries waiting, and counts since start (for /metrics). */
  async stats(): Promise<{ queued: number; counts: DeliveryCounts }> {
    return { queued: await this.ctx.store.callbacks.queueLength(), counts: { ...this.deliveries.counts } };
  }

  /** Aborts calls in flight and stops the worker (before the store closes). */
  async close(): Promise<void> {
    this.safe.close();
    await this.deliveries.stop();
  }
}
