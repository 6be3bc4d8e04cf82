import type { Database } from 'better-sqlite3';

/**
 * Keeps each conversation's member count in a table of this connection's own (TEMP: in memory,
 * never in the database file nor its backups), filled once at open and kept by triggers on every
 * insert and delete of a membership, inside the same transaction (a rollback takes its count
 * change back too). Every hello lists the person's conversations with their member counts, and
 * counting the general room's 10,000 members per hello was a third of the hub's work in a
 * reconnect storm (bench). The hub is the only writer of its database while it runs (the data
 * lock), so no other connection's writes can pass the triggers by.
 */
export function trackMemberCounts(db: Database): void {
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS member_counts (conversation_id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
    DELETE FROM temp.member_counts;
    INSERT INTO temp.member_counts (conversation_id, n)
      SELECT conversation_id, count(*) FROM main.members GROUP BY conversation_id;
    CREATE TEMP TRIGGER IF NOT EXISTS member_counts_join AFTER INSERT ON main.members BEGIN
      INSERT INTO temp.member_counts (conversation_id, n) VALUES (NEW.conversation_id, 1)
        ON CONFLICT (conversation_id) DO UPDATE SET n = n + 1;
    END;
    CREATE TEMP TRIGGER IF NOT EXISTS member_counts_leave AFTER DELETE ON main.members BEGIN
      UPDATE temp.member_counts SET n = n - 1 WHERE conversation_id = OLD.conversation_id;
    END;
    CREATE TEMP TRIGGER IF NOT EXISTS member_counts_move AFTER UPDATE OF conversation_id ON main.members
      WHEN NEW.conversation_id <> OLD.conversation_id BEGIN
      UPDATE temp.member_counts SET n = n - 1 WHERE conversation_id = OLD.conversation_id;
      INSERT INTO temp.member_counts (conversation_id, n) VALUES (NEW.conversation_id, 1)
        ON CONFLICT (conversation_id) DO UPDATE SET n = n + 1;
    END;
  `);
}

/** SQL for a conversation's member count from the tracked table (`id`: the conversation id's expression). */
export const trackedMemberCount = (id: string) =>
  `coalesce((SELECT mc.n FROM temp.member_counts mc WHERE mc.conversation_id = ${id}), 0)`;
