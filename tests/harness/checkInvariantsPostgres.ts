import pg from 'pg';
import {
  checkRows,
  type CheckOptions,
  type ClientLog,
  type InvariantReport,
  type StoredRows,
} from './checkInvariants.ts';

/**
 * {@link checkRows} on a hub's PostgreSQL database (`postgres://…`, read in one REPEATABLE READ
 * transaction so the rows are one consistent picture even beside live hubs): the same invariants
 * as on SQLite. PostgreSQL has no integrity_check; its own constraints stand in for it.
 */
export async function checkInvariantsPostgres(
  url: string,
  clients: readonly ClientLog[],
  options: CheckOptions = {},
): Promise<InvariantReport> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // bigint columns come back as strings from pg: numbers here, as the clients' logs hold them.
    const conversations = await client.query<{ id: string; last_seq: string }>(
      'SELECT id, last_seq FROM conversations',
    );
    const messages = await client.query<{
      seq: string;
      conversation_id: string;
      sender_id: string;
      client_id: string;
      text: string;
    }>('SELECT seq, conversation_id, sender_id, client_id, text FROM messages ORDER BY seq');
    const members = await client.query<{ user_id: string; conversation_id: string }>(
      'SELECT user_id, conversation_id FROM members',
    );
    await client.query('COMMIT');
    const rows: StoredRows = {
      integrity: [],
      conversations: conversations.rows.map((c) => ({ id: Number(c.id), lastSeq: Number(c.last_seq) })),
      messages: messages.rows.map((m) => ({
        seq: Number(m.seq),
        conversationId: Number(m.conversation_id),
        senderId: Number(m.sender_id),
        clientId: m.client_id,
        text: m.text,
      })),
      members: members.rows.map((m) => ({ userId: Number(m.user_id), conversationId: Number(m.conversation_id) })),
    };
    return checkRows(rows, clients, options);
  } finally {
    await client.end();
  }
}
