import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import type { Message } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { StateStore } from './StateStore.ts';
import type { SyncEngine } from './SyncEngine.ts';

/** The parts of the client core a {@link WindowNavigator} works with. */
export interface WindowNavigatorParts {
  store: StateStore;
  sync: SyncEngine;
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
}

/**
 * How many `after` pages a window that reached the newest fetches at most to take in messages that
 * arrived while its last page was on its way (normally none or one).
 */
const maxTailPages = 3;

/**
 * Moves a conversation's window to a message anywhere in its history and back: a message that is
 * not held is shown in a window opened around it (`history around`), which is detached from the
 * live end while the hub has newer messages (`MessageWindow.hasNewer`: live messages are not
 * appended, though the conversation's counts still move); `loadNewer` pages it forward until it
 * reaches the newest and is live again, `jumpToLatest` replaces it by the newest page at once.
 */
export class WindowNavigator {
  /** Newer pages being loaded: a second caller waits for the same page. */
  private readonly loadingNewer = new Map<number, Promise<void>>();

  constructor(private readonly parts: WindowNavigatorParts) {}

  /**
   * Makes message `seq` part of its conversation's window: true at once when it is held, else the
   * window is opened around it (joined to the held run when the two meet). False when the hub has
   * no such message in this conversation for the user.
   */
  async showMessage(conversationId: number, seq: number): Promise<boolean> {
    const { store, sync } = this.parts;
    const { windows, loader } = sync;
    const c = store.state.conversations[conversationId];
    if (!c || !Number.isSafeInteger(seq) || seq <= 0 || seq > c.lastSeq) return false;
    // The newest page may be on its way (the conversation was opened just now): it may hold the message.
    await loader.newestLoad(conversationId)?.catch(() => undefined);
    if (windows.holds(conversationId, seq)) return true;
    const page = await this.parts.request('history', { conversationId, around: seq, limit: loader.pageLimit() });
    if (!(conversationId in store.state.conversations)) return false;
    if (!page.messages.some((m) => m.seq === seq)) return false;
    if (windows.holds(conversationId, seq)) return true;
    this.place(conversationId, page.messages, page.more, page.newer === true);
    this.want(page.messages);
    if (page.newer !== true) await this.takeTail(conversationId);
    return true;
  }

  /** Loads the next newer page of a detached window; once it reaches the newest, the window is live again. */
  loadNewer(conversationId: number): Promise<void> {
    const running = this.loadingNewer.get(conversationId);
    if (running) return running;
    const { windows } = this.parts.sync;
    const state = windows.newerState(conversationId);
    if (!state.hasNewer || state.last === undefined) return Promise.resolve();
    const epoch = windows.epoch(conversationId);
    windows.setLoadingNewer(conversationId, true);
    const load = (async () => {
      try {
        const page = await this.parts.request('history', {
          conversationId,
          after: state.last,
          limit: this.parts.sync.loader.pageLimit(),
        });
        if (windows.epoch(conversationId) !== epoch) return;
        windows.addNewerPage(conversationId, page.messages, page.newer === true);
        this.want(page.messages);
        if (page.newer !== true) await this.takeTail(conversationId);
      } finally {
        windows.setLoadingNewer(conversationId, false);
        this.loadingNewer.delete(conversationId);
      }
    })();
    this.loadingNewer.set(conversationId, load);
    return load;
  }

  /** Replaces a detached window by the conversation's newest page (the «↓» button, or sending from it). */
  async jumpToLatest(conversationId: number): Promise<void> {
    const { windows, loader } = this.parts.sync;
    if (!windows.isDetached(conversationId)) {
      if (!windows.isLoaded(conversationId)) await loader.loadNewest(conversationId);
      return;
    }
    const epoch = windows.epoch(conversationId);
    windows.setLoadingNewer(conversationId, true);
    try {
      const page = await this.parts.request('history', { conversationId, limit: loader.pageLimit() });
      if (windows.epoch(conversationId) !== epoch || !windows.isDetached(conversationId)) return;
      windows.replaceRun(conversationId, page.messages, page.more, false);
      this.want(page.messages);
      await this.takeTail(conversationId);
    } finally {
      windows.setLoadingNewer(conversationId, false);
    }
  }

  /**
   * The user sends a message in this conversation: a detached window moves to the newest, where
   * the message will show (the user wants to see it among the latest, not lose it off the end).
   */
  sending(conversationId: number): void {
    if (this.parts.sync.windows.isDetached(conversationId))
      void this.jumpToLatest(conversationId).catch(() => undefined);
  }

  /**
   * Puts a page around a message into the window: joined to the held run when they meet (the
   * window stays as it was, live or not), else in place of it. A page that reaches the newest
   * keeps the held messages after it (live ones that came while it was on its way).
   */
  private place(conversationId: number, messages: readonly Message[], more: boolean, newer: boolean): void {
    const { windows } = this.parts.sync;
    const held = windows.newerState(conversationId);
    const pageLast = messages.at(-1)!.seq;
    const meets = windows.isLoaded(conversationId) && held.first !== undefined && pageLast >= held.first;
    if (meets && !held.hasNewer) {
      // Older than the live run and touching it: one contiguous run to the newest, paged back.
      windows.addPage(conversationId, messages, more, false);
      return;
    }
    const tail = !newer && !held.hasNewer ? windows.heldAfter(conversationId, pageLast) : [];
    windows.replaceRun(conversationId, messages, more, newer);
    if (tail.length > 0) windows.merge(conversationId, tail);
  }

  /**
   * A window that just reached the newest may still miss messages that came live while its page
   * was on its way (dropped then, as the window was detached): the conversation's last seq says so,
   * and the rest is fetched.
   */
  private async takeTail(conversationId: number): Promise<void> {
    const { store, sync } = this.parts;
    const { windows } = sync;
    for (let i = 0; i < maxTailPages; i++) {
      const c = store.state.conversations[conversationId];
      const { last, hasNewer } = windows.newerState(conversationId);
      if (!c || hasNewer || last === undefined || last >= c.lastSeq) return;
      const epoch = windows.epoch(conversationId);
      const page = await this.parts.request('history', {
        conversationId,
        after: last,
        limit: sync.loader.pageLimit(),
      });
      if (windows.epoch(conversationId) !== epoch || page.messages.length === 0) return;
      windows.merge(conversationId, page.messages);
      this.want(page.messages);
    }
  }

  private want(messages: readonly Message[]): void {
    void this.parts.sync.intake.loadUnknownUsers([...new Set(messages.map((m) => m.senderId))]);
  }
}
