import type { AuditRecord } from '../store/AuditStore.ts';
import type { CliCommand, CliContext } from './CliCommand.ts';
import { cliText, printLine, printNote } from './cliText.ts';
import { csvText, utcTime } from './csvText.ts';

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * A time from the command line: an age (`30m`, `12h`, `7d`, `2w`: that long before `now`), a date
 * (`2026-12-01`: its start, UTC) or an ISO time (`2026-12-01T09:00`, UTC unless it names a zone).
 * Null when it is none of these.
 */
export function parseSince(text: string, now: number): number | null {
  const age = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (age) return now - Number(age[1]) * units[age[2]!]!;
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text.trim());
  if (!date) return null;
  const zoned =
    date[1] === undefined ? `${text.trim()}T00:00Z` : date[4] === undefined ? `${text.trim()}Z` : text.trim();
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : ms;
}

const header = ['time (UTC)', 'actor', 'source', 'action', 'target', 'detail'];

function row(e: AuditRecord): string[] {
  return [utcTime(e.at), e.actor, e.source, e.action, e.target ?? '', JSON.stringify(e.detail)];
}

/** The entries as aligned columns, oldest first (the detail last, as compact JSON). */
function printTable(entries: AuditRecord[]): void {
  const rows = [header, ...entries.map(row)];
  const widths = header.map((_, i) => Math.min(32, Math.max(...rows.map((r) => r[i]!.length))));
  for (const r of rows) printLine(r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]!) : cell)).join('  '));
}

const one = (value: CliContext['values'][string]): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * `beseda-hub audit`: the audit log (admin commands, directory writes and announcements through the
 * API, room changes in the apps), the newest entries that match, shown oldest first; `--csv` for a
 * spreadsheet. Through the running hub, or the data folder directly when none runs.
 */
export const auditCommand: CliCommand = {
  words: ['audit'],
  summary:
    'Shows the audit log: who changed which account, bot, hook or room, and when\n' +
    '(admin commands as cli:<os user>, the HTTP API as the bot or person, the apps as the person).',
  options: {
    since: {
      type: 'string',
      value: '7d|DATE',
      help: 'only entries since then: an age (30m, 12h, 7d, 2w) or a date/time in UTC (2026-12-01, 2026-12-01T09:00); default: all',
    },
    until: { type: 'string', value: 'DATE', help: 'only entries before then (same forms as --since); default: now' },
    actor: { type: 'string', value: 'WHO', help: 'only this actor: cli:<os user>, a login, or bot:<login>' },
    action: {
      type: 'string',
      value: 'ACTION',
      help: 'only this action (user.disable, room.rename, …); ending in a dot, every action under it (user.)',
    },
    target: { type: 'string', value: 'TARGET', help: 'only this target: a login, #room, hook N' },
    limit: { type: 'string', value: 'N', help: 'at most the newest N entries (1 to 10000); default 100' },
    csv: { type: 'boolean', help: 'CSV for a spreadsheet (";", UTF-8 with BOM) instead of columns' },
  },
  async run(ctx) {
    const now = Date.now();
    const filter: { since?: number; until?: number; actor?: string; action?: string; target?: string; limit: number } =
      { limit: 100 };
    for (const key of ['since', 'until'] as const) {
      const text = one(ctx.values[key]);
      if (text === undefined) continue;
      const at = parseSince(text, now);
      if (at === null) {
        printNote(`--${key} ${cliText(text)}: give an age (30m, 12h, 7d, 2w) or a date (2026-12-01, 2026-12-01T09:00)`);
        return 2;
      }
      filter[key] = at;
    }
    for (const key of ['actor', 'action', 'target'] as const) {
      const text = one(ctx.values[key]);
      if (text !== undefined) filter[key] = text;
    }
    const limit = one(ctx.values.limit);
    if (limit !== undefined) {
      if (!/^\d{1,5}$/.test(limit) || Number(limit) < 1 || Number(limit) > 10_000) {
        printNote(`--limit ${cliText(limit)}: give a number from 1 to 10000`);
        return 2;
      }
      filter.limit = Number(limit);
    }
    const { entries } = await ctx.admin('audit.list', filter);
    const oldestFirst = [...entries].reverse();
    if (ctx.values.csv === true) {
      const text = csvText(header, oldestFirst.map(row));
      // A terminal gets the control characters escaped; a file or a pipe gets the CSV as it is.
      if (process.stdout.isTTY) for (const line of text.split('\r\n').slice(0, -1)) printLine(line);
      else process.stdout.write(text);
    } else if (oldestFirst.length === 0) printNote('no audit log entries match');
    else printTable(oldestFirst);
    return 0;
  },
};
