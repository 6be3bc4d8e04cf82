import Database from 'better-sqlite3';
import type { Message } from '../../common/protocol/model.ts';

/** What the check needs of a client's log (an `OutboxClient` has it). */
export interface ClientLog {
  userId: number;
  acked: ReadonlyMap<string, Message>;
  outbox: ReadonlyMap<string, unknown>;
  received: ReadonlyMap<number, Message>;
  violations: readonly string[];
  /** The seq after which the client must have every message of its conversations; -1: do not check. */
  startSeq: number;
}

/** What the invariant check found; every list should be empty. */
export interface InvariantReport {
  /** Figures for the test output. */
  messagesChecked: number;
  acked: number;
  deliveriesChecked: number;
  /** Acknowledged but not in the database, or stored differently. */
  lost: string[];
  /** The same sender+clientId or the same harness text stored more than once. */
  duplicated: string[];
  /** Per-conversation order broken in a client's stream, or a clientId acked as two messages. */
  disorder: string[];
  /** Clients whose outbox still held messages. */
  undrained: string[];
  /** A client received a message of a conversation it is not a member of. */
  leaked: string[];
  /** A message in a member's conversation (after it started) that the client never got. */
  missing: string[];
  /** Database consistency: integrity_check, last_seq of each conversation. */
  inconsistent: string[];
}

/** Every problem of a report in one list (for one assertion with a readable failure). */
export function problems(r: InvariantReport): string[] {
  const all = [
    ...r.lost.map((s) => `lost: ${s}`),
    ...r.duplicated.map((s) => `duplicated: ${s}`),
    ...r.disorder.map((s) => `disorder: ${s}`),
    ...r.undrained.map((s) => `undrained: ${s}`),
    ...r.leaked.map((s) => `leaked: ${s}`),
    ...r.missing.map((s) => `missing: ${s}`),
    ...r.inconsistent.map((s) => `inconsistent: ${s}`),
  ];
  return all.length > 20 ? [...all.slice(0, 20), `… and ${all.length - 20} more`] : all;
}

/**
 * Checks the harness invariants against the database (opened read-only; WAL lets it run beside a
 * live hub) and every client's log: no acknowledged message lost, none duplicated, order kept,
 * every outbox drained, nothing delivered to a non-member, nothing a member should have missed.
 * (An `OutboxClient` is a {@link ClientLog}.)
 */
export function checkInvariants(
  dbFile: string,
  clients: readonly ClientLog[],
  options: { checkMissing?: boolean } = {},
): InvariantReport {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  const r: InvariantReport = {
    messagesChecked: 0,
    acked: 0,
    deliveriesChecked: 0,
    lost: [],
    duplicated: [],
    disorder: [],
    undrained: [],
    leaked: [],
    missing: [],
    inconsistent: [],
  };
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') r.inconsistent.push(`integrity_check: ${String(integrity)}`);
    r.messagesChecked = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
    for (const row of db
      .prepare(
        `SELECT c.id, c.last_seq, (SELECT coalesce(max(seq), 0) FROM messages m WHERE m.conversation_id = c.id) AS max_seq
         FROM conversations c`,
      )
      .all() as { id: number; last_seq: number; max_seq: number }[])
      if (row.last_seq !== row.max_seq)
        r.inconsistent.push(`conversation ${row.id}: last_seq ${row.last_seq} but newest message ${row.max_seq}`);

    const byClientId = db.prepare(
      'SELECT seq, conversation_id AS conversationId, text FROM messages WHERE sender_id = ? AND client_id = ?',
    );
    for (const c of clients) {
      for (const [clientId, m] of c.acked) {
        r.acked++;
        const row = byClientId.get(c.userId, clientId) as
          { seq: number; conversationId: number; text: string } | undefined;
        if (!row) r.lost.push(`user ${c.userId} ${clientId} (seq ${m.seq})`);
        else if (row.seq !== m.seq || row.text !== m.text || row.conversationId !== m.conversationId)
          r.lost.push(`user ${c.userId} ${clientId}: acked as seq ${m.seq}, stored as ${row.seq}`);
      }
      if (c.outbox.size > 0) r.undrained.push(`user ${c.userId}: ${c.outbox.size} unacknowledged`);
      for (const v of c.violations) r.disorder.push(`user ${c.userId}: ${v}`);
    }
    const dupKeys = db
      .prepare(
        `SELECT sender_id, client_id, count(*) AS n FROM messages GROUP BY sender_id, client_id HAVING n > 1 LIMIT 20`,
      )
      .all() as { sender_id: number; client_id: string; n: number }[];
    for (const d of dupKeys) r.duplicated.push(`sender ${d.sender_id} clientId ${d.client_id} × ${d.n}`);
    const dupTexts = db
      .prepare(`SELECT text, count(*) AS n FROM messages WHERE text GLOB 'H:*' GROUP BY text HAVING n > 1 LIMIT 20`)
      .all() as { text: string; n: number }[];
    for (const d of dupTexts) r.duplicated.push(`text "${d.text.slice(0, 40)}" × ${d.n}`);

    // Visibility and completeness, per client, against the membership in the database.
    const memberOf = db.prepare('SELECT conversation_id AS id, joined_at FROM members WHERE user_id = ?');
    const inConversation = db.prepare('SELECT seq FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq');
    for (const c of clients) {
      const member = new Set((memberOf.all(c.userId) as { id: number }[]).map((m) => m.id));
      for (const m of c.received.values()) {
        r.deliveriesChecked++;
        if (!member.has(m.conversationId))
          r.leaked.push(`user ${c.userId} got seq ${m.seq} of conversation ${m.conversationId}`);
      }
      if (options.checkMissing === false || c.startSeq < 0) continue;
      let missing = 0;
      let example = '';
      for (const id of member) {
        for (const { seq } of inConversation.all(id, c.startSeq) as { seq: number }[]) {
          if (c.received.has(seq)) continue;
          missing++;
          example ||= `seq ${seq} of conversation ${id}`;
        }
      }
      if (missing > 0) r.missing.push(`user ${c.userId}: ${missing} messages, e.g. ${example}`);
    }
  } finally {
    db.close();
  }
  return r;
}
