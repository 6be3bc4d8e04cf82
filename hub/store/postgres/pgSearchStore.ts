import { BadQuery, highlightsOf, parseQuery } from '../search/searchQuery.ts';
import type { ParsedQuery, QueryPhrase } from '../search/searchQuery.ts';
import type { MessageSearch, SearchOutcome, SearchStore } from '../SearchStore.ts';
import { ftsTokens } from './ftsTokens.ts';
import { currentMessages } from './messageRows.ts';
import type { PgDatabase } from './PgDatabase.ts';
import type { MessageRow } from '../rows/messageRow.ts';

/**
 * The PostgreSQL {@link SearchStore} over the index of messageIndex.ts, finding exactly what the
 * SQLite store's FTS5 query finds. A query's phrases are cut into the same tokens the index holds
 * (ftsTokens.ts); one statement takes the messages whose `lexemes` hold every required token
 * (the GIN index; prefixes with `:*`) and none of the excluded single tokens, checks the phrases
 * of several tokens on the token text (word order), joins each message and keeps it only if the
 * searcher may read its conversation now and the filters hold, newest first, `limit` + 1 of them.
 * So authorization is in the query, never applied to a page after the limit.
 */
export function pgSearchStore(db: PgDatabase): SearchStore {
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

/** A phrase as index tokens; FTS5 finds nothing for a phrase with no tokens (only marks). */
interface TokenPhrase {
  tokens: string[];
  prefix: boolean;
}

function tokenPhrase(p: QueryPhrase): TokenPhrase {
  return { tokens: ftsTokens(p.terms.join(' ')), prefix: p.prefix };
}

/** A token as a tsquery operand: quoted (a tsquery's own syntax never applies), maybe a prefix. */
function lexeme(token: string, prefix: boolean): string {
  return `'${token.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${prefix ? ':*' : ''}`;
}

/** Every token of a phrase present (its last one as a prefix when the phrase is one). */
function presence(p: TokenPhrase): string {
  return p.tokens.map((t, i) => lexeme(t, p.prefix && i === p.tokens.length - 1)).join(' & ');
}

/**
 * A LIKE pattern matching the phrase's tokens in a row, on `' ' || tokens || ' '`. Tokens hold only
 * letters, digits and marks, but are escaped anyway.
 */
function phrasePattern(p: TokenPhrase): string {
  const body = p.tokens.map((t) => t.replace(/[\\%_]/g, '\\$&')).join(' ');
  return `% ${body}${p.prefix ? '%' : ' %'}`;
}

/** The SQL condition and parameters a query adds on `s` (message_search); null: nothing can match. */
function matchCondition(query: ParsedQuery, param: (value: unknown) => string): string | null {
  const required = query.required.map(tokenPhrase);
  if (required.some((p) => p.tokens.length === 0)) return null;
  // An excluded phrase with no tokens excludes nothing in FTS5 either.
  const excluded = query.excluded.map(tokenPhrase).filter((p) => p.tokens.length > 0);
  const tsquery = [
    ...required.map(presence),
    // A single token is present or not: the tsquery decides it exactly.
    ...excluded.filter((p) => p.tokens.length === 1).map((p) => `!${presence(p)}`),
  ].join(' & ');
  const conditions = [`s.lexemes @@ ${param(tsquery)}::tsquery`];
  const padded = `(' ' || s.tokens || ' ')`;
  for (const p of required) if (p.tokens.length > 1) conditions.push(`${padded} LIKE ${param(phrasePattern(p))}`);
  for (const p of excluded) if (p.tokens.length > 1) conditions.push(`${padded} NOT LIKE ${param(phrasePattern(p))}`);
  return conditions.join(' AND ');
}

async function searchMessages(db: PgDatabase, search: MessageSearch, query: ParsedQuery): Promise<SearchOutcome> {
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const match = matchCondition(query, param);
  if (match === null) return { kind: 'found', hits: [], more: false };
  const user = param(search.userId);
  const where = [
    match,
    `s.seq < ${param(search.beforeSeq ?? Number.MAX_SAFE_INTEGER)}`,
    `m.deleted_at IS NULL AND m.kind <> 'system'`,
    `(EXISTS (SELECT 1 FROM members x WHERE x.conversation_id = m.conversation_id AND x.user_id = ${user})
      OR (m.conversation_id IN (SELECT id FROM conversations WHERE kind = 'general')
          AND EXISTS (SELECT 1 FROM users u WHERE u.id = ${user} AND u.is_bot = 0 AND u.disabled = 0)))`,
  ];
  if (search.conversationId !== undefined) where.push(`m.conversation_id = ${param(search.conversationId)}`);
  if (search.fromUserId !== undefined) where.push(`m.sender_id = ${param(search.fromUserId)}`);
  if (search.since !== undefined) where.push(`m.ts >= ${param(search.since)}`);
  if (search.until !== undefined) where.push(`m.ts < ${param(search.until)}`);
  if (search.hasFiles) where.push('EXISTS (SELECT 1 FROM message_files f WHERE f.seq = m.seq)');
  const rows = await db.all<MessageRow>(
    `SELECT m.* FROM message_search s JOIN messages m ON m.seq = s.seq
     WHERE ${where.join(' AND ')}
     ORDER BY s.seq DESC LIMIT ${param(search.limit + 1)}`,
    params,
  );
  const page = rows.slice(0, search.limit);
  const messages = await currentMessages(db, page);
  const hits = messages.map((message) => ({ message, highlights: highlightsOf(message.text, query) }));
  return { kind: 'found', hits, more: rows.length > search.limit };
}
