import type { SearchHit } from '../../common/protocol/model.ts';

/** One message search, after the operations checked the filters (docs/protocol.md, "search"). */
export interface MessageSearch {
  /** Who searches: only messages of conversations they may read now are found. */
  userId: number;
  /** The query as typed: words, `"phrases"`, `prefix*`, `-excluded`. */
  query: string;
  conversationId?: number;
  fromUserId?: number;
  /** Sent at or after (ms). */
  since?: number;
  /** Sent before (ms). */
  until?: number;
  hasFiles?: boolean;
  /** Only messages with a lower seq (the last hit of the previous page). */
  beforeSeq?: number;
  limit: number;
}

/** What a search found, or why the query cannot be searched for. */
export type SearchOutcome =
  /** Up to `limit` hits, newest first; `more`: older hits exist. */
  | { kind: 'found'; hits: SearchHit[]; more: boolean }
  /** The query has nothing to search for (only punctuation, only excluded words, too many parts): in words for the user. */
  | { kind: 'bad_query'; reason: string };

/**
 * Full-text search over messages. Words match in any form (Russian and English stemming), case
 * and ё/е folded. The store keeps its index in step with the messages itself (written with each
 * message, replaced on edit, removed on delete, system messages left out).
 */
export interface SearchStore {
  /**
   * Messages matching the query that the user may read now (a member of the conversation; the
   * general room: every enabled person), deleted ones never, narrowed by the filters; newest
   * first. Authorization is part of the query, so a page is never emptied after the limit.
   */
  messages(search: MessageSearch): Promise<SearchOutcome>;
}
