import * as v from 'valibot';
import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import { MessageActionSchema, type Message, type MessageAction } from '../../common/protocol/model.ts';
import type { ResultMap } from '../../common/protocol/serverFrame.ts';
import type { ClickOutcome } from '../store/ButtonStore.ts';
import type { AccountRecord } from '../store/AccountStore.ts';
import type { ConversationRecord } from '../store/ConversationStore.ts';
import { noSuchMessage, requireMessage } from './access.ts';
import type { BotCaller } from './callbacks/BotCaller.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import type { MessageChanges } from './MessageChanges.ts';
import { convertBlocks } from './integrations/blockKit.ts';
import { normalizeAttachments } from './integrations/normalizeAttachments.ts';
import { SlackTexts } from './integrations/slackMarkup.ts';
import { UserRateLimit } from './UserRateLimit.ts';

const ActionsSchema = v.pipe(v.array(MessageActionSchema), v.maxLength(5));

/**
 * A message's buttons as sent by a bot (POST /api/v1/messages, a bot's `send`, a bot's `update`
 * answer): at most 5, ids unique; `bad_request` naming what is wrong otherwise.
 */
export function checkActions(input: unknown, where = 'actions'): MessageAction[] {
  if (input === undefined || input === null) return [];
  const parsed = v.safeParse(ActionsSchema, input);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    throw new HubError('bad_request', `"${where}${path ? '.' + path : ''}": ${issue.message}`);
  }
  const ids = new Set(parsed.output.map((a) => a.id));
  if (ids.size !== parsed.output.length) throw new HubError('bad_request', `"${where}": each action needs its own id`);
  return parsed.output;
}

/** A person as a bot sees them in a callback body. */
export function callbackUser(a: AccountRecord): { id: number; login: string; name: string; externalId: string | null } {
  return { id: a.id, login: a.login, name: a.name, externalId: a.externalId ?? null };
}

/** A conversation as a bot sees it in a callback body. */
export function callbackConversation(c: ConversationRecord): { id: number; kind: string; name: string } {
  return { id: c.id, kind: c.kind, name: c.name };
}

/** The acting bot as an operations actor (its callbacks edit and post as the bot). */
export function botActor(botId: number): Actor {
  return { userId: botId, sessionId: 0, isAdmin: false, isBot: true };
}

type Result = ResultMap['message.action'];

/**
 * Button clicks (issue 18, `message.action`): who may click (a member who can read the
 * message), counted once per person unless the action allows more (the store counts the click
 * atomically, so double clicks and retries call the bot once), the bot's answer applied.
 */
export class MessageButtons {
  /** Clicks whose bot call is running, by user and clientId: a retry meanwhile waits for it. */
  private readonly running = new Map<string, Promise<Result>>();
  /** Each counted click calls a bot while the person waits: bounded per person like sends. */
  private readonly rate: UserRateLimit;

  constructor(
    private readonly ctx: HubContext,
    private readonly caller: BotCaller,
    private readonly changes: MessageChanges,
    rate: { perSecond: number; burst: number },
  ) {
    this.rate = new UserRateLimit(rate, 'you are clicking too fast', { limits: ctx.sharedLimits, kind: 'click' });
  }

  /** Clicks a button; see ClientFrame `message.action`. */
  async click(actor: Actor, p: ParamsOf<'message.action'>): Promise<Result> {
    const key = `${actor.userId}:${p.clientId}`;
    const running = this.running.get(key);
    if (running) return running;
    const work = this.clickOnce(actor, p);
    this.running.set(key, work);
    try {
      return await work;
    } finally {
      this.running.delete(key);
    }
  }

  private async clickOnce(actor: Actor, p: ParamsOf<'message.action'>): Promise<Result> {
    const { ctx } = this;
    const { message, conversation } = await requireMessage(ctx, p.seq, actor.userId);
    if (message.conversationId !== p.conversationId) throw noSuchMessage();
    // A retry of a counted click is answered first: the bot's update may have taken the button away.
    const earlier = await ctx.store.buttons.findClick(actor.userId, p.clientId);
    if (earlier !== undefined) return earlier ?? { outcome: 'done' };
    const action = message.deleted ? undefined : message.actions?.find((a) => a.id === p.actionId);
    if (!action) throw new HubError('not_found', 'no such button on this message');
    await this.rate.take(actor.userId, ctx.clock());
    const claim = await ctx.store.buttons.claimClick({
      seq: message.seq,
      actionId: action.id,
      userId: actor.userId,
      clientId: p.clientId,
      multi: action.multi === true,
      ts: ctx.clock(),
    });
    if (claim.kind === 'already_clicked') throw new HubError('already_clicked', 'you have already clicked this button');
    if (claim.kind === 'repeat') {
      // The first call is still running on a hub that restarted since: it was counted, say so.
      return claim.outcome ?? { outcome: 'done' };
    }
    try {
      const user = await ctx.store.accounts.findUserById(actor.userId);
      const answer = await this.caller.call(message.senderId, {
        type: 'action',
        conversation: callbackConversation(conversation),
        message,
        action: { id: action.id, value: action.value },
        user: user ? callbackUser(user) : { id: actor.userId },
      });
      const outcome = await this.apply(message, answer);
      await ctx.store.buttons.recordOutcome(claim.clickId, outcome);
      return outcome;
    } catch (err) {
      // Refused or unanswered: not counted, so the person may try again.
      await ctx.store.buttons.releaseClick(claim.clickId);
      throw err;
    }
  }

  /** Turns the bot's answer into the click's outcome (editing the message for `update`). */
  private async apply(message: Message, answer: Record<string, unknown>): Promise<ClickOutcome> {
    if (typeof answer.refuse === 'string') throw new HubError('refused', answer.refuse.slice(0, 1000) || 'refused');
    if (typeof answer.ephemeral === 'string') return { outcome: 'ephemeral', text: answer.ephemeral.slice(0, 4000) };
    const update = answer.update;
    if (update === undefined) return { outcome: 'done' };
    if (typeof update !== 'object' || update === null || Array.isArray(update))
      throw new HubError('bot_unavailable', 'the bot answered an "update" that is not an object');
    try {
      const u = update as Record<string, unknown>;
      const texts = new SlackTexts();
      const text = u.text === undefined ? message.text : u.text;
      if (typeof text !== 'string') throw new HubError('bad_request', '"update.text" must be a string');
      const content = {
        text,
        attachments:
          u.attachments === undefined ? (message.attachments ?? []) : normalizeAttachments(u.attachments, texts),
        blocks: u.blocks === undefined ? (message.blocks ?? []) : convertBlocks(u.blocks ?? [], texts, 'update.blocks'),
        actions: u.actions === undefined ? (message.actions ?? []) : checkActions(u.actions, 'update.actions'),
        saysAll: texts.saysAll,
      };
      await this.changes.replace(botActor(message.senderId), message.seq, content);
      return { outcome: 'updated' };
    } catch (err) {
      if (err instanceof HubError && err.code !== 'bad_request' && err.code !== 'too_long') throw err;
      const why = err instanceof Error ? err.message : String(err);
      this.ctx.log.warn({ botId: message.senderId, why }, 'a bot answered a click with an update the hub refused');
      throw new HubError('bot_unavailable', `the bot's update was refused: ${why}`);
    }
  }
}
