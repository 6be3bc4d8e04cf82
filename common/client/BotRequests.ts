import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import type { SlashCommand } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import { newClientId } from './newClientId.ts';
import { LocalErrorCode, RequestError } from './RequestError.ts';
import type { Timers } from './Timers.ts';

/** What came of a button click (the hub's `message.action` result). */
export type ActionOutcome = ResultMap['message.action'];
/** A slash command's answer (the hub's `command.run` result). */
export type CommandAnswer = ResultMap['command.run'];

/** What {@link BotRequests} needs from the client core. */
export interface BotRequestsOptions {
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
  timers: Timers;
  /** The waits before each repeat after a lost answer (default 1 s, 2 s, 4 s). */
  retryDelaysMs?: readonly number[];
  /** Makes the click's client id (tests pin it). */
  clientId?: () => string;
}

/**
 * Failures after which the hub may or may not have run the request: the answer was lost, or the
 * request never left. Repeating them with the same client id is safe (the hub answers a known id
 * with the stored outcome), so they are retried; the hub's own refusals are final.
 */
const retriable = new Set<string>([
  LocalErrorCode.Timeout,
  LocalErrorCode.Disconnected,
  LocalErrorCode.Offline,
  'unavailable',
]);

/**
 * Buttons and slash commands (issue 18). These are not queued in the outbox like sends: the
 * person waits for the bot's answer on screen, so the request goes now and a failure is reported.
 * A click or a command gets ONE client id, made when the person acts and reused on every retry of
 * that act, so a lost answer repeated never runs the bot's action twice.
 */
export class BotRequests {
  private readonly delays: readonly number[];
  private readonly makeId: () => string;

  constructor(private readonly options: BotRequestsOptions) {
    this.delays = options.retryDelaysMs ?? [1000, 2000, 4000];
    this.makeId = options.clientId ?? newClientId;
  }

  /** Clicks button `actionId` of a message; resolves with the outcome or rejects with the hub's error. */
  messageAction(conversationId: number, seq: number, actionId: string): Promise<ActionOutcome> {
    const clientId = this.makeId();
    return this.withRetries(() => this.options.request('message.action', { conversationId, seq, actionId, clientId }));
  }

  /** The commands IT registered, for the composer's «/» list. */
  async commandsList(): Promise<SlashCommand[]> {
    return (await this.options.request('commands.list', {})).commands;
  }

  /** Runs `/command args` in a conversation; the answer is the caller's only, or a message the bot posted. */
  runCommand(conversationId: number, command: string, args: string): Promise<CommandAnswer> {
    const clientId = this.makeId();
    return this.withRetries(() =>
      this.options.request('command.run', { conversationId, command: command.toLowerCase(), args, clientId }),
    );
  }

  private async withRetries<R>(attempt: () => Promise<R>): Promise<R> {
    for (let i = 0; ; i++) {
      try {
        return await attempt();
      } catch (error) {
        const code = error instanceof RequestError ? error.code : '';
        if (!retriable.has(code) || i >= this.delays.length) throw error;
        await new Promise<void>((resolve) => this.options.timers.setTimeout(resolve, this.delays[i]!));
      }
    }
  }
}
