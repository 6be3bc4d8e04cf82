import type { Message } from '../../common/protocol/model.ts';
import { findConversation, setLastMessage } from '../store/conversations.ts';
import { findMember } from '../store/members.ts';
import { findByClientId, insertMessage } from '../store/messages.ts';
import { advanceReadSeq, unreadCounts } from '../store/reads.ts';
import { requireMember } from './access.ts';
import { conversationAudience } from './audience.ts';
import type { HubContext } from './HubContext.ts';
import type { Audience, HubEvent } from './HubEvent.ts';
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
}

interface Entry extends PendingSend {
  resolve(message: Message): void;
  reject(err: unknown): void;
}

type Outcome = { entry: Entry } & (
  | { kind: 'stored'; message: Message; audience: Audience; clearedUnread: boolean; isDirect: boolean }
  | { kind: 'duplicate'; message: Message }
  | { kind: 'failed'; error: unknown }
);

/** The most messages written in one transaction. */
const maxBatch = 2000;

/**
 * Group commit: every send that arrives within one turn of the event loop is written in ONE
 * transaction (one fsync with `synchronous=FULL`), then each is acknowledged and published.
 * A failed commit (disk full) rejects the whole batch and leaves nothing of it behind.
 */
export class SendQueue {
  private queue: Entry[] = [];
  private scheduled = false;
  /** Sends waiting for the commit, by sender and client id: a resend joins the first one. */
  private readonly pending = new Map<string, Promise<Message>>();

  constructor(private readonly ctx: HubContext) {}

  /** The in-flight send of this sender and client id, if one is waiting for its commit. */
  inFlight(senderId: number, clientId: string): Promise<Message> | undefined {
    return this.pending.get(key(senderId, clientId));
  }

  /** Queues a message; resolves with the stored message after its transaction has committed. */
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
      setImmediate(() => this.flush());
    }
    return promise;
  }

  /** Writes everything queued now (also used by close). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, maxBatch);
      this.commit(batch);
    }
  }

  private commit(batch: Entry[]): void {
    const { ctx } = this;
    let outcomes: Outcome[];
    try {
      // Members are read once per conversation per batch, not once per message.
      const audiences = new Map<number, Audience>();
      // IMMEDIATE takes the write lock up front, so another connection (the admin CLI) makes us
      // wait out the busy timeout instead of failing the upgrade from a read transaction.
      outcomes = ctx.db.transaction(() => batch.map((entry) => this.write(entry, audiences))).immediate();
    } catch (err) {
      const error = toHubError(err, ctx.log, 'send');
      ctx.log.warn({ count: batch.length, code: error.code }, 'message batch not stored');
      for (const entry of batch) entry.reject(error);
      return;
    }
    ctx.log.debug({ count: batch.length }, 'message batch committed');
    for (const outcome of outcomes) {
      if (outcome.kind === 'failed') {
        outcome.entry.reject(toHubError(outcome.error, ctx.log, 'send'));
        continue;
      }
      outcome.entry.resolve(outcome.message);
      if (outcome.kind === 'duplicate') continue;
      const events: HubEvent[] = [{ audience: outcome.audience, frame: { type: 'message', message: outcome.message } }];
      if (outcome.clearedUnread) events.push(this.unreadEvent(outcome.message, outcome.isDirect));
      for (const event of events) ctx.events.publish(event);
    }
  }

  /** Writes one message inside the batch transaction; logical refusals do not abort the batch. */
  private write(entry: Entry, audiences: Map<number, Audience>): Outcome {
    const { ctx } = this;
    const existing = findByClientId(ctx.db, entry.senderId, entry.clientId);
    if (existing) return { entry, kind: 'duplicate', message: existing };
    try {
      // Checked again at commit time: the sender may have left in the same turn.
      requireMember(ctx, entry.conversationId, entry.senderId);
    } catch (error) {
      return { entry, kind: 'failed', error };
    }
    const conversation = findConversation(ctx.db, entry.conversationId)!;
    const before = findMember(ctx.db, entry.conversationId, entry.senderId)!;
    const message = insertMessage(ctx.db, {
      conversationId: entry.conversationId,
      senderId: entry.senderId,
      clientId: entry.clientId,
      kind: entry.kind ?? 'text',
      text: entry.text,
      ts: ctx.clock(),
      mentions: entry.mentions,
      mentionsAll: entry.mentionsAll,
      displayName: entry.displayName,
      attachments: entry.attachments,
    });
    setLastMessage(ctx.db, entry.conversationId, message.seq, message.ts);
    let audience = audiences.get(conversation.id);
    if (!audience) {
      audience = conversationAudience(ctx, conversation);
      audiences.set(conversation.id, audience);
    }
    // Writing in a conversation means having read it up to there.
    advanceReadSeq(ctx.db, entry.conversationId, entry.senderId, message.seq);
    return {
      entry,
      kind: 'stored',
      message,
      audience,
      // The sender's other devices hear that earlier unread messages are read now.
      clearedUnread: before.read_seq < conversation.last_seq,
      isDirect: conversation.kind === 'direct',
    };
  }

  private unreadEvent(message: Message, isDirect: boolean): HubEvent {
    const { ctx } = this;
    const member = findMember(ctx.db, message.conversationId, message.senderId);
    const readSeq = member?.read_seq ?? message.seq;
    const counts = unreadCounts(ctx.db, message.conversationId, message.senderId, readSeq, isDirect);
    return {
      audience: { to: 'users', userIds: [message.senderId] },
      frame: { type: 'unread', conversationId: message.conversationId, readSeq, ...counts },
      ephemeral: false,
    };
  }
}

function key(senderId: number, clientId: string): string {
  return `${senderId}\u0000${clientId}`;
}
