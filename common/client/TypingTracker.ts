import type { Timers } from './Timers.ts';

/**
 * Who is typing where. A `typing` event lasts `ttlMs` (the hub's "about 5 s") unless repeated; a
 * message from the typist ends it at once.
 */
export class TypingTracker {
  private readonly typing = new Map<number, Map<number, unknown>>();

  constructor(
    private readonly timers: Timers,
    private readonly onChange: (conversationId: number, userIds: number[]) => void,
    private readonly ttlMs = 5000,
  ) {}

  /** `userId` is typing in `conversationId` (for the next `ttlMs`). */
  add(conversationId: number, userId: number): void {
    let users = this.typing.get(conversationId);
    if (!users) this.typing.set(conversationId, (users = new Map()));
    const had = users.has(userId);
    if (had) this.timers.clearTimeout(users.get(userId));
    users.set(
      userId,
      this.timers.setTimeout(() => this.remove(conversationId, userId), this.ttlMs),
    );
    if (!had) this.emit(conversationId);
  }

  /** `userId` stopped typing (sent the message). */
  remove(conversationId: number, userId: number): void {
    const users = this.typing.get(conversationId);
    if (!users || !users.has(userId)) return;
    this.timers.clearTimeout(users.get(userId));
    users.delete(userId);
    if (users.size === 0) this.typing.delete(conversationId);
    this.emit(conversationId);
  }

  /** Forgets one conversation (left it) or everything (reconnect, sign-out). */
  clear(conversationId?: number): void {
    const ids = conversationId === undefined ? [...this.typing.keys()] : [conversationId];
    for (const id of ids) {
      const users = this.typing.get(id);
      if (!users) continue;
      for (const timer of users.values()) this.timers.clearTimeout(timer);
      this.typing.delete(id);
      this.emit(id);
    }
  }

  private emit(conversationId: number): void {
    this.onChange(conversationId, [...(this.typing.get(conversationId)?.keys() ?? [])]);
  }
}
