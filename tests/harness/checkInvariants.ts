import Database from 'better-sqlite3';
import type { Message } from '../../common/protocol/model.ts';

/** What the check needs of a client's log (an `OutboxClient` has it). */
export interface ClientLog {
  userId: number;
  acked: ReadonlyMap<string, Message>;
  outbox: ReadonlyMap<string, unknown>;
  received: ReadonlyMap<number, Message>;
  violations: readonly string[];
  /**
   * Live messages that came below one already received live in their conversation. A disorder,
   * unless its sender resent it ({@link ClientLog.resent}): with several nodes, a node killed
   * between its COMMIT and its publish never publishes, the other nodes give the position up after
   * a short hold, and the sender's resend through another node publishes it again — late by design
   * (docs/architecture.md, SeqOrderedSink), but not missing.
   */
  lateLive?: readonly LateLive[];
  /** Client ids this client sent more than once (after a lost reply or a reconnect). */
  resent?: ReadonlySet<string>;
  /** The seq after which the client must have every message of its conversations; -1: do not check. */
  startSeq: number;
}

/** A live message that arrived below one already received live in its conversation. */
export interface LateLive {
  seq: number;
  /** The higher seq received live before it. */
  after: number;
  conversationId: number;
  senderId: number;
  clientId: string;
}

/** What the invariant check found; every list should be empty. */
export interface InvariantReport {
  /** Figures for the test output. */
  messagesChecked: number;
  acked: number;
  deliveriesChecked: number;
  /** Live messages that came late because their sender resent them (allowed: see ClientLog.lateLive). */
  lateResent: number;
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

/** What the check reads of a hub's database, whichever store holds it. */
export interface StoredRows {
  /** Problems the database reports about itself (SQLite's integrity_check); empty when none. */
  integrity: string[];
  conversations: readonly { id: number; lastSeq: number }[];
  messages: readonly { seq: number; conversationId: number; senderId: number; clientId: string; text: string }[];
  members: readonly { userId: number; conversationId: number }[];
}

/** Options of the invariant check. */
export interface CheckOptions {
  /** false: do not check that every member got every message (a scenario that loses them on purpose). */
  checkMissing?: boolean;
  /**
   * Several nodes: a late live message its sender resent is allowed (ClientLog.lateLive). A single
   * hub never publishes a resend again, so there every late live message is disorder.
   */
  severalNodes?: boolean;
}

/**
 * Checks the harness invariants against the SQLite database (opened read-only; WAL lets it run
 * beside a live hub) and every client's log: no acknowledged message lost, none duplicated, order
 * kept, every outbox drained, nothing delivered to a non-member, nothing a member should have
 * missed. (An `OutboxClient` is a {@link ClientLog}.) PostgreSQL: `checkInvariantsPostgres`.
 */
export function checkInvariants(
  dbFile: string,
  clients: readonly ClientLog[],
  options: CheckOptions = {},
): InvariantReport {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    const rows: StoredRows = {
      integrity: integrity === 'ok' ? [] : [`integrity_check: ${String(integrity)}`],
      conversations: db
        .prepare('SELECT id, last_seq AS lastSeq FROM conversations')
        .all() as StoredRows['conversations'],
      messages: db
        .prepare(
          `SELECT seq, conversation_id AS conversationId, sender_id AS senderId, client_id AS clientId, text
           FROM messages ORDER BY seq`,
        )
        .all() as StoredRows['messages'],
      members: db
        .prepare('SELECT user_id AS userId, conversation_id AS conversationId FROM members')
        .all() as StoredRows['members'],
    };
    return checkRows(rows, clients, options);
  } finally {
    db.close();
  }
}

/**
 * The invariant checks on rows read from either store (the same checks for SQLite and PostgreSQL):
 * each conversation's last_seq is its newest message; every acknowledged message is stored as
 * acknowledged; no sender+clientId and no harness text (`H:…`) stored twice; no client saw disorder
 * or kept an outbox; nobody received a message of a conversation they are not in; every member has
 * every message of their conversations after its start.
 */
export function checkRows(
  rows: StoredRows,
  clients: readonly ClientLog[],
  options: CheckOptions = {},
): InvariantReport {
  const r: InvariantReport = {
    messagesChecked: rows.messages.length,
    acked: 0,
    deliveriesChecked: 0,
    lateResent: 0,
    lost: [],
    duplicated: [],
    disorder: [],
    undrained: [],
    leaked: [],
    missing: [],
    inconsistent: [...rows.integrity],
  };
  const maxSeq = new Map<number, number>();
  const seqsOf = new Map<number, number[]>();
  const byClientId = new Map<string, StoredRows['messages'][number][]>();
  const byText = new Map<string, number>();
  for (const m of [...rows.messages].sort((a, b) => a.seq - b.seq)) {
    maxSeq.set(m.conversationId, Math.max(maxSeq.get(m.conversationId) ?? 0, m.seq));
    let seqs = seqsOf.get(m.conversationId);
    if (!seqs) seqsOf.set(m.conversationId, (seqs = []));
    seqs.push(m.seq);
    const key = `${m.senderId} ${m.clientId}`;
    const same = byClientId.get(key);
    if (same) same.push(m);
    else byClientId.set(key, [m]);
    if (m.text.startsWith('H:')) byText.set(m.text, (byText.get(m.text) ?? 0) + 1);
  }
  for (const c of rows.conversations) {
    const newest = maxSeq.get(c.id) ?? 0;
    if (c.lastSeq !== newest)
      r.inconsistent.push(`conversation ${c.id}: last_seq ${c.lastSeq} but newest message ${newest}`);
  }

  const resentBy = new Map(clients.map((c) => [c.userId, c.resent ?? new Set<string>()]));
  for (const c of clients) {
    for (const late of c.lateLive ?? []) {
      if (options.severalNodes && resentBy.get(late.senderId)?.has(late.clientId)) r.lateResent++;
      else
        r.disorder.push(
          `user ${c.userId}: live order: seq ${late.seq} after ${late.after} in conversation ${late.conversationId}`,
        );
    }
    for (const [clientId, m] of c.acked) {
      r.acked++;
      const row = byClientId.get(`${c.userId} ${clientId}`)?.[0];
      if (!row) r.lost.push(`user ${c.userId} ${clientId} (seq ${m.seq})`);
      else if (row.seq !== m.seq || row.text !== m.text || row.conversationId !== m.conversationId)
        r.lost.push(`user ${c.userId} ${clientId}: acked as seq ${m.seq}, stored as ${row.seq}`);
    }
    if (c.outbox.size > 0) r.undrained.push(`user ${c.userId}: ${c.outbox.size} unacknowledged`);
    for (const v of c.violations) r.disorder.push(`user ${c.userId}: ${v}`);
  }
  for (const [key, same] of byClientId)
    if (same.length > 1) r.duplicated.push(`sender ${key.replace(' ', ' clientId ')} × ${same.length}`);
  for (const [text, n] of byText) if (n > 1) r.duplicated.push(`text "${text.slice(0, 40)}" × ${n}`);

  // Visibility and completeness, per client, against the membership in the database.
  const memberOf = new Map<number, Set<number>>();
  for (const m of rows.members) {
    let set = memberOf.get(m.userId);
    if (!set) memberOf.set(m.userId, (set = new Set()));
    set.add(m.conversationId);
  }
  for (const c of clients) {
    const member = memberOf.get(c.userId) ?? new Set<number>();
    for (const m of c.received.values()) {
      r.deliveriesChecked++;
      if (!member.has(m.conversationId))
        r.leaked.push(`user ${c.userId} got seq ${m.seq} of conversation ${m.conversationId}`);
    }
    if (options.checkMissing === false || c.startSeq < 0) continue;
    let missing = 0;
    let example = '';
    for (const id of member) {
      for (const seq of seqsOf.get(id) ?? []) {
        if (seq <= c.startSeq || c.received.has(seq)) continue;
        missing++;
        example ||= `seq ${seq} of conversation ${id}`;
      }
    }
    if (missing > 0) r.missing.push(`user ${c.userId}: ${missing} messages, e.g. ${example}`);
  }
  return r;
}
