import { indexTerms } from '../store/search/searchTerms.ts';
import type { Migration } from './Migration.ts';
import { rekeyRoomNames } from './rekeyRoomNames.ts';

/** The default name of the general room, which every person is in. */
export const generalRoomName = 'Общий чат';

/**
 * The schema steps of the first release (0.1.0, CHANGELOG.md): accounts, conversations,
 * messages, integrations, files, message changes, pin rules, notification settings and
 * profiles, the search index. Shipped steps are never edited; later ones are in migrations.ts.
 */
export const releaseOneMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'users, sessions, conversations, members, messages',
    up(db, now) {
      db.exec(`
        CREATE TABLE users (
          id INTEGER PRIMARY KEY,
          login TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          -- login and name lower-cased with Russian rules (SQLite's NOCASE is ASCII-only)
          search_key TEXT NOT NULL,
          password_hash TEXT NOT NULL,
          is_admin INTEGER NOT NULL DEFAULT 0,
          is_bot INTEGER NOT NULL DEFAULT 0,
          disabled INTEGER NOT NULL DEFAULT 0,
          branch TEXT,
          email TEXT,
          created_at INTEGER NOT NULL,
          last_seen INTEGER
        ) STRICT;

        CREATE TABLE sessions (
          id INTEGER PRIMARY KEY,
          user_id INTEGER NOT NULL REFERENCES users(id),
          -- SHA-256 of the token: a copy of the database does not let anyone sign in
          token_hash BLOB NOT NULL UNIQUE,
          source TEXT,
          created_at INTEGER NOT NULL,
          last_used_at INTEGER NOT NULL,
          revoked_at INTEGER
        ) STRICT;
        CREATE INDEX sessions_user ON sessions(user_id);

        CREATE TABLE conversations (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('general', 'open', 'closed', 'direct')),
          name TEXT NOT NULL DEFAULT '',
          name_key TEXT,
          topic TEXT NOT NULL DEFAULT '',
          owner_id INTEGER REFERENCES users(id),
          -- the two people of a direct conversation, lower id first
          direct_low INTEGER REFERENCES users(id),
          direct_high INTEGER REFERENCES users(id),
          archived INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          last_seq INTEGER NOT NULL DEFAULT 0,
          last_ts INTEGER NOT NULL,
          CHECK ((kind = 'direct') = (direct_low IS NOT NULL AND direct_high IS NOT NULL AND direct_low < direct_high)),
          UNIQUE (direct_low, direct_high)
        ) STRICT;
        CREATE UNIQUE INDEX conversations_general ON conversations(kind) WHERE kind = 'general';
        CREATE UNIQUE INDEX conversations_room_name ON conversations(name_key)
          WHERE kind IN ('open', 'closed') AND archived = 0;

        CREATE TABLE members (
          conversation_id INTEGER NOT NULL REFERENCES conversations(id),
          user_id INTEGER NOT NULL REFERENCES users(id),
          joined_at INTEGER NOT NULL,
          -- the member's read marker: every message with seq <= read_seq has been seen
          read_seq INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (conversation_id, user_id)
        ) STRICT;
        CREATE INDEX members_user ON members(user_id);

        CREATE TABLE messages (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          conversation_id INTEGER NOT NULL REFERENCES conversations(id),
          sender_id INTEGER NOT NULL REFERENCES users(id),
          client_id TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('text', 'system', 'announcement')),
          text TEXT NOT NULL,
          ts INTEGER NOT NULL,
          -- JSON array of user ids, NULL when none
          mentions TEXT,
          mentions_all INTEGER NOT NULL DEFAULT 0,
          system TEXT,
          display_name TEXT,
          attachments TEXT,
          UNIQUE (sender_id, client_id)
        ) STRICT;
        CREATE INDEX messages_conversation_seq ON messages(conversation_id, seq);
      `);
      db.prepare(
        `INSERT INTO conversations (kind, name, topic, created_at, last_ts) VALUES ('general', ?, '', ?, ?)`,
      ).run(generalRoomName, now, now);
    },
  },
  {
    // Integrations (docs/integrations.md): bot tokens, incoming webhooks, announcement
    // confirmations, branch rooms and one-time embed links. Every secret is stored as its SHA-256.
    version: 2,
    name: 'integrations: bots, hooks, announcements, branch rooms, embed links',
    up(db) {
      db.exec(`
        CREATE TABLE bots (
          user_id INTEGER PRIMARY KEY REFERENCES users(id),
          -- NULL once revoked; a rotation replaces it
          token_hash BLOB UNIQUE,
          -- may create one-time embed links (sign people in to the web client)
          can_embed INTEGER NOT NULL DEFAULT 0,
          -- may create, change and disable people (directory sync from 1C)
          can_manage_users INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          token_issued_at INTEGER,
          revoked_at INTEGER
        ) STRICT;

        CREATE TABLE hooks (
          id INTEGER PRIMARY KEY,
          secret_hash BLOB NOT NULL UNIQUE,
          -- the bot account its posts appear as
          bot_id INTEGER NOT NULL REFERENCES users(id),
          conversation_id INTEGER NOT NULL REFERENCES conversations(id),
          name TEXT NOT NULL,
          allow_override INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          revoked_at INTEGER
        ) STRICT;

        CREATE TABLE announcement_confirmations (
          seq INTEGER NOT NULL REFERENCES messages(seq),
          user_id INTEGER NOT NULL REFERENCES users(id),
          confirmed_at INTEGER NOT NULL,
          PRIMARY KEY (seq, user_id)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX messages_announcements ON messages(conversation_id, seq) WHERE kind = 'announcement';

        CREATE TABLE branch_rooms (
          -- the branch name folded like room names (searchKey)
          branch_key TEXT PRIMARY KEY,
          conversation_id INTEGER NOT NULL REFERENCES conversations(id)
        ) STRICT;

        CREATE TABLE embed_links (
          id INTEGER PRIMARY KEY,
          secret_hash BLOB NOT NULL UNIQUE,
          user_id INTEGER NOT NULL REFERENCES users(id),
          created_by INTEGER NOT NULL REFERENCES users(id),
          expires_at INTEGER NOT NULL,
          opened_at INTEGER,
          -- the one-time code the opened link hands to the page, exchanged for a session
          code_hash BLOB UNIQUE,
          code_expires_at INTEGER,
          redeemed_at INTEGER
        ) STRICT;
        CREATE INDEX embed_links_expiry ON embed_links(expires_at);
      `);
    },
  },
  {
    // Mentions are rare: counting them for a member's unread state walks only the messages that
    // mention someone, not every unread message (hello for thousands of reconnecting clients).
    version: 3,
    name: 'mention index',
    up(db) {
      db.exec(`
        CREATE INDEX messages_mentioning ON messages(conversation_id, seq)
          WHERE mentions IS NOT NULL OR mentions_all = 1;
      `);
    },
  },
  {
    // A session's scope, fixed when it is made: 'full' (a password sign-in) or 'chat' (an embed
    // link: the chat protocol only, never administrator rights nor the HTTP API, whatever the
    // account becomes later). Sessions embed links made before this step become 'chat' too.
    version: 4,
    name: 'session scope',
    up(db) {
      db.exec(`
        ALTER TABLE sessions ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('full', 'chat'));
        UPDATE sessions SET scope = 'chat' WHERE source LIKE 'embed %';
      `);
    },
  },
  {
    // Room names unique by look-alike key (the general room's included; colliding rooms renamed,
    // never a failure), branch rooms owned by the hub: see rekeyRoomNames.
    version: 5,
    name: 'room name keys',
    up(db, now) {
      rekeyRoomNames(db, now);
    },
  },
  {
    // Files (issue 12, docs/protocol.md "Files"): one row per upload (the bytes are a blob named by
    // their SHA-256 in the files folder, shared by identical uploads), the files each message
    // carries, and each session's read-only download key (its SHA-256; `hello.fileKey`).
    version: 6,
    name: 'files',
    up(db) {
      db.exec(`
        CREATE TABLE files (
          id TEXT PRIMARY KEY,
          sha256 TEXT NOT NULL,
          size INTEGER NOT NULL,
          name TEXT NOT NULL,
          type TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('image', 'file')),
          width INTEGER,
          height INTEGER,
          animated INTEGER NOT NULL DEFAULT 0,
          preview_sha256 TEXT,
          preview_type TEXT,
          uploader_id INTEGER NOT NULL REFERENCES users(id),
          created_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX files_uploader ON files(uploader_id, created_at);
        CREATE INDEX files_sha256 ON files(sha256);
        CREATE INDEX files_created ON files(created_at);

        CREATE TABLE message_files (
          seq INTEGER NOT NULL REFERENCES messages(seq),
          file_id TEXT NOT NULL REFERENCES files(id),
          position INTEGER NOT NULL,
          PRIMARY KEY (seq, position)
        ) STRICT;
        CREATE INDEX message_files_file ON message_files(file_id);

        ALTER TABLE sessions ADD COLUMN file_key_hash BLOB;
        CREATE UNIQUE INDEX sessions_file_key ON sessions(file_key_hash) WHERE file_key_hash IS NOT NULL;
      `);
    },
  },
  {
    // Message actions (issue 13, docs/protocol.md "Message actions"): a message is edited, deleted,
    // reacted to and pinned in place (its row holds the current state; `rev` is the seq of the
    // newest update applied), replies name their target by seq (the quote is built when read) and
    // forwards keep where they came from. Each change is a row of `message_updates` that takes its
    // seq from the messages' own AUTOINCREMENT counter (sqlite_sequence), so messages and updates
    // share one sequence; it holds no text (the message row is the only copy, so a delete can scrub it).
    version: 7,
    name: 'message actions',
    up(db) {
      db.exec(`
        ALTER TABLE messages ADD COLUMN edited_at INTEGER;
        ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
        ALTER TABLE messages ADD COLUMN deleted_by INTEGER REFERENCES users(id);
        ALTER TABLE messages ADD COLUMN rev INTEGER;
        -- the seq of the message (same conversation) this one answers
        ALTER TABLE messages ADD COLUMN reply_to INTEGER REFERENCES messages(seq);
        -- JSON {senderId, displayName?, ts} of the original, for a forwarded message
        ALTER TABLE messages ADD COLUMN forwarded TEXT;
        ALTER TABLE messages ADD COLUMN pinned_by INTEGER REFERENCES users(id);
        ALTER TABLE messages ADD COLUMN pinned_at INTEGER;
        CREATE INDEX messages_pinned ON messages(conversation_id, pinned_at) WHERE pinned_at IS NOT NULL;

        CREATE TABLE message_updates (
          -- taken from sqlite_sequence's row for messages: never equal to a message's seq
          seq INTEGER PRIMARY KEY,
          conversation_id INTEGER NOT NULL REFERENCES conversations(id),
          target_seq INTEGER NOT NULL REFERENCES messages(seq),
          actor_id INTEGER NOT NULL REFERENCES users(id),
          client_id TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('edit', 'delete', 'react', 'pin')),
          ts INTEGER NOT NULL,
          -- edits: JSON array of the user ids the edit mentions for the first time
          new_mentions TEXT,
          UNIQUE (actor_id, client_id)
        ) STRICT;
        CREATE INDEX message_updates_conversation_seq ON message_updates(conversation_id, seq);
        CREATE INDEX message_updates_target ON message_updates(target_seq);

        CREATE TABLE message_reactions (
          seq INTEGER NOT NULL REFERENCES messages(seq),
          user_id INTEGER NOT NULL REFERENCES users(id),
          emoji TEXT NOT NULL,
          ts INTEGER NOT NULL,
          -- the emoji's place on the message (1, 2, …: order of first use), the same in all its rows,
          -- so an emoji keeps its place when its first person takes theirs back; rowid orders people
          emoji_rank INTEGER NOT NULL,
          PRIMARY KEY (seq, emoji, user_id)
        ) STRICT;

        -- a deleted message's files: is a preview blob still named by another upload?
        CREATE INDEX files_preview_sha256 ON files(preview_sha256) WHERE preview_sha256 IS NOT NULL;
      `);
    },
  },
  {
    // Who may pin messages in a room (issue 13, `Conversation.pinRule`): any member (the default)
    // or the owner and administrators. Read only for open and closed rooms.
    version: 8,
    name: 'pin rule',
    up(db) {
      db.exec(`
        ALTER TABLE conversations ADD COLUMN pin_rule TEXT NOT NULL DEFAULT 'members'
          CHECK (pin_rule IN ('members', 'owners'));
      `);
    },
  },
  {
    // Find and follow (issue 14): each member's notification level and mute of a conversation
    // (stored here so every device agrees), the directory's position and phone, the time zone the
    // user's app reported, read receipts (the user's switch, and the newest seq any of their
    // devices received: ✓ delivered).
    version: 9,
    name: 'notification levels, directory fields, read receipts',
    up(db) {
      db.exec(`
        ALTER TABLE members ADD COLUMN notify TEXT CHECK (notify IN ('all', 'mentions', 'none'));
        -- 1: muted until muted_until (NULL: until unmuted)
        ALTER TABLE members ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE members ADD COLUMN muted_until INTEGER;
        ALTER TABLE users ADD COLUMN position TEXT;
        ALTER TABLE users ADD COLUMN phone TEXT;
        ALTER TABLE users ADD COLUMN time_zone TEXT;
        ALTER TABLE users ADD COLUMN read_receipts INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE users ADD COLUMN received_seq INTEGER NOT NULL DEFAULT 0;
      `);
    },
  },
  {
    // Message search (issue 14, docs/protocol.md "search"): a contentless FTS5 index whose rowid is
    // the message's seq and whose one column holds the message's folded, stemmed terms
    // (hub/store/search/searchTerms.ts), and a second column `meta` with two tokens, `c<conversation>`
    // and `u<sender>`, so the conversation and sender filters are index look-ups joined inside
    // FTS5 rather than a walk of every hit. Contentless: no second copy of the text; secure-delete:
    // a removed message's terms leave the index pages (not just a tombstone); no column sizes
    // (hits are ordered by seq, not ranked). Existing messages are indexed here, a batch at a time.
    version: 10,
    name: 'full-text search index',
    up(db) {
      db.exec(`
        CREATE VIRTUAL TABLE message_search USING fts5(
          terms, meta, content = '', columnsize = 0, detail = full, tokenize = 'unicode61 remove_diacritics 0'
        );
        INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1);
      `);
      const page = db.prepare(
        `SELECT seq, text, conversation_id, sender_id FROM messages WHERE seq > ? AND kind <> 'system' AND deleted_at IS NULL AND text <> ''
         ORDER BY seq LIMIT 1000`,
      );
      const insert = db.prepare('INSERT INTO message_search (rowid, terms, meta) VALUES (?, ?, ?)');
      for (let after = 0; ;) {
        const rows = page.all(after) as { seq: number; text: string; conversation_id: number; sender_id: number }[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const terms = indexTerms(row.text);
          if (terms !== '') insert.run(row.seq, terms, `c${row.conversation_id} u${row.sender_id}`);
        }
        after = rows[rows.length - 1]!.seq;
      }
    },
  },
];
