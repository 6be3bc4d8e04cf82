import type { Migration } from './Migration.ts';
import { releaseOneMigrations } from './releaseOneMigrations.ts';

/**
 * Every schema step, numbered from 1. The database records the last applied number in
 * `PRAGMA user_version`; a database with a higher number than the last one here is refused.
 */
export const migrations: readonly Migration[] = [
  ...releaseOneMigrations,
  {
    // The audit log (issue 15): who changed which account, bot, hook or room, and when. `actor` is
    // `cli:<os user>`, a login or `bot:<login>`; `source` where it came from; `detail` a JSON object
    // that never holds a password, token, hook secret or CSV body (hub/ops/AuditLog.ts).
    version: 11,
    name: 'audit log',
    up(db) {
      db.exec(`
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY,
          at INTEGER NOT NULL,
          actor TEXT NOT NULL,
          source TEXT NOT NULL CHECK (source IN ('cli', 'api', 'app')),
          action TEXT NOT NULL,
          target TEXT,
          detail TEXT NOT NULL DEFAULT '{}'
        ) STRICT;
        CREATE INDEX audit_log_at ON audit_log(at);
      `);
    },
  },
  {
    // Directory sign-in (issue 16, hub/identity/ldap): where an account's password is checked —
    // 'local' (the stored hash) or 'directory' (a bind to LDAP / Active Directory; nothing stored) —,
    // the directory entry's stable id (entryUUID / objectGUID: logins and DNs may change) and its DN.
    version: 12,
    name: 'directory accounts',
    up(db) {
      db.exec(`
        ALTER TABLE users ADD COLUMN auth_source TEXT NOT NULL DEFAULT 'local'
          CHECK (auth_source IN ('local', 'directory'));
        ALTER TABLE users ADD COLUMN directory_id TEXT;
        ALTER TABLE users ADD COLUMN directory_dn TEXT;
        CREATE UNIQUE INDEX users_directory_id ON users(directory_id) WHERE directory_id IS NOT NULL;
      `);
    },
  },
  {
    // Onboarding and self-service (issue 16, I2): one-time invitation codes stored as SHA-256
    // (a new one replaces the person's unused one; `created_by` is who made it, or `sign-in` for
    // the code a forced password change hands out), the flag that makes a CSV initial password
    // change at first sign-in, and the device a session was made from (shown in "my sessions").
    version: 13,
    name: 'invitations, forced password change, session device',
    up(db) {
      db.exec(`
        CREATE TABLE invitations (
          id INTEGER PRIMARY KEY,
          user_id INTEGER NOT NULL REFERENCES users(id),
          code_hash BLOB NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          used_at INTEGER,
          created_by TEXT NOT NULL
        ) STRICT;
        CREATE INDEX invitations_user ON invitations(user_id);
        ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sessions ADD COLUMN device TEXT;
      `);
    },
  },
  {
    // The stable link between a Beseda account and the person in 1C (issue 17): the infobase
    // user's UUID or the employee's reference, set by directory sync; logins are generated from
    // names once and never reused for a namesake, so 1C addresses people by this id instead.
    version: 14,
    name: 'external id of an account',
    up(db) {
      db.exec(`
        ALTER TABLE users ADD COLUMN external_id TEXT;
        CREATE UNIQUE INDEX users_external_id ON users(external_id) WHERE external_id IS NOT NULL;
      `);
    },
  },
  {
    // Block Kit blocks of incoming webhooks and bot messages (issue 17), kept as JSON in the
    // shape of common/protocol/model.ts's BlockSchema, texts already in Beseda's markup.
    version: 15,
    name: 'message blocks',
    up(db) {
      db.exec(`ALTER TABLE messages ADD COLUMN blocks TEXT;`);
    },
  },
  {
    // Bots that listen (issue 18): a bot's outgoing callback URL and the secret the hub signs
    // its calls with (kept as is: the hub must sign with it; the database file is the hub
    // user's only), and the durable queue of deliveries to it (at-least-once, one id each).
    version: 16,
    name: 'bot callbacks and their delivery queue',
    up(db) {
      db.exec(`
        ALTER TABLE bots ADD COLUMN callback_url TEXT;
        ALTER TABLE bots ADD COLUMN callback_secret TEXT;
        CREATE TABLE bot_deliveries (
          id INTEGER PRIMARY KEY,
          delivery_id TEXT NOT NULL UNIQUE,
          bot_id INTEGER NOT NULL REFERENCES users(id),
          body TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          attempts INTEGER NOT NULL DEFAULT 0,
          next_at INTEGER NOT NULL,
          last_error TEXT
        ) STRICT;
        CREATE INDEX bot_deliveries_due ON bot_deliveries(next_at);
      `);
    },
  },
  {
    // Buttons (issue 18): a message's actions as JSON (common/protocol/model.ts MessageAction),
    // and each person's click on one, at most once unless the action allows more; the answer is
    // kept so a retried click gets the same outcome without calling the bot again.
    version: 17,
    name: 'message buttons and clicks',
    up(db) {
      db.exec(`
        ALTER TABLE messages ADD COLUMN actions TEXT;
        CREATE TABLE action_clicks (
          id INTEGER PRIMARY KEY,
          message_seq INTEGER NOT NULL REFERENCES messages(seq),
          action_id TEXT NOT NULL,
          user_id INTEGER NOT NULL REFERENCES users(id),
          client_id TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          outcome TEXT
        ) STRICT;
        CREATE UNIQUE INDEX action_clicks_client ON action_clicks(user_id, client_id);
        CREATE INDEX action_clicks_message ON action_clicks(message_seq, action_id, user_id);
      `);
    },
  },
  {
    // Slash commands (issue 18): registered by IT, each bound to a bot whose callback answers it.
    version: 18,
    name: 'slash commands',
    up(db) {
      db.exec(`
        CREATE TABLE slash_commands (
          name TEXT PRIMARY KEY,
          bot_id INTEGER NOT NULL REFERENCES users(id),
          description TEXT NOT NULL DEFAULT '',
          usage TEXT NOT NULL DEFAULT '',
          created_at INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    // Desktop updates served by the hub (issue 21): releases per channel and version with their
    // staged rollout (a percentage of installs and/or a list of branches, JSON), one row per
    // electron-builder feed file (its name and platform, the branch baked into the installers or ''
    // for any, the feed text as uploaded, its files as JSON, the folder under DATA/releases/<channel>/<version>
    // holding them), and the installs that asked for the feed
    // (by their random id: which versions are in use).
    version: 19,
    name: 'desktop releases and installs',
    up(db) {
      db.exec(`
        CREATE TABLE update_releases (
          id INTEGER PRIMARY KEY,
          channel TEXT NOT NULL,
          version TEXT NOT NULL,
          rollout_percent INTEGER NOT NULL CHECK (rollout_percent BETWEEN 0 AND 100),
          rollout_branches TEXT,
          created_at INTEGER NOT NULL,
          UNIQUE (channel, version)
        ) STRICT;
        CREATE TABLE update_builds (
          release_id INTEGER NOT NULL REFERENCES update_releases(id) ON DELETE CASCADE,
          platform TEXT NOT NULL CHECK (platform IN ('win', 'linux', 'mac')),
          built_for TEXT NOT NULL DEFAULT '',
          yml_name TEXT NOT NULL,
          yml TEXT NOT NULL,
          files TEXT NOT NULL,
          dir TEXT NOT NULL,
          PRIMARY KEY (release_id, yml_name, built_for)
        ) STRICT;
        CREATE TABLE desktop_installs (
          install_id TEXT PRIMARY KEY,
          version TEXT NOT NULL,
          branch TEXT,
          platform TEXT NOT NULL,
          channel TEXT NOT NULL,
          user_id INTEGER NOT NULL,
          seen_at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX desktop_installs_seen ON desktop_installs(seen_at);
      `);
    },
  },
  {
    // Who was online when a lone hub stopped (SIGTERM, an update), read and removed at the next
    // start: those people stay as they were while their clients come back (hub/ops/Presence.ts).
    version: 20,
    name: 'presence at the last stop',
    up(db) {
      db.exec(`
        CREATE TABLE presence_at_stop (
          user_id INTEGER PRIMARY KEY,
          status TEXT NOT NULL CHECK (status IN ('online', 'away', 'dnd')),
          stopped_at INTEGER NOT NULL
        ) STRICT;
      `);
    },
  },
  {
    // Unread counts read only this index: every hello counts each of the person's conversations
    // (up to the cap), and with the message rows themselves that was the largest cost of a reconnect
    // storm (5,000 hellos in seconds). Partial and covering (kind too: SQLite reads the row for a
    // column the WHERE names and the index lacks): the exact terms of reads.ts unreadCounts.
    version: 21,
    name: 'an index for unread counts',
    up(db) {
      db.exec(
        `CREATE INDEX messages_unread ON messages(conversation_id, seq, sender_id, kind) WHERE kind <> 'system';`,
      );
    },
  },
];
