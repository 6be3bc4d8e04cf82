import { randomUUID } from 'node:crypto';
import type { CallbackTarget } from '../../store/CallbackStore.ts';
import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';
import type { BotCaller } from './BotCaller.ts';
import { type CallbackRules, callbackRules } from './callbackRules.ts';
import { CircuitBreaker } from './CircuitBreaker.ts';
import { CallbackFailure, postCallback } from './postCallback.ts';
import { signCallback } from './signCallback.ts';

/** How calls to bots go out: `callbackAllow` and `callbackTimeoutMs` (hub/config/HubConfig.ts). */
export interface CallbackSettings {
  /** Hosts, *.suffixes, addresses or CIDR ranges; empty: any public host. */
  allow: readonly string[];
  /** The whole call's deadline in ms. */
  timeoutMs: number;
}

/** The settings when none are given: any public host, 10 s. */
export const defaultCallbackSettings: CallbackSettings = { allow: [], timeoutMs: 10_000 };

/**
 * The {@link BotCaller} over HTTP(S) with every safety rule (postCallback.ts: address checked at
 * connect time, no redirects, 64 KiB answers, one deadline) and a circuit breaker per bot. The
 * delivery queue sends through {@link SafeBotCaller.send} too, so both share the breaker.
 */
export class SafeBotCaller implements BotCaller {
  readonly rules: CallbackRules;
  readonly breaker: CircuitBreaker;
  private readonly aborts = new AbortController();

  constructor(
    private readonly ctx: HubContext,
    private readonly settings: CallbackSettings,
  ) {
    this.rules = callbackRules(settings.allow);
    this.breaker = new CircuitBreaker(ctx.clock);
  }

  async call(botId: number, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const target = await this.ctx.store.callbacks.target(botId).catch(() => undefined);
    if (!target) throw new HubError('bot_unavailable', 'the bot has no callback URL');
    const deliveryId = randomUUID();
    const raw = JSON.stringify({ ...body, deliveryId, bot: { id: target.botId, login: target.login } });
    let answer: string;
    try {
      answer = await this.send(target, deliveryId, raw);
    } catch (err) {
      throw new HubError('bot_unavailable', `the bot did not answer: ${(err as Error).message}`);
    }
    if (answer.trim() === '') return {};
    try {
      const parsed: unknown = JSON.parse(answer);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    this.ctx.log.warn({ bot: target.login, deliveryId }, 'bot callback answered something other than a JSON object');
    throw new HubError('bot_unavailable', 'the bot answered something other than a JSON object');
  }

  /**
   * Sends one signed POST of `raw` (the exact body bytes) and resolves to the 2xx answer; throws
   * CallbackFailure (with reason `circuit_open` as `refused`) otherwise, after logging it (the
   * bot's login, the delivery id and why: never the secret or the body).
   */
  async send(target: CallbackTarget, deliveryId: string, raw: string): Promise<string> {
    if (!this.breaker.allow(target.botId)) {
      throw new CallbackFailure('refused', 'circuit open after repeated failures');
    }
    const body = Buffer.from(raw, 'utf8');
    const timestamp = Math.floor(this.ctx.clock() / 1000);
    try {
      const answer = await postCallback(this.rules, {
        url: target.url,
        body,
        headers: signCallback(target.secret, deliveryId, timestamp, body),
        timeoutMs: this.settings.timeoutMs,
        signal: this.aborts.signal,
      });
      this.breaker.succeeded(target.botId);
      return answer;
    } catch (err) {
      const failure = err instanceof CallbackFailure ? err : new CallbackFailure('network', String(err));
      this.breaker.failed(target.botId);
      this.ctx.log.warn(
        { bot: target.login, deliveryId, reason: failure.reason, error: failure.message },
        'bot callback failed',
      );
      throw failure;
    }
  }

  /** Aborts the calls in flight (the hub is closing). */
  close(): void {
    this.aborts.abort();
  }
}
