import type { Database } from 'better-sqlite3';
import type { SlashCommand } from '../../../common/protocol/model.ts';
import type { ButtonStore, ClickClaim, ClickOutcome, ClickRequest } from '../ButtonStore.ts';
import { statement } from './statement.ts';

interface CommandRow {
  name: string;
  bot_id: number;
  description: string;
  usage: string;
}

const toCommand = (r: CommandRow): SlashCommand => ({
  name: r.name,
  description: r.description,
  usage: r.usage,
  botId: r.bot_id,
});

/** The SQLite {@link ButtonStore} over `action_clicks` (schema step 17) and `slash_commands` (18). */
export function sqliteButtonStore(db: Database): ButtonStore {
  // One IMMEDIATE transaction: the check and the insert see no other click in between.
  const claim = db.transaction((r: ClickRequest): ClickClaim => {
    const previous = statement(db, 'SELECT outcome FROM action_clicks WHERE user_id = ? AND client_id = ?').get(
      r.userId,
      r.clientId,
    ) as { outcome: string | null } | undefined;
    if (previous)
      return {
        kind: 'repeat',
        outcome: previous.outcome === null ? null : (JSON.parse(previous.outcome) as ClickOutcome),
      };
    if (!r.multi) {
      const counted = statement(
        db,
        'SELECT 1 FROM action_clicks WHERE message_seq = ? AND action_id = ? AND user_id = ?',
      ).get(r.seq, r.actionId, r.userId);
      if (counted) return { kind: 'already_clicked' };
    }
    const info = statement(
      db,
      'INSERT INTO action_clicks (message_seq, action_id, user_id, client_id, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(r.seq, r.actionId, r.userId, r.clientId, r.ts);
    return { kind: 'claimed', clickId: Number(info.lastInsertRowid) };
  });
  return {
    async findClick(userId, clientId) {
      const row = statement(db, 'SELECT outcome FROM action_clicks WHERE user_id = ? AND client_id = ?').get(
        userId,
        clientId,
      ) as { outcome: string | null } | undefined;
      if (!row) return undefined;
      return row.outcome === null ? null : (JSON.parse(row.outcome) as ClickOutcome);
    },
    async claimClick(request) {
      return claim.immediate(request);
    },
    async recordOutcome(clickId, outcome) {
      statement(db, 'UPDATE action_clicks SET outcome = ? WHERE id = ?').run(JSON.stringify(outcome), clickId);
    },
    async releaseClick(clickId) {
      statement(db, 'DELETE FROM action_clicks WHERE id = ?').run(clickId);
    },
    async addCommand(c, ts) {
      const info = statement(
        db,
        'INSERT OR IGNORE INTO slash_commands (name, bot_id, description, usage, created_at) VALUES (?, ?, ?, ?, ?)',
      ).run(c.name, c.botId, c.description, c.usage, ts);
      return info.changes === 1;
    },
    async removeCommand(name) {
      return statement(db, 'DELETE FROM slash_commands WHERE name = ?').run(name).changes === 1;
    },
    async listCommands() {
      const rows = statement(db, 'SELECT * FROM slash_commands ORDER BY name').all() as CommandRow[];
      return rows.map(toCommand);
    },
    async findCommand(name) {
      const row = statement(db, 'SELECT * FROM slash_commands WHERE name = ?').get(name) as CommandRow | undefined;
      return row && toCommand(row);
    },
  };
}
