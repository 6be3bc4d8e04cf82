import { randomUUID } from 'node:crypto';
import { isOneEmoji, type ParamsOf } from '../../common/protocol/clientFrame.ts';
import type { Attachment, Block, Message, MessageAction } from '../../common/protocol/model.ts';
import type { ChangeOutcome, MessageChange } from '../store/MessageStore.ts';
import { noSuchMessage, notMember, requireMember, requireMessage, type MessageAccess } from './access.ts';
import { refuseArchived } from './archivedRoom.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import type { HubFiles } from './HubFiles.ts';
import { checkDelete, checkEdit, checkPin, checkReact, deletedError, mayMentionAll } from './messageRules.ts';
import { parseMentions } from './parseMentions.ts';
import { UserRateLimit } from './UserRateLimit.ts';

const utf8 = new TextEncoder();
const clientIdPattern = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * Edits, deletions, reactions and pins of stored messages (docs/protocol.md, "Message actions").
 * Each call checks who may do it on what the store shows (messageRules.ts), then asks the store
 * for ONE atomic change that re-checks membership and the message's state; an applied change has
 * its own seq and is published to the conversation's audience as `message.updated`. A repeated
 * client id, and a change that changes nothing, answer the message as it is and publish nothing.
 */
export class MessageChanges {
  private readonly rate: UserRateLimit;

  constructor(
    private readonly ctx: HubContext,
    /** Removes the blobs a deletion freed (the blob store is the file part's). */
    private readonly files: Pick<HubFiles, 'releaseBlobs'>,
    rate: { perSecond: number; burst: number },
  ) {
    this.rate = new UserRateLimit(rate, 'you are changing messages too fast', {
      limits: ctx.sharedLimits,
      kind: 'change',
    });
  }

  /** Replaces the text of the actor's own message; mentions are read again from the new text. */
  async edit(actor: Actor, p: ParamsOf<'message.edit'>): Promise<Message> {
    const { ctx } = this;
    const access = await this.begin(actor, p.clientId, p.seq);
    if (access.repeat) return access.message;
    const { message, conversation } = access;
    checkEdit(actor, message, ctx.limits.editWindowMs, ctx.clock());
    const bytes = utf8.encode(p.text).length;
    if (bytes > ctx.limits.maxTextBytes)
      throw new HubError('too_long', `the message is ${bytes} bytes; the limit is ${ctx.limits.maxTextBytes} bytes`);
    const carriesMore = (message.files?.length ?? 0) > 0 || (message.attachments?.length ?? 0) > 0;
    if (p.text.trim().length === 0 && !carriesMore)
      throw new HubError('bad_request', 'the message would be empty: delete it instead');
    const parsed = await parseMentions(ctx.store.accounts, p.text);
    // Only members are mentioned (an edit must not notify someone outside the conversation).
    let mentions = parsed.mentions;
    if (mentions.length > 0 && conversation.kind !== 'general') {
      const members = new Set(await ctx.store.conversations.memberIds(conversation.id));
      mentions = mentions.filter((id) => members.has(id));
    }
    // The same rule as a send; an @all added by an edit is stored but does not notify everyone again.
    const mentionsAll = parsed.saysAll && mayMentionAll(actor, conversation);
    const change = { kind: 'edit', text: p.text, mentions, mentionsAll } as const;
    return this.apply(actor, p.clientId, access, change);
  }

  /**
   * A bot's replace (`POST /api/v1/messages` with `replace: true`): the actor's own message gets
   * new text and cards (attachments, blocks) through the edit path — one `message.updated` in
   * the one sequence, `editedAt` set — and nothing at all when they are as stored (`changed`
   * false). Not bound by the edit window: 1C re-posts a document whenever it is posted again.
   * Files stay as they are (the caller refuses new ones).
   */
  async replace(
    actor: Actor,
    seq: number,
    content: { text: string; attachments: Attachment[]; blocks: Block[]; saysAll: boolean; actions?: MessageAction[] },
  ): Promise<{ message: Message; changed: boolean }> {
    const { ctx } = this;
    const access = await requireMessage(ctx, seq, actor.userId);
    refuseArchived(access.conversation);
    const { message, conversation } = access;
    checkEdit(actor, message, 0, ctx.clock());
    const bytes = utf8.encode(content.text).length;
    if (bytes > ctx.limits.maxTextBytes)
      throw new HubError('too_long', `the message is ${bytes} bytes; the limit is ${ctx.limits.maxTextBytes} bytes`);
    const cards = [content.attachments, content.blocks];
    const cardBytes = utf8.encode(JSON.stringify(cards)).length;
    if (cardBytes > ctx.limits.maxTextBytes)
      throw new HubError(
        'too_long',
        `the attachments and blocks are ${cardBytes} bytes; the limit is ${ctx.limits.maxTextBytes} bytes`,
      );
    if (content.text.trim().length === 0 && (message.files?.length ?? 0) === 0 && cards.every((c) => c.length === 0))
      throw new HubError('bad_request', 'the message would be empty');
    await this.rate.take(actor.userId, ctx.clock());
    const parsed = await parseMentions(ctx.store.accounts, content.text);
    let mentions = parsed.mentions;
    if (mentions.length > 0 && conversation.kind !== 'general') {
      const members = new Set(await ctx.store.conversations.memberIds(conversation.id));
      mentions = mentions.filter((id) => members.has(id));
    }
    const change = {
      kind: 'edit',
      text: content.text,
      mentions,
      mentionsAll: (parsed.saysAll || content.saysAll) && mayMentionAll(actor, conversation),
      attachments: content.attachments,
      blocks: content.blocks,
      // Undefined leaves the buttons as they are (issue 18).
      ...(content.actions !== undefined ? { actions: content.actions } : {}),
    } as const;
    // Each replace is a new change (identical content is caught by the store as unchanged).
    const before = message.rev ?? message.seq;
    const after = await this.apply(actor, `replace-${randomUUID()}`, access, change);
    return { message: after, changed: (after.rev ?? after.seq) !== before };
  }

  /** Deletes a message for everyone: its text, files, reactions, mentions and pin are removed from the hub. */
  async delete(actor: Actor, p: ParamsOf<'message.delete'>): Promise<Message> {
    const access = await this.begin(actor, p.clientId, p.seq);
    if (access.repeat) return access.message;
    checkDelete(actor, access.message, access.conversation);
    return this.apply(actor, p.clientId, access, { kind: 'delete' });
  }

  /** Adds or takes back the actor's reaction. */
  async react(actor: Actor, p: ParamsOf<'message.react'>): Promise<Message> {
    // The protocol validates the emoji too; other callers must not store text as a reaction.
    if (!isOneEmoji(p.emoji)) throw new HubError('bad_request', 'a reaction is one emoji');
    const access = await this.begin(actor, p.clientId, p.seq);
    if (access.repeat) return access.message;
    checkReact(access.message);
    const change = {
      kind: 'react',
      emoji: p.emoji,
      on: p.on,
      maxEmoji: this.ctx.limits.maxReactionsPerMessage,
    } as const;
    return this.apply(actor, p.clientId, access, change);
  }

  /** Pins or unpins a message (who may: the conversation's pin rule). */
  async pin(actor: Actor, p: ParamsOf<'message.pin'>): Promise<Message> {
    const access = await this.begin(actor, p.clientId, p.seq);
    if (access.repeat) return access.message;
    checkPin(actor, access.message, access.conversation);
    return this.apply(actor, p.clientId, access, { kind: 'pin', pinned: p.pinned });
  }

  /** The pinned messages of a conversation the actor is in, newest pin first. */
  async pins(actor: Actor, p: ParamsOf<'pins.list'>): Promise<Message[]> {
    await requireMember(this.ctx, p.conversationId, actor.userId);
    return this.ctx.store.messages.pinned(p.conversationId);
  }

  /**
   * The checks every change starts with: a client id, the rate, and a message the actor is a
   * member for. `repeat`: the actor made a change under this client id before (its
   * acknowledgement was lost): the answer is that message as it is now, without checking the
   * rules again — the edit window may have passed or the pin rule changed since it was applied.
   * Membership is still checked, so someone who left learns nothing new.
   */
  private async begin(actor: Actor, clientId: string, seq: number): Promise<MessageAccess & { repeat: boolean }> {
    if (!clientIdPattern.test(clientId)) throw new HubError('bad_request', 'a client id is 8 to 64 of A-Z a-z 0-9 _ -');
    const changed = await this.ctx.store.messages.changedBy(actor.userId, clientId);
    if (changed !== undefined) return { ...(await requireMessage(this.ctx, changed, actor.userId)), repeat: true };
    const access = await requireMessage(this.ctx, seq, actor.userId);
    refuseArchived(access.conversation);
    await this.rate.take(actor.userId, this.ctx.clock());
    return { ...access, repeat: false };
  }

  /** Asks the store for the change and publishes what it applied. */
  private async apply(actor: Actor, clientId: string, access: MessageAccess, change: MessageChange): Promise<Message> {
    const { ctx } = this;
    const outcome = await ctx.store.messages.applyChange({
      actorId: actor.userId,
      clientId,
      seq: access.message.seq,
      ts: ctx.clock(),
      change,
    });
    if (outcome.kind === 'refused') throw refusal(outcome, ctx.limits.maxReactionsPerMessage);
    if (outcome.kind !== 'applied') return outcome.message;
    const { update } = outcome;
    ctx.events.publish({
      audience: outcome.audience === 'everyone' ? { to: 'everyone' } : { to: 'users', userIds: outcome.audience },
      frame: { type: 'message.updated', update },
    });
    // Deletions are kept in the log (who removed what, when); the rest are everyday traffic.
    const entry = { seq: update.seq, target: update.message.seq, kind: update.kind, userId: actor.userId };
    if (update.kind === 'delete') ctx.log.info(entry, 'message deleted');
    else ctx.log.debug(entry, 'message changed');
    if (outcome.freedBlobs.length > 0) {
      // The deletion is committed; a blob left behind by a failure here is removed by the hourly sweep.
      try {
        await this.files.releaseBlobs(outcome.freedBlobs);
      } catch (err) {
        ctx.log.warn({ err, seq: update.message.seq }, 'could not remove the files of a deleted message');
      }
    }
    return update.message;
  }
}

/** The error for a change the store refused at commit time. */
function refusal(outcome: Extract<ChangeOutcome, { kind: 'refused' }>, maxReactions: number): HubError {
  switch (outcome.reason) {
    case 'not_found':
      return noSuchMessage();
    case 'not_member':
      return notMember();
    case 'deleted':
      return deletedError();
    case 'too_many_reactions':
      return new HubError(
        'too_many_reactions',
        `a message carries at most ${maxReactions} different reactions: add one of those already there`,
      );
  }
}
