import type { SlashCommand } from '../../../common/protocol/model.ts';
import type { ButtonStore, ClickClaim, ClickOutcome } from '../ButtonStore.ts';
import type { PgDatabase } from './PgDatabase.ts';

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

/** pg_advisory_xact_lock(class, userId) makes one person's click claims take turns ("clic" as an int4). */
const clickLockClass = 1668049251;

const outcomeOf = (stored: string | null): ClickOutcome | null =>
  stored === null ? null : (JSON.parse(stored) as ClickOutcome);

/** The PostgreSQL {@link ButtonStore} over `action_clicks` and `slash_commands`. */
export function pgButtonStore(db: PgDatabase): ButtonStore {
  return {
    async findClick(userId, clientId) {
      const row = await db.one<{ outcome: string | null }>(
        'SELECT outcome FROM action_clicks WHERE user_id = $1 AND client_id = $2',
        [userId, clientId],
      );
      return row && outcomeOf(row.outcome);
    },
    claimClick: (r) =>
      db.tx(async (q): Promise<ClickClaim> => {
        // SQLite checks and inserts under one write lock. Under READ COMMITTED two clicks of one
        // person (other clientIds, one-click action) would both see "not clicked yet" and both
        // insert, so a person's claims take turns on a lock held until COMMIT. Only the same
        // person's clicks wait; ids fit an int4 (the two-key lock form).
        await q.run('SELECT pg_advisory_xact_lock($1, $2::int)', [clickLockClass, r.userId]);
        const previous = await q.one<{ outcome: string | null }>(
          'SELECT outcome FROM action_clicks WHERE user_id = $1 AND client_id = $2',
          [r.userId, r.clientId],
        );
        if (previous) return { kind: 'repeat', outcome: outcomeOf(previous.outcome) };
        if (!r.multi) {
          const counted = await q.one(
            'SELECT 1 FROM action_clicks WHERE message_seq = $1 AND action_id = $2 AND user_id = $3',
            [r.seq, r.actionId, r.userId],
          );
          if (counted) return { kind: 'already_clicked' };
        }
        const row = await q.one<{ id: number }>(
          `INSERT INTO action_clicks (message_seq, action_id, user_id, client_id, created_at)
           VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [r.seq, r.actionId, r.userId, r.clientId, r.ts],
        );
        return { kind: 'claimed', clickId: row!.id };
      }),
    async recordOutcome(clickId, outcome) {
      await db.run('UPDATE action_clicks SET outcome = $1 WHERE id = $2', [JSON.stringify(outcome), clickId]);
    },
    async releaseClick(clickId) {
      await db.run('DELETE FROM action_clicks WHERE id = $1', [clickId]);
    },
    async addCommand(c, ts) {
      const added = await db.run(
        `INSERT INTO slash_commands (name, bot_id, description, usage, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO NOTHING`,
        [c.name, c.botId, c.description, c.usage, ts],
      );
      return added === 1;
    },
    async removeCommand(name) {
      return (await db.run('DELETE FROM slash_commands WHERE name = $1', [name])) === 1;
    },
    async listCommands() {
      // COLLATE "C": byte order, as SQLite sorts text.
      const rows = await db.all<CommandRow>('SELECT * FROM slash_commands ORDER BY name COLLATE "C"');
      return rows.map(toCommand);
    },
    async findCommand(name) {
      const row = await db.one<CommandRow>('SELECT * FROM slash_commands WHERE name = $1', [name]);
      return row && toCommand(row);
    },
  };
}
