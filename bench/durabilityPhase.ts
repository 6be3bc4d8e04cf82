// Durability: after the hub stops, every acknowledged message must be in its database, none twice.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AckTally } from './loadPhase.ts';
import { log, type PhaseContext } from './PhaseContext.ts';

/** Stops the hub and compares what it stored with what it acknowledged; fills `report.durability`. */
export async function durabilityPhase(ctx: PhaseContext, acks: AckTally): Promise<void> {
  const { hub } = ctx;
  log('stopping the hub and checking what it stored');
  await hub.stop('SIGTERM');
  const db = new Database(path.join(hub.dataDir, 'beseda.db'), { readonly: true });
  try {
    const stored = (db.prepare(`SELECT count(*) AS n FROM messages WHERE client_id GLOB 'b*'`).get() as { n: number })
      .n;
    const duplicates = (
      db.prepare(`SELECT count(*) - count(DISTINCT sender_id || '/' || client_id) AS n FROM messages`).get() as {
        n: number;
      }
    ).n;
    ctx.report.durability = {
      acked: acks.acked,
      sent: acks.sent,
      stored,
      duplicates,
      ok: stored >= acks.acked && stored <= acks.sent && duplicates === 0,
    };
  } finally {
    db.close();
  }
}
