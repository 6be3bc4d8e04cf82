import type { Conversation, Message, MessageUpdate } from '../../common/protocol/model.ts';
import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import { requireMember, requireMessage } from './access.ts';
import { refuseArchived } from './archivedRoom.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import { checkActions } from './MessageButtons.ts';
import { mayMentionAll } from './messageRules.ts';
import { parseMentions } from './parseMentions.ts';
import type { PendingSend, SendQueue } from './SendQueue.ts';
import { SenderOrder } from './SenderOrder.ts';
import { UserRateLimit } from './UserRateLimit.ts';

/** What an integration's message may carry beyond a person's. */
export interface PostExtras {
  kind?: 'text' | 'announcement';
  displayName?: string;
  attachments?: Message['attachments'];
  /** Block Kit blocks as the hub keeps them; they count against the size limit like attachments. */
  blocks?: Message['blocks'];
  /** Buttons (bots only, issue 18; checked by hub/ops/MessageButtons.ts checkActions). */
  actions?: Message['actions'];
  /**
   * The cards (attachments, blocks) mention the whole channel (`<!here>` in Grafana's pretext):
   * notifies like `@all` in the text, where the sender may.
   */
  cardsSayAll?: boolean;
}

/** History page size when the client does not ask for one. */
const defaultHistoryPage = 50;
const utf8 = new TextEncoder();
const clientIdPattern = /^[A-Za-z0-9_-]{8,64}$/;

/** Reading and writing messages, read markers and conversation lists. */
export class Messaging {
  private readonly sendLimit: UserRateLimit;
  private readonly order = new SenderOrder();

  constructor(
    private readonly ctx: HubContext,
    private readonly queue: SendQueue,
    sendRate: { perSecond: number; burst: number },
  ) {
    this.sendLimit = new UserRateLimit(sendRate, 'you are sending messages too fast', {
      limits: ctx.sharedLimits,
      kind: 'send',
    });
  }

  /**
   * Messages and updates (edits, deletions, reactions, pins) after `since` in every conversation
   * the actor is in now, each oldest first: the `limit` lowest seqs of both together. The client's
   * next `since` is the highest seq of either.
   */
  async sync(
    actor: Actor,
    p: ParamsOf<'sync'>,
  ): Promise<{ messages: Message[]; updates: MessageUpdate[]; more: boolean }> {
    const limit = clampLimit(p.limit, this.ctx.limits.syncPageMax, this.ctx.limits.syncPageMax);
    const found = await this.ctx.store.messages.since(actor.userId, p.since, limit);
    const seqs = [...found.messages.map((m) => m.seq), ...found.updates.map((u) => u.seq)].sort((x, y) => x - y);
    if (seqs.length <= limit) return { ...found, more: false };
    // The store read one item past the page: cut both lists at the page's highest seq.
    const last = seqs[limit - 1]!;
    return {
      messages: found.messages.filter((m) => m.seq <= last),
      updates: found.updates.filter((u) => u.seq <= last),
      more: true,
    };
  }

  /** The actor's conversations with their unread state. */
  async listConversations(actor: Actor): Promise<Conversation[]> {
    return this.ctx.store.conversations.listFor(actor.userId);
  }

  /**
   * A page of a conversation's messages, oldest first; members only. `before` (or none): the
   * `limit` newest before it. `after`: the `limit` oldest after it. `around`: up to half the page
   * older than it, the message itself and the rest newer (a search hit or a link opened deep in
   * history). `more`: older messages exist before the page; `newer`: newer ones exist after it
   * (always false for `before`, whose page ends at the newest or at the cursor).
   */
  async history(actor: Actor, p: ParamsOf<'history'>): Promise<{ messages: Message[]; more: boolean; newer: boolean }> {
    await requireMember(this.ctx, p.conversationId, actor.userId);
    const cursors = [p.before, p.after, p.around].filter((c) => c !== undefined).length;
    if (cursors > 1) throw new HubError('bad_request', 'give at most one of `before`, `after` and `around`');
    const { historyPageMax } = this.ctx.limits;
    const limit = clampLimit(p.limit, Math.min(defaultHistoryPage, historyPageMax), historyPageMax);
    const { messages } = this.ctx.store;
    if (p.after !== undefined) {
      const rows = await messages.after(p.conversationId, p.after, limit);
      const older = await messages.before(p.conversationId, p.after + 1, 0);
      return { messages: rows.slice(0, limit), more: older.length > 0, newer: rows.length > limit };
    }
    if (p.around !== undefined) {
      const olderCount = Math.floor((limit - 1) / 2);
      const newerCount = limit - olderCount;
      // The older half, then the message itself and the newer half (from seq `around` on).
      const older = olderCount > 0 ? await messages.before(p.conversationId, p.around, olderCount) : [];
      const newer = await messages.after(p.conversationId, p.around - 1, newerCount);
      const more =
        olderCount > 0 ? older.length > olderCount : (await messages.before(p.conversationId, p.around, 0)).length > 0;
      return {
        messages: [...older.slice(0, olderCount).reverse(), ...newer.slice(0, newerCount)],
        more,
        newer: newer.length > newerCount,
      };
    }
    const rows = await messages.before(p.conversationId, p.before ?? Number.MAX_SAFE_INTEGER, limit);
    return { messages: rows.slice(0, limit).reverse(), more: rows.length > limit, newer: false };
  }

  /** Validates a message and queues it for the next group commit; resolves after the commit. */
  async send(actor: Actor, p: ParamsOf<'send'>): Promise<Message> {
    const { actions, ...rest } = p;
    if (actions === undefined || actions.length === 0) return this.submit(actor, rest, {});
    // A click calls the posting bot back: a person has no callback to answer it.
    if (!actor.isBot) throw new HubError('forbidden', 'only bots post buttons');
    return this.submit(actor, rest, { actions: checkActions(actions) });
  }

  /**
   * An integration's message (HTTP API, webhooks, announcements): the same checks, limits and group
   * commit as {@link send}, plus a kind, a display name and attachment cards. The text may be
   * empty when there are attachments; text and attachments each count against the size limit.
   */
  async post(actor: Actor, p: ParamsOf<'send'>, extras: PostExtras): Promise<Message> {
    return this.submit(actor, p, extras);
  }

  private async submit(actor: Actor, p: ParamsOf<'send'>, extras: PostExtras): Promise<Message> {
    // The protocol checks this too; other callers (HTTP API) must not reach the `sys:` space.
    if (!clientIdPattern.test(p.clientId))
      throw new HubError('bad_request', 'a client id is 8 to 64 of A-Z a-z 0-9 _ -');
    const turn = this.order.enter(actor.userId);
    try {
      return await this.prepareAndQueue(actor, p, extras, turn.ready, turn.release);
    } finally {
      turn.release();
    }
  }

  /** The checks and lookups of a send, then its place in the group commit once its turn has come. */
  private async prepareAndQueue(
    actor: Actor,
    p: ParamsOf<'send'>,
    extras: PostExtras,
    turn: Promise<void>,
    joined: () => void,
  ): Promise<Message> {
    const { ctx } = this;
    // A resend (the ack was lost) returns the original, whatever else has changed since.
    const inFlight = this.queue.inFlight(actor.userId, p.clientId);
    if (inFlight) return inFlight;
    const original = await ctx.store.messages.findByClientId(actor.userId, p.clientId);
    if (original) {
      void this.queue.republish(original); // several nodes: its first publish may have died with its node
      return original;
    }

    const hasAttachments = (extras.attachments?.length ?? 0) > 0 || (extras.blocks?.length ?? 0) > 0;
    const files = p.files ?? [];
    const forward = p.forward;
    if (forward !== undefined) {
      // The hub copies the original's text and files: the request brings none of its own.
      if (p.text !== '' || files.length > 0 || hasAttachments)
        throw new HubError('bad_request', 'a forward carries no text or files of its own: send them separately');
      if (p.replyTo !== undefined) throw new HubError('bad_request', 'a forward cannot be a reply');
    }
    if (files.length > ctx.limits.maxFilesPerMessage)
      throw new HubError(
        'bad_request',
        `a message may carry ${ctx.limits.maxFilesPerMessage} files; this one has ${files.length}`,
      );
    if (new Set(files).size !== files.length) throw new HubError('bad_request', 'the same file is attached twice');
    if (forward === undefined && p.text.trim().length === 0 && !hasAttachments && files.length === 0)
      throw new HubError('bad_request', 'the message is empty');
    const bytes = utf8.encode(p.text).length;
    if (bytes > ctx.limits.maxTextBytes) {
      throw new HubError('too_long', `the message is ${bytes} bytes; the limit is ${ctx.limits.maxTextBytes} bytes`);
    }
    if (hasAttachments) {
      const cardBytes = utf8.encode(JSON.stringify([extras.attachments ?? [], extras.blocks ?? []])).length;
      if (cardBytes > ctx.limits.maxTextBytes) {
        throw new HubError(
          'too_long',
          `the attachments and blocks are ${cardBytes} bytes; the limit is ${ctx.limits.maxTextBytes} bytes`,
        );
      }
    }
    const { conversation } = await requireMember(ctx, p.conversationId, actor.userId);
    refuseArchived(conversation);
    if (p.replyTo !== undefined) await checkReplyTarget(ctx, p.replyTo, p.conversationId);
    if (forward !== undefined) await checkForwardSource(ctx, forward, actor.userId);
    await this.sendLimit.take(actor.userId, ctx.clock());

    // A forward never pings anyone: its text was written for another conversation.
    const { mentions, saysAll } =
      forward === undefined ? await parseMentions(ctx.store.accounts, p.text) : { mentions: [], saysAll: false };
    const pending: PendingSend = {
      conversationId: p.conversationId,
      senderId: actor.userId,
      clientId: p.clientId,
      text: p.text,
      mentions,
      // An announcement is for everyone in the conversation: it notifies like @all.
      mentionsAll:
        extras.kind === 'announcement' ||
        ((saysAll || extras.cardsSayAll === true) && mayMentionAll(actor, conversation)),
    };
    if (extras.kind) pending.kind = extras.kind;
    if (extras.displayName !== undefined) pending.displayName = extras.displayName;
    if (extras.attachments && extras.attachments.length > 0) pending.attachments = extras.attachments;
    if (extras.blocks && extras.blocks.length > 0) pending.blocks = extras.blocks;
    if (extras.actions && extras.actions.length > 0) pending.actions = extras.actions;
    if (files.length > 0) pending.files = files;
    if (p.replyTo !== undefined) pending.replyTo = p.replyTo;
    if (forward !== undefined) pending.forward = forward;
    await turn;
    const stored = this.queue.enqueue(pending);
    joined();
    return stored;
  }

  /** Moves the actor's read marker forward and tells all their devices. */
  async markRead(actor: Actor, p: ParamsOf<'read'>): Promise<{ readSeq: number }> {
    const { ctx } = this;
    await requireMember(ctx, p.conversationId, actor.userId);
    const state = await ctx.store.messages.advanceRead(p.conversationId, actor.userId, p.seq);
    // Left between the check and the write: nothing to move.
    if (!state) throw new HubError('forbidden', 'join the room first');
    if (!state.moved) return { readSeq: state.readSeq };
    ctx.events.publish({
      audience: { to: 'users', userIds: [actor.userId] },
      frame: {
        type: 'unread',
        conversationId: p.conversationId,
        readSeq: state.readSeq,
        unread: state.unread,
        mentions: state.mentions,
      },
    });
    return { readSeq: state.readSeq };
  }
}

/**
 * A reply answers a message of the same conversation (a deleted one too: its quote says so).
 * Checked here for a clear error; the store checks again when it commits (`bad_reply`).
 */
async function checkReplyTarget(ctx: HubContext, seq: number, conversationId: number): Promise<void> {
  const target = await ctx.store.messages.get(seq);
  if (!target || target.conversationId !== conversationId)
    throw new HubError('not_found', `message ${seq} (replied to) is not a message of this conversation`);
}

/**
 * A forward copies a message the sender can read now (a member of its conversation, or the
 * general room), not deleted and not a system message. Checked here for a clear error; the store
 * checks again when it commits (`bad_forward`).
 */
async function checkForwardSource(ctx: HubContext, seq: number, userId: number): Promise<void> {
  let message: Message;
  try {
    ({ message } = await requireMessage(ctx, seq, userId));
  } catch (err) {
    if (err instanceof HubError && (err.code === 'not_found' || err.code === 'forbidden'))
      throw new HubError('not_found', `message ${seq} (to forward) is unknown or not in a conversation you are in`);
    throw err;
  }
  if (message.deleted) throw new HubError('not_found', `message ${seq} (to forward) was deleted`);
  if (message.kind === 'system') throw new HubError('bad_request', 'a system message cannot be forwarded');
}

function clampLimit(requested: number | undefined, fallback: number, max: number): number {
  return Math.max(1, Math.min(requested ?? fallback, max));
}
