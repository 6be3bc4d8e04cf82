import { createHash } from 'node:crypto';
import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import type { SlashCommand } from '../../common/protocol/model.ts';
import type { ResultMap } from '../../common/protocol/serverFrame.ts';
import { requireMember } from './access.ts';
import type { BotCaller } from './callbacks/BotCaller.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import { botActor, callbackConversation, callbackUser } from './MessageButtons.ts';
import type { Messaging } from './Messaging.ts';
import { UserRateLimit } from './UserRateLimit.ts';

/** `/` and 1–32 letters, digits, `_` or `-`. */
const namePattern = /^\/[\p{L}\p{N}_-]{1,32}$/u;

/** A command name as stored: trimmed, lower-case, with its slash (`остаток` → `/остаток`); bad_request if not one. */
export function commandName(input: string): string {
  const trimmed = input.trim().toLowerCase();
  const name = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
  if (!namePattern.test(name))
    throw new HubError('bad_request', 'a command is "/" and 1–32 letters, digits, "_" or "-", e.g. /остаток');
  return name;
}

type Result = ResultMap['command.run'];

/**
 * Slash commands (issue 18): IT registers them (the CLI, audited), people list them for the
 * composer and run them in a conversation they are in; the command's bot answers through its
 * callback URL, for the caller only or posted by the bot to the conversation.
 */
export class SlashCommands {
  /** Each run calls a bot while the person waits: bounded per person like sends. */
  private readonly rate: UserRateLimit;

  constructor(
    private readonly ctx: HubContext,
    private readonly caller: BotCaller,
    private readonly messaging: Messaging,
    rate: { perSecond: number; burst: number },
  ) {
    this.rate = new UserRateLimit(rate, 'you are running commands too fast', {
      limits: ctx.sharedLimits,
      kind: 'command',
    });
  }

  /** Registers a command bound to a bot; `conflict` if the name is taken, `not_found` for no such bot. */
  async add(input: { name: string; bot: string; description?: string; usage?: string }): Promise<SlashCommand> {
    const name = commandName(input.name);
    const bot = await this.ctx.store.accounts.findUserByLogin(input.bot.trim().toLowerCase());
    if (!bot || !bot.isBot) throw new HubError('not_found', `no bot "${input.bot}"`);
    const command: SlashCommand = {
      name,
      botId: bot.id,
      description: (input.description ?? '').slice(0, 200),
      usage: (input.usage ?? '').slice(0, 100),
    };
    if (!(await this.ctx.store.buttons.addCommand(command, this.ctx.clock())))
      throw new HubError('conflict', `the command ${name} exists already: remove it first`);
    return command;
  }

  /** Removes a command; `not_found` if there is none. */
  async remove(name: string): Promise<void> {
    const stored = commandName(name);
    if (!(await this.ctx.store.buttons.removeCommand(stored))) throw new HubError('not_found', `no command ${stored}`);
  }

  /** Every registered command, by name (the composer's suggestions, the CLI list). */
  async list(): Promise<SlashCommand[]> {
    return this.ctx.store.buttons.listCommands();
  }

  /** Runs a command in a conversation the actor is in; see ClientFrame `command.run`. */
  async run(actor: Actor, p: ParamsOf<'command.run'>): Promise<Result> {
    const { ctx } = this;
    const { conversation } = await requireMember(ctx, p.conversationId, actor.userId);
    const name = commandName(p.command);
    const command = await ctx.store.buttons.findCommand(name);
    if (!command) throw new HubError('not_found', `no command ${name}`);
    await this.rate.take(actor.userId, ctx.clock());
    // A bot never learns about a conversation it is not in: it gets none, and cannot post there.
    const botIn = (await ctx.store.conversations.membership(conversation.id, command.botId))?.member !== undefined;
    const user = await ctx.store.accounts.findUserById(actor.userId);
    const answer = await this.caller.call(command.botId, {
      type: 'command',
      command: name,
      args: p.args,
      conversation: botIn ? callbackConversation(conversation) : null,
      user: user ? callbackUser(user) : { id: actor.userId },
    });
    if (typeof answer.refuse === 'string') throw new HubError('refused', answer.refuse.slice(0, 1000) || 'refused');
    const text = answer.text ?? '';
    if (typeof text !== 'string')
      throw new HubError('bot_unavailable', 'the bot answered a "text" that is not a string');
    if (answer.visibility !== 'conversation') return { visibility: 'caller', text: text.slice(0, 16000) };
    if (!botIn)
      throw new HubError('bot_unavailable', 'the bot is not in this conversation, so it cannot post its answer here');
    // One post per run: a retried run (same clientId) answers the message posted the first time.
    const clientId = `cmd-${createHash('sha256').update(`${actor.userId}:${p.clientId}`).digest('base64url').slice(0, 40)}`;
    const message = await this.messaging.post(
      botActor(command.botId),
      { conversationId: conversation.id, clientId, text },
      {},
    );
    return { visibility: 'conversation', message };
  }
}
