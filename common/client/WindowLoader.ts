import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import type { Limits } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { Connection } from './Connection.ts';
import type { MessageWindows } from './MessageWindows.ts';
import type { ReadMarkers } from './ReadMarkers.ts';
import type { StateStore } from './StateStore.ts';
import type { UserDirectory } from './UserDirectory.ts';

/** The parts of the client core a {@link WindowLoader} works with. */
export interface WindowLoaderParts {
  store: StateStore;
  connection: Connection;
  windows: MessageWindows;
  reads: ReadMarkers;
  directory: UserDirectory;
  /** Messages per `history` page (the hub's `historyPageMax` caps it). */
  historyPage: number;
  /** What the hub's last hello allowed. */
  limits(): Limits | null;
  /** The sync engine's connection counter: a page asked for on an older connection may be stale. */
  link(): number;
  /** A request to the hub that fails with `signed_out` while nobody is signed in. */
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
}

/**
 * Loads message windows on demand: the newest page when a conversation is first opened (one load
 * at a time per conversation), older pages when the user scrolls back.
 */
export class WindowLoader {
  private readonly loadingNewest = new Map<number, Promise<void>>();
  /** Older pages being loaded: a second caller (scrolling, a jump to a message) waits for the same page. */
  private readonly loadingOlder = new Map<number, Promise<void>>();

  constructor(private readonly parts: WindowLoaderParts) {}

  /** Forgets the loads under way (a new session: their pages are not wanted). */
  forget(): void {
    this.loadingNewest.clear();
    this.loadingOlder.clear();
  }

  /** The conversation on screen (null: none); its newest page loads the first time it is opened. */
  async setActive(conversationId: number | null): Promise<void> {
    const { store, connection, windows } = this.parts;
    // Before hello (app start) the UI may restore the last conversation the client does not list yet.
    if (conversationId !== null && connection.isReady && !(conversationId in store.state.conversations)) {
      conversationId = null;
    }
    store.set('activeConversationId', conversationId);
    windows.setActive(conversationId);
    if (conversationId === null) return;
    if (!windows.isLoaded(conversationId) && connection.isReady) {
      await this.loadNewest(conversationId).catch(() => undefined);
    }
    this.parts.reads.markSeen(conversationId);
  }

  /** Loads the next older page of a conversation (or its newest page, the first time). */
  async loadOlder(conversationId: number): Promise<void> {
    const { windows } = this.parts;
    if (!windows.isLoaded(conversationId)) {
      await this.loadNewest(conversationId);
      return;
    }
    const running = this.loadingOlder.get(conversationId);
    if (running) return running;
    const older = windows.olderState(conversationId);
    if (!older.hasOlder || older.loading) return;
    windows.setLoading(conversationId, true);
    const epoch = windows.epoch(conversationId);
    const load = (async () => {
      try {
        const page = await this.parts.request('history', {
          conversationId,
          before: older.before,
          limit: this.pageLimit(),
        });
        // The window was opened elsewhere meanwhile (a search result): this page would leave a gap.
        if (windows.epoch(conversationId) !== epoch) return;
        windows.addPage(conversationId, page.messages, page.more, older.before === undefined);
        this.parts.directory.want(page.messages.map((m) => m.senderId));
      } finally {
        windows.setLoading(conversationId, false);
        this.loadingOlder.delete(conversationId);
      }
    })();
    this.loadingOlder.set(conversationId, load);
    return load;
  }

  /** The newest page's load under way for this conversation, if any (a jump waits for it before looking). */
  newestLoad(conversationId: number): Promise<void> | undefined {
    return this.loadingNewest.get(conversationId);
  }

  /** Loads the newest page of a conversation (the first time it is opened); one load at a time. */
  loadNewest(conversationId: number): Promise<void> {
    const { store, windows } = this.parts;
    const running = this.loadingNewest.get(conversationId);
    if (running) return running;
    const c = store.state.conversations[conversationId];
    windows.ensure(conversationId, (c?.lastSeq ?? 1) > 0);
    const link = this.parts.link();
    const load = (async () => {
      windows.setLoading(conversationId, true);
      try {
        const page = await this.parts.request('history', { conversationId, limit: this.pageLimit() });
        if (link !== this.parts.link() && !windows.has(conversationId)) return;
        // Opened around an older message meanwhile: the newest page is not part of that run.
        if (windows.isDetached(conversationId)) return;
        windows.addPage(conversationId, page.messages, page.more, true);
        this.parts.directory.want(page.messages.map((m) => m.senderId));
        this.parts.reads.markSeen(conversationId);
      } finally {
        windows.setLoading(conversationId, false);
        this.loadingNewest.delete(conversationId);
      }
    })();
    this.loadingNewest.set(conversationId, load);
    return load;
  }

  /** Messages per `history` page: the client's own size, capped by the hub's `historyPageMax`. */
  pageLimit(): number {
    return Math.min(this.parts.historyPage, this.parts.limits()?.historyPageMax ?? 200);
  }
}
