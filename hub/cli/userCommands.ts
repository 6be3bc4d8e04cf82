import type { AccountInfo } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import type { CliCommand } from './CliCommand.ts';
import { cliText, printLine } from './cliText.ts';
import { csvText, utcTime } from './csvText.ts';
import { userImportCommand } from './integrationCli.ts';

/** The first line of standard input when it is piped (a password), else undefined. */
export async function readStdinLine(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const line = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  return line === '' ? undefined : line;
}

function printGeneratedPassword(password: string | undefined): void {
  if (typeof password === 'string') printLine(`Password (shown only this once): ${password}`);
}

const one = (value: string | boolean | string[] | undefined): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** Writes CSV on stdout as is (for a file or a pipe); on a terminal, control characters escaped. */
export function printCsv(text: string): void {
  if (!process.stdout.isTTY) process.stdout.write(text);
  else for (const line of text.split('\r\n').slice(0, -1)) process.stdout.write(cliText(line) + '\n');
}

/** The account commands: `user add|passwd|disable|enable|list|import`. */
export const userCommands: CliCommand[] = [
  {
    words: ['user', 'add'],
    usage: 'LOGIN',
    summary:
      'Creates an account. The password comes from standard input if piped;\n' +
      'otherwise one is generated and printed once.',
    options: {
      name: { type: 'string', value: '"Full Name"', help: 'the full name people see (required)' },
      admin: { type: 'boolean', help: 'an administrator (default: an ordinary user)' },
      branch: { type: 'string', value: 'NAME', help: "the branch office; puts them in that branch's room" },
      email: { type: 'string', value: 'ADDR', help: 'work e-mail' },
    },
    async run({ positionals: [login], values, admin }) {
      const name = one(values.name);
      if (!name) throw new HubError('bad_request', 'user add needs --name "Full Name"');
      const { user: u, generatedPassword } = await admin('user.add', {
        login: login!,
        name,
        password: await readStdinLine(),
        admin: values.admin === true,
        branch: one(values.branch) ?? null,
        email: one(values.email) ?? null,
      });
      printLine(`Created ${u.isAdmin ? 'administrator' : 'user'} ${u.login} (${u.name}), id ${u.id}.`);
      printGeneratedPassword(generatedPassword);
      return 0;
    },
  },
  {
    words: ['user', 'passwd'],
    usage: 'LOGIN',
    summary: 'Sets a new password (from standard input, or generated) and ends their sessions.',
    options: {},
    async run({ positionals: [login], admin }) {
      const { generatedPassword } = await admin('user.passwd', { login: login!, password: await readStdinLine() });
      printLine(`Password of ${login} changed; their sessions were ended.`);
      printGeneratedPassword(generatedPassword);
      return 0;
    },
  },
  {
    words: ['user', 'disable'],
    usage: 'LOGIN',
    summary: "Disables an account and closes the person's connections at once.",
    options: {},
    async run({ positionals: [login], admin }) {
      await admin('user.disable', { login: login! });
      printLine(`Disabled ${login}; their connections were closed.`);
      return 0;
    },
  },
  {
    words: ['user', 'enable'],
    usage: 'LOGIN',
    summary: 'Enables a disabled account again.',
    options: {},
    async run({ positionals: [login], admin }) {
      await admin('user.enable', { login: login! });
      printLine(`Enabled ${login}.`);
      return 0;
    },
  },
  {
    words: ['user', 'list'],
    summary:
      'Lists every account: login, name, role, status, id, branch, e-mail, created, last seen (UTC),\n' +
      'and the external id (1C) where there is one.',
    options: {
      csv: {
        type: 'boolean',
        help: 'CSV for Excel instead: ";"-separated, UTF-8 with BOM, times in UTC',
      },
    },
    async run({ values, admin }) {
      const { users } = await admin('user.list', {});
      if (values.csv === true) printCsv(accountsCsv(users));
      else printAccounts(users);
      return 0;
    },
  },
  userImportCommand,
];

const role = (u: AccountInfo) => (u.isAdmin ? 'admin' : u.isBot ? 'bot' : 'user');
const status = (u: AccountInfo) => (u.disabled ? 'disabled' : 'active');

/** `user list --csv`. */
export function accountsCsv(users: readonly AccountInfo[]): string {
  return csvText(
    ['id', 'login', 'name', 'role', 'status', 'branch', 'email', 'created_utc', 'last_seen_utc', 'external_id'],
    users.map((u) => [
      u.id,
      u.login,
      u.name,
      role(u),
      status(u),
      u.branch ?? '',
      u.email ?? '',
      utcTime(u.createdAt),
      utcTime(u.lastSeen),
      u.externalId ?? '',
    ]),
  );
}

function printAccounts(users: readonly AccountInfo[]): void {
  // The external id (1C) column only on hubs that have one: most have none.
  const linked = users.some((u) => u.externalId !== null);
  const head = ['LOGIN'.padEnd(20), 'NAME'.padEnd(30), 'ROLE'.padEnd(6), 'STATUS'.padEnd(8), 'ID'.padStart(5)];
  const tail = ['BRANCH'.padEnd(16), 'E-MAIL'.padEnd(26), 'CREATED (UTC)'.padEnd(19)];
  printLine([...head, ...tail, linked ? 'LAST SEEN (UTC)     EXTERNAL ID' : 'LAST SEEN (UTC)'].join(' '));
  for (const u of users)
    printLine(
      [
        u.login.padEnd(20),
        u.name.slice(0, 30).padEnd(30),
        role(u).padEnd(6),
        status(u).padEnd(8),
        String(u.id).padStart(5),
        (u.branch ?? '—').slice(0, 16).padEnd(16),
        (u.email ?? '—').slice(0, 26).padEnd(26),
        utcTime(u.createdAt).padEnd(19),
        (u.lastSeen === null ? 'never' : utcTime(u.lastSeen)).padEnd(linked ? 19 : 0),
        ...(linked ? [u.externalId ?? '—'] : []),
      ].join(' '),
    );
  printLine(`${users.length} accounts`);
}
