import { csvText, utcTime } from '../cli/csvText.ts';
import type { Hub } from '../ops/Hub.ts';

/** One recipient of an announcement in the report. */
export interface ReportPerson {
  login: string;
  name: string;
  branch: string | null;
  /** When they confirmed (ms); null: not yet. */
  confirmedAt: number | null;
}

/** One branch's counts. */
export interface ReportBranch {
  branch: string | null;
  confirmed: number;
  pending: number;
}

/** Who has and has not confirmed an announcement, by branch, with a CSV for a spreadsheet. */
export interface AnnouncementReport {
  seq: number;
  ts: number;
  branches: ReportBranch[];
  people: ReportPerson[];
  /** `;`-separated, UTF-8 with a BOM (Excel), times in UTC; formula-like names defused. */
  csv: string;
}

/**
 * `announce.report`: the confirmation status of one announcement grouped by the recipients'
 * branch (pending people first within a branch), and the same as CSV.
 */
export async function announcementReport(hub: Hub, seq: number): Promise<AnnouncementReport> {
  const status = await hub.announcementStatus(null, seq);
  const branchOf = new Map((await hub.listAccounts()).map((a) => [a.id, a.branch]));
  const person = (p: { userId: number; login: string; name: string }, confirmedAt: number | null) => ({
    login: p.login,
    name: p.name,
    branch: branchOf.get(p.userId) ?? null,
    confirmedAt,
  });
  const people: ReportPerson[] = [
    ...status.pending.map((p) => person(p, null)),
    ...status.confirmed.map((p) => person(p, p.at)),
  ];
  people.sort(
    (a, b) =>
      (a.branch ?? '\uffff').localeCompare(b.branch ?? '\uffff', 'ru') ||
      Number(a.confirmedAt !== null) - Number(b.confirmedAt !== null) ||
      a.name.localeCompare(b.name, 'ru'),
  );
  const byBranch = new Map<string | null, ReportBranch>();
  for (const p of people) {
    const row = byBranch.get(p.branch) ?? { branch: p.branch, confirmed: 0, pending: 0 };
    if (p.confirmedAt === null) row.pending++;
    else row.confirmed++;
    byBranch.set(p.branch, row);
  }
  const csv = csvText(
    ['branch', 'login', 'name', 'confirmed_at_utc'],
    people.map((p) => [p.branch, p.login, p.name, utcTime(p.confirmedAt)]),
  );
  return { seq: status.seq, ts: status.ts, branches: [...byBranch.values()], people, csv };
}
