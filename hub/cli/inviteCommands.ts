import type { HubConfig } from '../config/HubConfig.ts';
import { parseDuration } from '../config/parseDuration.ts';
import { invitationLink } from '../identity/invitations/invitationCode.ts';
import type { OnboardOutcome } from '../ops/Invitations.ts';
import { HubError } from '../ops/HubError.ts';
import { parseUserCsv } from '../ops/integrations/parseUserCsv.ts';
import type { AdminCall } from './adminCall.ts';
import type { CliCommand, CliOption } from './CliCommand.ts';
import { cliText, printLine, printNote } from './cliText.ts';
import { csvText, utcTime } from './csvText.ts';

/** CSV on stdout as is (a file or a pipe); on a terminal, control characters escaped. */
function printCsv(text: string): void {
  if (!process.stdout.isTTY) process.stdout.write(text);
  else for (const line of text.split('\r\n').slice(0, -1)) process.stdout.write(cliText(line) + '\n');
}

/** Options shared by `user invite` and `user import --invite`. */
export const inviteOptions: Record<string, CliOption> = {
  valid: {
    type: 'string',
    value: 'DURATION',
    help: 'how long the link works (e.g. 72h, 14d); default --invite-valid of the configuration (7d)',
  },
  url: {
    type: 'string',
    value: 'URL',
    help: 'the address people open the hub at (https://chat.corp.local), to print whole links; default --public-url',
  },
};

/** `--valid` in milliseconds, or undefined for the hub's `--invite-valid`. */
function validMsOf(values: Record<string, unknown>): number | undefined {
  if (typeof values.valid !== 'string') return undefined;
  const ms = parseDuration(values.valid);
  if (ms === null || ms < 60_000)
    throw new HubError('bad_request', `--valid ${values.valid}: a duration of 1m or more, like 72h or 14d`);
  return ms;
}

/**
 * `--url`, else the configuration's `publicUrl` (`--public-url`, BESEDA_PUBLIC_URL, the config
 * file), so links come out whole wherever the hub's public address is configured.
 */
export function withPublicUrl(values: Record<string, unknown>, config: () => HubConfig): Record<string, unknown> {
  if (typeof values.url === 'string') return values;
  const publicUrl = config().publicUrl;
  return publicUrl === null ? values : { ...values, url: publicUrl };
}

/** The link for a code: whole with `--url`, else the path to put after the hub's address. */
function linkOf(values: Record<string, unknown>, code: string): string {
  return typeof values.url === 'string' ? invitationLink(values.url, code) : `/invite/${code}`;
}

/** `beseda-hub user invite LOGIN`: a one-time link where the person chooses their own password. */
export const userInviteCommand: CliCommand = {
  words: ['user', 'invite'],
  usage: 'LOGIN',
  summary:
    'Makes a one-time invitation link for an account (replacing an unused one): the person opens it\n' +
    'and chooses their own password. Shown only this once; only its hash is kept.',
  options: inviteOptions,
  async run({ positionals: [login], values: given, admin, config }) {
    const values = withPublicUrl(given, config);
    const invitation = await admin('user.invite', { login: login!, validMs: validMsOf(values) });
    printLine(
      `Invitation for ${invitation.login} (${invitation.name}), valid until ${utcTime(invitation.expiresAt)} UTC:`,
    );
    printLine(linkOf(values, invitation.code));
    if (typeof values.url !== 'string') printNote("(put the hub's address before the path, or give --url)");
    return 0;
  },
};

/** Options `user import` takes for onboarding the people it created. */
export const importOnboardOptions: Record<string, CliOption> = {
  invite: {
    type: 'boolean',
    help: 'then write a CSV of invitation links (login;name;link;expires_utc) for people never signed in',
  },
  passwords: {
    type: 'boolean',
    help: 'then write a CSV of initial passwords, changed at first sign-in, for people never signed in',
  },
  ...inviteOptions,
};

/**
 * After `user import FILE --invite|--passwords`: onboards every active login of the file that
 * nobody has signed in to yet and writes the CSV to standard output (redirect it to a file).
 */
export async function onboardImported(csv: string, values: Record<string, unknown>, admin: AdminCall): Promise<number> {
  if (values.invite === true && values.passwords === true)
    throw new HubError('bad_request', 'give --invite or --passwords, not both');
  const mode = values.invite === true ? 'invite' : 'password';
  const logins = parseUserCsv(csv)
    .entries.filter((e) => e.entry.active !== false)
    .map((e) => e.entry.login);
  const { people } = await admin('user.onboard', { logins, mode, validMs: validMsOf(values) });
  printCsv(onboardCsv(people, values));
  const skipped = people.filter((p) => 'skipped' in p);
  printNote(
    `${people.length - skipped.length} ${mode === 'invite' ? 'invitation(s)' : 'initial password(s)'} written; ` +
      `${skipped.length} skipped (signed in before, disabled or directory accounts). Keep the file safe and delete it after.`,
  );
  return 0;
}

function onboardCsv(people: readonly OnboardOutcome[], values: Record<string, unknown>): string {
  const done = people.filter((p) => !('skipped' in p));
  if (done.some((p) => 'password' in p))
    return csvText(
      ['login', 'name', 'password'],
      done.map((p) => [p.login, 'name' in p ? p.name : '', 'password' in p ? p.password : '']),
    );
  return csvText(
    ['login', 'name', 'link', 'expires_utc'],
    done.map((p) =>
      'code' in p ? [p.login, p.name, linkOf(values, p.code), utcTime(p.expiresAt)] : [p.login, '', '', ''],
    ),
  );
}
