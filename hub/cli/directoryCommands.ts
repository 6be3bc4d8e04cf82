import type { CheckReport, SyncReport } from '../identity/ldap/DirectoryService.ts';
import type { CliCommand } from './CliCommand.ts';
import { printLine } from './cliText.ts';

/** The plan, one line per change, then the summary (what `directory sync` prints). */
export function printSyncReport(report: SyncReport): void {
  const { plan } = report;
  const mark = report.dryRun ? 'would ' : '';
  for (const w of plan.create) printLine(`${mark}create  ${w.person.login}  "${w.person.name}"  (${w.dn})`);
  for (const w of plan.update) printLine(`${mark}update  ${w.person.login}  ${w.changes.join(', ')}`);
  for (const g of plan.disableGone) printLine(`${mark}disable ${g.login}  (gone from the directory)`);
  for (const r of plan.rooms) {
    if (r.missingGroup) printLine(`room "${r.room}": no group ${r.group} in the directory, left as it is`);
    if (r.create && r.add.length > 0) printLine(`${mark}create room "${r.room}" (closed) for ${r.group}`);
    for (const login of r.add) printLine(`${mark}add     ${login} to "${r.room}"`);
    for (const login of r.remove) printLine(`${mark}remove  ${login} from "${r.room}" (${r.mode})`);
  }
  for (const s of plan.skipped) printLine(`skip    ${s.login}: ${s.reason}`);
  for (const e of report.roomErrors) printLine(`room error: ${e}`);
  printLine(report.summary);
}

function printCheck(report: CheckReport): void {
  if (report.login === null) {
    printLine(`Not a login of this directory: ${report.reason ?? ''}`);
    return;
  }
  printLine(`login:      ${report.login}`);
  const e = report.entry;
  if (e) {
    printLine(`entry:      ${e.dn}`);
    printLine(`id:         ${e.id}`);
    printLine(`name:       ${e.name}`);
    for (const [label, value] of [
      ['e-mail', e.email],
      ['phone', e.phone],
      ['position', e.position],
      ['branch', e.branch],
    ] as const)
      printLine(`${`${label}:`.padEnd(12)}${value ?? '—'}`);
    printLine(`disabled:   ${e.disabled ? 'yes (disabledFilter matches)' : 'no'}`);
  } else printLine(`entry:      none (${report.reason ?? ''})`);
  const a = report.account;
  if (a)
    printLine(
      `account:    ${a.login}, signs in with ${a.authSource === 'directory' ? 'the directory password' : 'a local password'}` +
        `${a.disabled ? ', disabled' : ''}${a.isAdmin ? ', administrator' : ''}`,
    );
  else printLine('account:    none yet (created at first sign-in or by directory sync)');
}

/** `directory sync [--dry-run]` and `directory check LOGIN`. */
export const directoryCommands: CliCommand[] = [
  {
    words: ['directory', 'sync'],
    summary:
      'Syncs people and group rooms from LDAP / Active Directory now (--directory FILE):\n' +
      'creates, updates, disables; never changes administrators. Prints each change and a summary.',
    options: {
      'dry-run': { type: 'boolean', help: 'print what would change and change nothing' },
    },
    async run({ values, admin }) {
      const report = await admin('directory.sync', { dryRun: values['dry-run'] === true });
      printSyncReport(report);
      return report.roomErrors.length > 0 ? 1 : 0;
    },
  },
  {
    words: ['directory', 'check'],
    usage: 'LOGIN',
    summary:
      'Shows what the hub finds in the directory for a login (ivanov, CORP\\ivanov or\n' +
      'ivanov@corp.local) and how the account signs in. Checks no password.',
    options: {},
    async run({ positionals: [login], admin }) {
      printCheck(await admin('directory.check', { login: login! }));
      return 0;
    },
  },
];
