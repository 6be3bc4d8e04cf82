import { isOneEmoji, type ParamsOf, type RequestType } from '../protocol/clientFrame.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { Message } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { SendOptions } from './Backend.ts';
import type { Outbox } from './Outbox.ts';
import type { ActionKind, OutboxAction, OutboxExtras } from './OutboxEntry.ts';
import { newClientId } from './newClientId.ts';
import { quoteOf } from './quoteOf.ts';
import { RequestError } from './RequestError.ts';
import type { StateStore } from './StateStore.ts';
import type { SyncEngine } from './SyncEngine.ts';
import { WindowNavigator } from './WindowNavigator.ts';

/** The parts of the client core that message actions work with. */
export interface MessageActionsParts {
  store: StateStore;
  outbox: Outbox;
  sync: SyncEngine;
  now(): number;
  /** Throws `signed_out` while nobody is signed in. */
  requireSession(): void;
  /** Null once the session's saved outbox is loaded; until then, the load to wait for. */
  outboxPending(): Promise<void> | null;
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
}

const encoder = new TextEncoder();

/**
 * What the user does to messages besides writing them: reply and forward (outbox sends), edit,
 * delete, react and pin (queued changes, shown at once and sent exactly once), the pinned list,
 * and bringing an older message into its window. The hub enforces who may do what; the checks
 * here only refuse what it is sure to refuse, before anything is queued.
 */
export class MessageActions {
  /** Windows opened around a message, paged forward, or back to the newest. */
  readonly navigator: WindowNavigator;

  constructor(private readonly parts: MessageActionsParts) {
    this.navigator = new WindowNavigator(parts);
  }

  /** What a send with these options carries: the reply's seq and, when the message is held, its quote. */
  sendExtras(conversationId: number, options: SendOptions | undefined): OutboxExtras {
    const replyTo = options?.replyTo;
    if (replyTo === undefined) return {};
    const held = this.held(conversationId, replyTo);
    return held ? { replyTo, quote: quoteOf(held) } : { replyTo };
  }

  /** Queues a forward of message `seq` of one conversation to another (shown at once as pending). */
  async forward(fromConversationId: number, seq: number, toConversationId: number): Promise<void> {
    this.parts.requireSession();
    const original = this.held(fromConversationId, seq) ?? (await this.fetch(fromConversationId, seq));
    if (!original) throw new RequestError(ErrorCode.NotFound, 'no such message');
    if (original.deleted || original.kind === 'system')
      throw new RequestError(ErrorCode.BadRequest, 'this message cannot be forwarded');
    const forwarded = original.forwarded ?? {
      senderId: original.senderId,
      ts: original.ts,
      ...(original.displayName !== undefined ? { displayName: original.displayName } : {}),
    };
    const extras: OutboxExtras = {
      forward: {
        seq,
        fromConversationId,
        text: original.text,
        forwarded,
        ...(original.files?.length ? { files: original.files } : {}),
        ...(original.attachments?.length ? { attachments: original.attachments } : {}),
      },
    };
    await this.outboxLoaded();
    await this.parts.outbox.add(toConversationId, '', [], extras);
  }

  /** Queues new text for one's own message. */
  async edit(conversationId: number, seq: number, text: string): Promise<void> {
    const held = this.held(conversationId, seq);
    if (text.trim().length === 0 && !held?.files?.length)
      throw new RequestError(ErrorCode.BadRequest, 'the message is empty');
    const limits = this.parts.sync.currentLimits();
    const bytes = encoder.encode(text).length;
    if (limits && bytes > limits.maxTextBytes)
      throw new RequestError(
        ErrorCode.TooLong,
        `the message is ${bytes} bytes; the limit is ${limits.maxTextBytes} bytes`,
      );
    await this.queue('edit', conversationId, seq, { text });
  }

  /** Queues deleting a message. */
  delete(conversationId: number, seq: number): Promise<void> {
    return this.queue('delete', conversationId, seq, {});
  }

  /** Queues putting on (or taking back) the user's reaction. */
  react(conversationId: number, seq: number, emoji: string, on: boolean): Promise<void> {
    if (!isOneEmoji(emoji)) return Promise.reject(new RequestError(ErrorCode.BadRequest, 'a reaction is one emoji'));
    return this.queue('react', conversationId, seq, { emoji, on });
  }

  /** Queues pinning or unpinning a message. */
  pin(conversationId: number, seq: number, pinned: boolean): Promise<void> {
    return this.queue('pin', conversationId, seq, { pinned });
  }

  /** The user saw why a change was refused. */
  async dismissChangeError(conversationId: number, seq: number): Promise<void> {
    this.parts.outbox.actions.dismiss(conversationId, seq);
  }

  /** Loads a conversation's pinned messages into the state (updates keep them current after that). */
  async loadPins(conversationId: number): Promise<void> {
    const { messages } = await this.parts.request('pins.list', { conversationId });
    if (!(conversationId in this.parts.store.state.conversations)) return;
    this.parts.store.setPins(conversationId, messages);
    void this.parts.sync.intake.loadUnknownUsers([
      ...new Set(messages.flatMap((m) => [m.senderId, ...(m.pinned ? [m.pinned.by] : [])])),
    ]);
  }

  /**
   * Brings message `seq` into its conversation's window: held already, or a window opened around it
   * (`history around`, see {@link WindowNavigator}). False when the hub has no such message the
   * user can see in this conversation.
   */
  async showMessage(conversationId: number, seq: number): Promise<boolean> {
    this.parts.requireSession();
    return this.navigator.showMessage(conversationId, seq);
  }

  private async queue(
    kind: ActionKind,
    conversationId: number,
    seq: number,
    fields: Pick<OutboxAction, 'text' | 'emoji' | 'on' | 'pinned'>,
  ): Promise<void> {
    this.parts.requireSession();
    if (!Number.isSafeInteger(seq) || seq <= 0)
      throw new RequestError(ErrorCode.BadRequest, 'a message the hub has not stored cannot be changed');
    // Normally loaded long ago: then the change shows synchronously, within this call.
    const loading = this.parts.outboxPending();
    if (loading) await loading;
    const action: OutboxAction = {
      clientId: newClientId(),
      kind,
      conversationId,
      seq,
      ...fields,
      createdAt: this.parts.now(),
    };
    await this.parts.outbox.actions.add(action);
  }

  private async outboxLoaded(): Promise<void> {
    const loading = this.parts.outboxPending();
    if (loading) await loading;
  }

  /** The message as the client holds it: in its window, among the pins or the announcements. */
  private held(conversationId: number, seq: number): Message | undefined {
    const { store, sync } = this.parts;
    const inWindow = sync.windows.find(conversationId, seq);
    if (inWindow) {
      const { status: _status, ...message } = inWindow;
      return message as Message;
    }
    const announcement = store.state.announcements[seq];
    if (announcement?.conversationId === conversationId) return announcement;
    return store.state.pins[conversationId]?.find((m) => m.seq === seq);
  }

  /** One message from the hub (not held: a link, a pin of another session). */
  private async fetch(conversationId: number, seq: number): Promise<Message | undefined> {
    const page = await this.parts.request('history', { conversationId, before: seq + 1, limit: 1 });
    return page.messages.find((m) => m.seq === seq);
  }
}
