import type { Message } from '../../common/protocol/model.ts';
import type { AppendOutcome, AppendRequest } from '../store/MessageStore.ts';
import { notFound } from './access.ts';
import { conversationAudience } from './audience.ts';
import type { HubContext } from './HubContext.ts';
import type { Audience } from './HubEvent.ts';
import { HubError } from './HubError.ts';
import { toHubError } from './toHubError.ts';

/** A validated message waiting for the next group commit. */
export interface PendingSend {
  conversationId: number;
  senderId: number;
  clientId: string;
  text: string;
  mentions: number[];
  mentionsAll: boolean;
  /** `text` unless an integration posts an announcement. */
  kind?: 'text' | 'announcement';
  /** Integrations: a display name (webhook `username`) and attachment cards. */
  displayName?: string;
  attachments?: Message['attachments'];
  /** Block Kit blocks (webhooks, bots), as the hub keeps them. */
  blocks?: Message['blocks'];
  /** Buttons (bots only, issue 18). */
  actions?: Message['actions'];
  /** Ids of the sender's own uploads, attached in this order when the message is stored. */
  files?: readonly string[];
  /** The seq of the message (same conversation) this one answers. */
  replyTo?: number;
  /** The seq of a message whose text and files the store copies into this one. */
  forward?: number;
}

interface Entry extends PendingSend {
  resolve(message: Message): void;
  reject(err: unknown): void;
}

/** The most messages written in one group commit. */
const maxBatch = 2000;

/**
 * Group commit: every send that arrives within one turn of the event loop is written in ONE
 * atomic store write (one fsync with `synchronous=FULL`), then each is acknowledged and published.
 * A failed commit (disk full) rejects the whole batch and leaves nothing of it behind.
 */
export class SendQueue {
  private queue: Entry[] = [];
  private scheduled = false;
  /** The commit in progress (batches never overlap). */
  private committing: Promise<void> = Promise.resolve();
  /** Sends waiting for the commit, by sender and client id: a resend joins the first one. */
  private readonly pending = new Map<string, Promise<Message>>();

  constructor(
    private readonly ctx: HubContext,
    /** Told after a batch committed (bot deliveries were queued with it: the worker looks now). */
    private readonly afterCommit: () => void = () => {},
    /**
     * Several hub nodes: a resend of a stored message is published again ({@link republish}).
     * A single hub publishes in the same turn as its commit, so a stored message was always heard.
     */
    private readonly republishResends = false,
  ) {}

  /** The in-flight send of this sender and client id, if one is waiting for its commit. */
  inFlight(senderId: number, clientId: string): Promise<Message> | undefined {
    return this.pending.get(key(senderId, clientId));
  }

  /** Queues a message; resolves with the stored message once its batch is durable. */
  enqueue(send: PendingSend): Promise<Message> {
    const promise = new Promise<Message>((resolve, reject) => {
      this.queue.push({ ...send, resolve, reject });
    });
    const k = key(send.senderId, send.clientId);
    this.pending.set(k, promise);
    const forget = () => this.pending.delete(k);
    promise.then(forget, forget);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    return promise;
  }

  /** Writes everything queued now (also used by close); resolves when those batches are committed. */
  flush(): Promise<void> {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, maxBatch);
      // Batches commit one after another, in the order they were queued.
      this.committing = this.committing.then(() => this.commit(batch));
    }
    return this.committing;
  }

  private async commit(batch: Entry[]): Promise<void> {
    const { ctx } = this;
    let outcomes: AppendOutcome[];
    const now = ctx.clock();
    try {
      outcomes = await ctx.store.messages.appendBatch(batch.map((entry) => toRequest(entry, now)));
    } catch (err) {
      const error = toHubError(err, ctx.log, 'send');
      ctx.log.warn({ count: batch.length, code: error.code }, 'message batch not stored');
      for (const entry of batch) entry.reject(error);
      return;
    }
    ctx.log.debug({ count: batch.length }, 'message batch committed');
    this.afterCommit();
    const unread: Promise<void>[] = [];
    outcomes.forEach((outcome, i) => {
      const entry = batch[i]!;
      if (outcome.kind === 'refused') {
        entry.reject(refusal(outcome));
        return;
      }
      entry.resolve(outcome.message);
      if (outcome.kind === 'duplicate') {
        void this.republish(outcome.message);
        return;
      }
      const audience: Audience =
        outcome.audience === 'everyone' ? { to: 'everyone' } : { to: 'users', userIds: outcome.audience };
      // Published before the ack is written (the resolve above runs its callbacks later): the
      // sender's sockets get the message, then the ack, and are flushed first (ackTo).
      ctx.events.publish({
        audience,
        frame: { type: 'message', message: outcome.message },
        ackTo: outcome.message.senderId,
      });
      // The sender's other devices hear that earlier unread messages are read now.
      if (outcome.clearedUnread) unread.push(this.publishUnread(outcome.message));
    });
    await Promise.all(unread);
  }

  /**
   * A resend of a message already stored (the sender never got its ack). With several nodes the
   * node that stored it may have died between its COMMIT and its publish — the ack is written
   * after the publish, so a sender without an ack is exactly who asks again — and then nobody
   * heard of it live, and clients whose cursor passed its seq would never catch it up. So it is
   * published again, from this node, to its conversation as it is now (clients keep messages by
   * seq: a repeat changes nothing). Never rejects.
   */
  async republish(message: Message): Promise<void> {
    if (!this.republishResends) return;
    const { ctx } = this;
    try {
      const conversation = await ctx.store.conversations.find(message.conversationId);
      if (!conversation) return;
      ctx.events.publish({
        audience: await conversationAudience(ctx, conversation),
        frame: { type: 'message', message },
        ackTo: message.senderId,
      });
    } catch (err) {
      ctx.log.warn({ err, seq: message.seq }, 'could not publish a resent message again');
    }
  }

  private async publishUnread(message: Message): Promise<void> {
    const { ctx } = this;
    try {
      const state = await ctx.store.messages.readState(message.conversationId, message.senderId);
      const readSeq = state?.readSeq ?? message.seq;
      ctx.events.publish({
        audience: { to: 'users', userIds: [message.senderId] },
        frame: {
          type: 'unread',
          conversationId: message.conversationId,
          readSeq,
          unread: state?.unread ?? 0,
          mentions: state?.mentions ?? 0,
        },
        ephemeral: false,
      });
    } catch (err) {
      // The message is stored and acknowledged; a missed counter update is corrected by the next read.
      toHubError(err, ctx.log, 'unread');
    }
  }
}

function toRequest(entry: Entry, ts: number): AppendRequest {
  const request: AppendRequest = {
    conversationId: entry.conversationId,
    senderId: entry.senderId,
    clientId: entry.clientId,
    kind: entry.kind ?? 'text',
    text: entry.text,
    ts,
    mentions: entry.mentions,
    mentionsAll: entry.mentionsAll,
  };
  if (entry.displayName !== undefined) request.displayName = entry.displayName;
  if (entry.attachments) request.attachments = entry.attachments;
  if (entry.blocks) request.blocks = entry.blocks;
  if (entry.actions) request.actions = entry.actions;
  if (entry.files) request.files = entry.files;
  if (entry.replyTo !== undefined) request.replyTo = entry.replyTo;
  if (entry.forward !== undefined) request.forward = entry.forward;
  return request;
}

/** The error a refused message answers with. */
function refusal(outcome: Extract<AppendOutcome, { kind: 'refused' }>): HubError {
  if (outcome.reason === 'not_found') return notFound();
  if (outcome.reason === 'bad_file')
    // A client that kept a file id too long (unused uploads are removed after 24 h) uploads the file again.
    return new HubError(
      'not_found',
      `file ${outcome.fileId} is not an upload of yours (unknown, or removed as unused): upload it again`,
    );
  // Checked before queueing too; these come from a change between that check and the commit.
  if (outcome.reason === 'bad_reply')
    return new HubError('not_found', 'the message replied to is not a message of this conversation');
  if (outcome.reason === 'bad_forward')
    return new HubError(
      'not_found',
      'the message to forward is gone, deleted, or no longer in a conversation you are in',
    );
  return new HubError('forbidden', 'join the room first');
}

function key(senderId: number, clientId: string): string {
  return `${senderId}\u0000${clientId}`;
}
