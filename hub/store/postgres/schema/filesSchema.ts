/**
 * The files area's tables (see pgMigrations.ts): files and message_files with the same columns,
 * CHECKs and indexes as SQLite's schema after step 19, and the message search index.
 *
 * The search index is not FTS5 (PostgreSQL has none) but holds the same thing: `tokens` is what
 * SQLite's FTS5 table indexes for the message — the terms of searchTerms.ts, computed in JS and
 * split as FTS5's unicode61 tokenizer splits them (pgSearchTokens.ts) — joined by single spaces.
 * `lexemes` is the set of those tokens as a tsvector, taken AS-IS by array_to_tsvector: no text
 * search configuration is involved at all (not even 'simple'), because any PostgreSQL parser or
 * dictionary would split, fold or stem words its own way and the results would differ from
 * SQLite's. The GIN index on `lexemes` finds the messages holding every required token (prefixes
 * with `:*`); phrases are then checked on `tokens` (word order), so positions are not needed in
 * the tsvector (whose positions stop at 16383 and 256 per lexeme, less than a 64 KiB message).
 * `migrate-store` does not copy this table from SQLite (FTS5 keeps no copy of the terms): it is
 * rebuilt from the messages' texts.
 */
export const filesSchema = `
CREATE TABLE files (
  id text PRIMARY KEY,
  sha256 text NOT NULL,
  size bigint NOT NULL,
  name text NOT NULL,
  type text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('image', 'file')),
  width bigint,
  height bigint,
  animated integer NOT NULL DEFAULT 0,
  preview_sha256 text,
  preview_type text,
  uploader_id bigint NOT NULL REFERENCES users(id),
  created_at bigint NOT NULL
);
CREATE INDEX files_uploader ON files(uploader_id, created_at);
CREATE INDEX files_sha256 ON files(sha256);
CREATE INDEX files_created ON files(created_at);
CREATE INDEX files_preview_sha256 ON files(preview_sha256) WHERE preview_sha256 IS NOT NULL;

CREATE TABLE message_files (
  seq bigint NOT NULL REFERENCES messages(seq),
  file_id text NOT NULL REFERENCES files(id),
  position bigint NOT NULL,
  PRIMARY KEY (seq, position)
);
CREATE INDEX message_files_file ON message_files(file_id);

CREATE TABLE message_search (
  -- the message's seq (FTS5's rowid); removed with the message if it is ever deleted for real
  seq bigint PRIMARY KEY REFERENCES messages(seq) ON DELETE CASCADE,
  -- '' for a message whose terms give FTS5 no token (only combining marks): SQLite keeps a row for
  -- it too, so both indexes hold the same messages (migrate-store compares them)
  tokens text NOT NULL,
  lexemes tsvector NOT NULL GENERATED ALWAYS AS (array_to_tsvector(string_to_array(tokens, ' '))) STORED
);
CREATE INDEX message_search_lexemes ON message_search USING gin (lexemes);
`;
