import type { Message } from '../protocol/model.ts';
import type { ChangeError } from './actionOverlay.ts';
import { ConversationPauses } from './ConversationPauses.ts';
import type { OutboxAction } from './OutboxEntry.ts';
import { asRequestError, recoveryFor } from './outboxErrors.ts';
import type { Timers } from './Timers.ts';

/** What the action queue needs from the outbox and the client. */
export interface ActionQueueOptions {
  timers: Timers;
  /** Sends one action (message.edit/delete/react/pin) and resolves with the message as the hub has it now. */
  act(action: OutboxAction): Promise<Message>;
  /** The queued changes (or refusals) of this conversation changed: its window shows them again. */
  onChange(conversationId: number): void;
  /** Writes the outbox (messages and actions) to storage. */
  save(): Promise<void>;
  /** The hub acknowledged an action: here is the message as it is after it. */
  onActed(action: OutboxAction, message: Message): void;
}

/**
 * The user's changes to stored messages (edit, delete, react, pin) that the hub has not
 * acknowledged. Kept with the outbox (saved at once, so they survive a restart) and sent in the
 * order made, one at a time per conversation, each exactly once by its clientId (a repeat is
 * answered with the message as it is). A connection lost on the way waits for the next hello; a
 * refusal drops the change and is remembered as the message's `changeError` until dismissed.
 */
export class ActionQueue {
  private actions: OutboxAction[] = [];
  private online = false;
  /** Conversations with an action on its way to the hub. */
  private readonly inFlight = new Set<number>();
  private readonly paused: ConversationPauses;
  /** Bumped by stop/clear/load, so answers for a previous session's actions are ignored. */
  private epoch = 0;
  /** The hub's refusals, per conversation and seq, until the user dismisses them. */
  private readonly errors = new Map<number, Map<number, ChangeError>>();

  constructor(private readonly options: ActionQueueOptions) {
    this.paused = new ConversationPauses(options.timers, () => this.pump());
  }

  /** The queued actions, oldest first (what is saved). */
  list(): OutboxAction[] {
    return this.actions;
  }

  /** The queued actions of one conversation, oldest first. */
  forConversation(conversationId: number): OutboxAction[] {
    return this.actions.filter((a) => a.conversationId === conversationId);
  }

  /** The refusals of one conversation's messages, by seq (empty when none). */
  errorsFor(conversationId: number): ReadonlyMap<number, ChangeError> {
    return this.errors.get(conversationId) ?? noErrors;
  }

  /** Replaces the queue with saved actions (a session starts); nothing is sent before {@link resume}. */
  load(actions: readonly OutboxAction[]): void {
    this.stop();
    this.actions = [...actions];
    this.errors.clear();
    for (const id of new Set(this.actions.map((a) => a.conversationId))) this.options.onChange(id);
  }

  /** Queues an action: shown at once, saved before this resolves, sent when connected. */
  async add(action: OutboxAction): Promise<void> {
    this.actions.push(action);
    // A new attempt replaces the old refusal.
    this.forget(action.conversationId, action.seq);
    this.options.onChange(action.conversationId);
    await this.options.save();
    this.pump();
  }

  /** The user saw a refusal: it is no longer shown. */
  dismiss(conversationId: number, seq: number): void {
    if (this.forget(conversationId, seq)) this.options.onChange(conversationId);
  }

  /** Connected (hello received): start sending. */
  resume(): void {
    this.online = true;
    this.paused.endHelloPauses();
    this.pump();
  }

  /** Disconnected: stop sending until {@link resume}. */
  suspend(): void {
    this.online = false;
  }

  /** Stops sending and ignores the answers still on their way (their actions stay queued). */
  stop(): void {
    this.epoch++;
    this.online = false;
    this.paused.clear();
    this.inFlight.clear();
  }

  /** Forgets every action and refusal (sign-out); the caller saves. */
  clear(): void {
    this.stop();
    const ids = new Set([...this.actions.map((a) => a.conversationId), ...this.errors.keys()]);
    this.actions = [];
    this.errors.clear();
    for (const id of ids) this.options.onChange(id);
  }

  private forget(conversationId: number, seq: number): boolean {
    const map = this.errors.get(conversationId);
    if (!map?.delete(seq)) return false;
    if (map.size === 0) this.errors.delete(conversationId);
    return true;
  }

  private pump(): void {
    if (!this.online) return;
    const seen = new Set<number>();
    for (const action of this.actions) {
      const id = action.conversationId;
      // Only the oldest action of each conversation may go: the order of changes holds.
      if (seen.has(id)) continue;
      seen.add(id);
      if (this.inFlight.has(id) || this.paused.has(id)) continue;
      void this.sendOne(action);
    }
  }

  private async sendOne(action: OutboxAction): Promise<void> {
    const epoch = this.epoch;
    const id = action.conversationId;
    this.inFlight.add(id);
    let message: Message | null = null;
    let failure: unknown = null;
    try {
      message = await this.options.act(action);
    } catch (err) {
      failure = err;
    }
    if (epoch !== this.epoch) return;
    this.inFlight.delete(id);
    if (message) {
      // The hub's message first (its rev replaces what was held), then the overlay goes.
      this.options.onActed(action, message);
      this.remove(action);
      void this.options.save();
    } else {
      const error = asRequestError(failure);
      const recovery = recoveryFor(error, 'send', 0);
      if (recovery.fail) {
        this.remove(action);
        let map = this.errors.get(id);
        if (!map) this.errors.set(id, (map = new Map()));
        map.set(action.seq, { kind: action.kind, code: error.code, message: error.message });
        this.options.onChange(id);
        void this.options.save();
      } else if (recovery.pauseMs !== null) {
        this.paused.pause(id, recovery.pauseMs, recovery.endsOnHello);
      }
      // No pause: it waits for resume(), which comes with the next hello.
    }
    this.pump();
  }

  private remove(action: OutboxAction): void {
    const index = this.actions.indexOf(action);
    if (index < 0) return;
    this.actions.splice(index, 1);
    this.options.onChange(action.conversationId);
  }
}

const noErrors: ReadonlyMap<number, ChangeError> = new Map();
