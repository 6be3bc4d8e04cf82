import type { User } from '../protocol/model.ts';
import type { Timers } from './Timers.ts';

/** What the directory needs from its client. */
export interface UserDirectoryOptions {
  timers: Timers;
  /** `users.get` (at most 500 ids). */
  fetch(ids: number[]): Promise<User[]>;
  isKnown(id: number): boolean;
  onUsers(users: User[]): void;
}

/** Most ids one `users.get` may carry. */
const batchMax = 500;

/**
 * Fetches users the client does not know yet (senders of new messages, members, direct peers),
 * collecting the ids asked for within a few milliseconds into one `users.get`.
 */
export class UserDirectory {
  private readonly wanted = new Set<number>();
  private readonly asked = new Set<number>();
  private timer: unknown = null;

  constructor(private readonly options: UserDirectoryOptions) {}

  /** Asks for these users unless known or already asked for. */
  want(ids: Iterable<number>): void {
    for (const id of ids) {
      if (this.asked.has(id) || this.options.isKnown(id)) continue;
      this.wanted.add(id);
    }
    if (this.wanted.size > 0 && this.timer === null) {
      this.timer = this.options.timers.setTimeout(() => {
        this.timer = null;
        void this.fetchWanted();
      }, 10);
    }
  }

  /** Fetches these users now (known or not) and resolves when they are in the state. */
  async load(ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += batchMax) {
      const users = await this.options.fetch(ids.slice(i, i + batchMax));
      this.options.onUsers(users);
    }
  }

  /**
   * Fetches again every user the client knows (after a reconnect): what changed while away
   * (presence above all, also names) is current again, and the hub, which tells a connection the
   * presence only of users it looked up, knows whom this connection shows. Never rejects.
   */
  refresh(ids: readonly number[]): Promise<void> {
    // Offline again: the next hello refreshes them.
    return this.load([...ids]).catch(() => undefined);
  }

  /** Forgets what was asked (sign-out, or a failed fetch to retry later). */
  reset(): void {
    this.wanted.clear();
    this.asked.clear();
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private async fetchWanted(): Promise<void> {
    const ids = [...this.wanted];
    this.wanted.clear();
    for (const id of ids) this.asked.add(id);
    for (let i = 0; i < ids.length; i += batchMax) {
      const batch = ids.slice(i, i + batchMax);
      try {
        this.options.onUsers(await this.options.fetch(batch));
      } catch {
        // Offline or refused: ask again the next time they are wanted.
        for (const id of batch) this.asked.delete(id);
      }
    }
  }
}
