import type { Database } from 'better-sqlite3';
import { BadQuery, ftsMatch, highlightsOf, parseQuery } from '../search/searchQuery.ts';
import type { ParsedQuery } from '../search/searchQuery.ts';
import type { MessageSearch, SearchOutcome, SearchStore } from '../SearchStore.ts';
import { currentMessages } from './messageRows.ts';
import { statement } from './statement.ts';
import type { MessageRow } from '../rows/messageRow.ts';

/**
 * The SQLite {@link SearchStore} over the FTS5 index of messageIndex.ts. One statement walks the
 * index newest first (FTS5 gives rowids, which are seqs, in descending order and takes the
 * `beforeSeq` bound itself), joins each hit's message, and keeps it only if the searcher may read
 * its conversation now and the filters hold; it stops after `limit` + 1 kept hits. So
 * authorization is in the query, never applied to a page after the limit.
 */
export function sqliteSearchStore(db: Database): SearchStore {
  return {
    async messages(search) {
      let query: ParsedQuery;
      try {
        query = parseQuery(search.query);
      } catch (err) {
        if (err instanceof BadQuery) return { kind: 'bad_query', reason: err.message };
        throw err;
      }
      return searchMessages(db, search, query);
    },
  };
}

// CROSS JOIN keeps the index as the outer loop (newest first, stopping at the limit).
const searchSql = `
  SELECT m.* FROM message_search s CROSS JOIN messages m ON m.seq = s.rowid
  WHERE message_search MATCH @match AND s.rowid < @beforeSeq
    AND m.deleted_at IS NULL AND m.kind <> 'system'
    AND (EXISTS (SELECT 1 FROM members x WHERE x.conversation_id = m.conversation_id AND x.user_id = @userId)
         OR (m.conversation_id IN (SELECT id FROM conversations WHERE kind = 'general')
             AND EXISTS (SELECT 1 FROM users u WHERE u.id = @userId AND u.is_bot = 0 AND u.disabled = 0)))
    AND (@conversationId IS NULL OR m.conversation_id = @conversationId)
    AND (@fromUserId IS NULL OR m.sender_id = @fromUserId)
    AND (@since IS NULL OR m.ts >= @since)
    AND (@until IS NULL OR m.ts < @until)
    AND (@hasFiles = 0 OR EXISTS (SELECT 1 FROM message_files f WHERE f.seq = m.seq))
  ORDER BY s.rowid DESC
  LIMIT @limit`;

/**
 * The conversation and sender filters as index tokens too (`meta` column, messageIndex.ts): FTS5
 * intersects them with the words, so a filter that keeps few of a common word's hits costs no
 * walk through all of them. The SQL conditions stay as the rule; these only make it fast.
 */
function withFilters(match: string, search: MessageSearch): string {
  let out = `(${match})`;
  if (search.conversationId !== undefined) out += ` AND meta : "c${search.conversationId}"`;
  if (search.fromUserId !== undefined) out += ` AND meta : "u${search.fromUserId}"`;
  return out;
}

function searchMessages(db: Database, search: MessageSearch, query: ParsedQuery): SearchOutcome {
  const rows = statement(db, searchSql).all({
    match: withFilters(ftsMatch(query), search),
    beforeSeq: search.beforeSeq ?? Number.MAX_SAFE_INTEGER,
    userId: search.userId,
    conversationId: search.conversationId ?? null,
    fromUserId: search.fromUserId ?? null,
    since: search.since ?? null,
    until: search.until ?? null,
    hasFiles: search.hasFiles ? 1 : 0,
    limit: search.limit + 1,
  }) as MessageRow[];
  const page = rows.slice(0, search.limit);
  const hits = currentMessages(db, page).map((message) => ({ message, highlights: highlightsOf(message.text, query) }));
  return { kind: 'found', hits, more: rows.length > search.limit };
}
