import { importOnboardOptions, onboardImported, withPublicUrl } from './inviteCommands.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HubConfig } from '../config/HubConfig.ts';
import { HubError } from '../ops/HubError.ts';
import type { AnnouncementStatus, BotInfo } from '../ops/IntegrationTypes.ts';
import type { AdminCall } from './adminCall.ts';
import type { CliCommand, CliContext } from './CliCommand.ts';
import { printLine, printNote } from './cliText.ts';
import { decodeText } from '../ops/integrations/decodeText.ts';

type Values = CliContext['values'];

// Names, rooms and import errors come from people and files: printed with control and bidi characters escaped.
const out = printLine;

/** The last value of a string option. */
const one = (values: Values, name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};

/** The value, or a bad_request naming what the command needs. */
const need = (value: string | undefined, what: string): string => {
  if (value === undefined || value.trim() === '') throw new HubError('bad_request', what);
  return value;
};

/** `--rooms "Room A,Room B"` as a list. */
const roomsOf = (values: Values): string[] | undefined =>
  one(values, 'rooms')
    ?.split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');

const botRights = {
  rooms: { type: 'string', value: '"Room A,Room B"', help: 'rooms it may post to (comma-separated)' },
  embed: { type: 'boolean', help: 'may create embed links (signs people in to the web client from 1C)' },
  directory: { type: 'boolean', help: 'may create and disable people with PUT/DELETE /api/v1/users' },
} as const;

/** The integration commands (docs/integrations.md): `bot …`, `hook …`, `announce …`. */
export const integrationCommands: CliCommand[] = [
  {
    words: ['bot', 'add'],
    usage: 'LOGIN',
    summary: 'Creates an integration identity (1C, Zabbix …); its token is printed once.',
    options: {
      name: { type: 'string', value: '"Name"', help: 'the name people see (default: the login)' },
      ...botRights,
      'callback-url': {
        type: 'string',
        value: 'URL',
        help: 'the hub POSTs messages to the bot, button clicks and commands here (signed; see --callback-allow)',
      },
    },
    async run({ positionals: [login], values, admin, config }) {
      const result = await admin('bot.add', {
        login: login!,
        name: one(values, 'name'),
        rooms: roomsOf(values),
        embed: values.embed === true,
        directory: values.directory === true,
        callbackUrl: one(values, 'callback-url'),
      });
      out(`Created bot ${describeBot(result.bot)}.`);
      printToken(result.token, config());
      if ('callback' in result && result.callback) printCallback(result.callback.url, result.callback.secret);
      return 0;
    },
  },
  {
    words: ['bot', 'callback'],
    usage: 'LOGIN',
    summary:
      "Sets (--url), turns off (--off) or re-keys (--new-secret) a bot's callback URL; a new secret is printed once.",
    options: {
      url: { type: 'string', value: 'URL', help: 'the callback URL (http or https; checked against --callback-allow)' },
      off: { type: 'boolean', help: 'no more calls to this bot (queued deliveries are dropped)' },
      'new-secret': { type: 'boolean', help: 'a new signing secret; the old one stops verifying at once' },
    },
    async run({ positionals: [login], values, admin }) {
      const result = await admin('bot.callback', {
        login: login!,
        url: one(values, 'url'),
        off: values.off === true ? true : undefined,
        newSecret: values['new-secret'] === true ? true : undefined,
      });
      if (result.url === null) out(`${result.bot.login} has no callback URL now; the hub does not call it.`);
      else printCallback(result.url, result.secret);
      return 0;
    },
  },
  {
    words: ['bot', 'grant'],
    usage: 'LOGIN',
    summary: 'Adds rooms and rights to a bot.',
    options: { ...botRights },
    async run({ positionals: [login], values, admin }) {
      const result = await admin('bot.grant', {
        login: login!,
        rooms: roomsOf(values),
        embed: values.embed === true,
        directory: values.directory === true,
      });
      out(`Bot ${describeBot(result.bot)}.`);
      return 0;
    },
  },
  {
    words: ['bot', 'token'],
    usage: 'LOGIN',
    summary: 'Gives a bot a new token (printed once); the old one stops working.',
    options: {},
    async run({ positionals: [login], admin, config }) {
      const result = await admin('bot.token', { login: login! });
      out(`New token for ${result.bot.login}; the previous one no longer works.`);
      printToken(result.token, config());
      return 0;
    },
  },
  {
    words: ['bot', 'revoke'],
    usage: 'LOGIN',
    summary: "Ends a bot's token at once.",
    options: {},
    async run({ positionals: [login], admin }) {
      await admin('bot.revoke', { login: login! });
      out(`The token of ${login} no longer works. A new one: beseda-hub bot token ${login}`);
      return 0;
    },
  },
  {
    words: ['bot', 'list'],
    summary: 'Lists the bots, their rights and rooms.',
    options: {},
    async run({ admin }) {
      const { bots } = await admin('bot.list', {});
      out(['LOGIN'.padEnd(20), 'STATUS'.padEnd(8), 'RIGHTS'.padEnd(16), 'ROOMS'].join(' '));
      for (const b of bots)
        out(
          [
            b.login.padEnd(20),
            (b.active ? 'active' : 'revoked').padEnd(8),
            rights(b).padEnd(16),
            b.rooms.map((r) => r.name).join(', '),
          ].join(' '),
        );
      out(`${bots.length} bots`);
      return 0;
    },
  },
  {
    words: ['hook', 'add'],
    summary: 'Creates a Slack-compatible incoming webhook for a room; its secret address is printed once.',
    options: {
      room: { type: 'string', value: 'NAME', help: 'the room it posts to (required)' },
      name: { type: 'string', value: '"Zabbix"', help: 'the name its messages show' },
      'allow-channel-override': {
        type: 'boolean',
        help: 'may post to other rooms and people with "channel" in the payload',
      },
    },
    async run({ values, admin, config }) {
      const result = await admin('hook.add', {
        room: need(one(values, 'room'), 'hook add needs --room NAME'),
        name: one(values, 'name'),
        allowChannelOverride: values['allow-channel-override'] === true,
      });
      const h = result.hook;
      out(
        `Created webhook ${h.id} "${h.name}" posting to "${h.roomName}" as ${h.botLogin}` +
          (h.allowChannelOverride ? ' (may post to other rooms and people with "channel").' : '.'),
      );
      out('Its address (shown only this once; whoever has it can post):');
      out(`  /hooks/${result.secret}`);
      out(`  e.g. ${hubAddress(config())}/hooks/${result.secret}`);
      return 0;
    },
  },
  {
    words: ['hook', 'list'],
    summary: 'Lists the webhooks.',
    options: {},
    async run({ admin }) {
      const { hooks } = await admin('hook.list', {});
      out(['ID'.padEnd(5), 'STATUS'.padEnd(8), 'OVERRIDE'.padEnd(9), 'ROOM'.padEnd(24), 'NAME'].join(' '));
      for (const h of hooks)
        out(
          [
            String(h.id).padEnd(5),
            (h.revoked ? 'revoked' : 'active').padEnd(8),
            (h.allowChannelOverride ? 'yes' : 'no').padEnd(9),
            h.roomName.slice(0, 24).padEnd(24),
            h.name,
          ].join(' '),
        );
      out(`${hooks.length} webhooks`);
      return 0;
    },
  },
  {
    words: ['hook', 'revoke'],
    usage: 'ID',
    summary: 'Revokes a webhook: its address answers 404 from then on.',
    options: {},
    async run({ positionals: [raw], admin }) {
      const id = Number(raw);
      if (!Number.isSafeInteger(id) || id < 1) throw new HubError('bad_request', 'hook revoke: the ID is a number');
      await admin('hook.revoke', { id });
      out(`Webhook ${id} revoked: its address answers 404 from now on.`);
      return 0;
    },
  },
  {
    words: ['announce'],
    summary: 'Posts an announcement everyone must confirm (the text from standard input\n' + 'if --text is not given).',
    options: {
      to: { type: 'string', value: 'all|branch:NAME|"#Room"', help: 'who gets it (required)' },
      text: { type: 'string', value: '"…"', help: 'the text (default: standard input)' },
      from: { type: 'string', value: 'LOGIN', help: 'who it is from (default: the first administrator)' },
    },
    async run({ values, admin }) {
      const text = one(values, 'text') ?? (await readStdin());
      if (text === undefined || text.trim() === '')
        throw new HubError('bad_request', 'announce needs --text "…" (or the text on standard input)');
      const { message } = await admin('announce', {
        to: need(one(values, 'to'), 'announce needs --to all|branch:NAME|"#Room"'),
        text,
        from: one(values, 'from'),
      });
      out(`Announcement ${message.seq} posted. Who confirmed: beseda-hub announce status ${message.seq}`);
      return 0;
    },
  },
  {
    words: ['announce', 'status'],
    usage: 'SEQ',
    summary: 'Who has and has not confirmed an announcement.',
    options: {},
    async run({ positionals: [raw], admin }) {
      const seq = Number(raw);
      if (!Number.isSafeInteger(seq) || seq < 1) throw new HubError('bad_request', 'announce status: SEQ is a number');
      printStatus(await admin('announce.status', { seq }));
      return 0;
    },
  },
];

/** `user import FILE`: decodes the file (UTF-8 or Windows-1251) and loads it all or nothing. */
export const userImportCommand: CliCommand = {
  words: ['user', 'import'],
  usage: 'FILE.csv',
  summary:
    'Loads people from a CSV file (login;name;branch;email;active — UTF-8 or Windows-1251), all or nothing.\n' +
    'With --invite or --passwords, then writes a CSV of invitation links or initial passwords to stdout.',
  options: importOnboardOptions,
  run: ({ positionals: [file], values, admin, config }) => userImport(file!, admin, withPublicUrl(values, config)),
};

async function userImport(file: string, call: AdminCall, values: Record<string, unknown> = {}): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new HubError('not_found', `cannot read ${file}: ${(err as Error).message}`);
  }
  const { text, encoding } = decodeText(bytes);
  const report = await call('user.import', { csv: text });
  const name = path.basename(file);
  if (!report.ok) {
    printNote(`${name}: nothing imported; ${report.errors.length} error(s):`);
    for (const e of report.errors) printNote(`  line ${e.line}: ${e.reason}`);
    return 1;
  }
  // Onboarding (hub/cli/inviteCommands.ts): the report goes to stderr so stdout is the CSV alone.
  const onboarding = values.invite === true || values.passwords === true;
  (onboarding ? printNote : out)(
    `Imported ${name} (${encoding}): ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged.`,
  );
  if (onboarding) return onboardImported(text, values, call);
  if (report.created > 0)
    out('New people have no password yet: set one with "user passwd LOGIN", or let them in through 1C (embed links).');
  return 0;
}

function describeBot(b: BotInfo): string {
  const where = b.rooms.length > 0 ? `rooms: ${b.rooms.map((r) => r.name).join(', ')}` : 'no rooms';
  return `${b.login} (${b.name}), id ${b.id}; ${where}; rights: ${rights(b)}`;
}

function rights(b: BotInfo): string {
  const list = ['post', ...(b.canEmbed ? ['embed'] : []), ...(b.canManageUsers ? ['directory'] : [])];
  return list.join(',');
}

function printToken(token: string, config: HubConfig): void {
  out("Token (shown only this once; keep it in the integration's settings, not in its code):");
  out(`  ${token}`);
  out('Try it:');
  out(
    `  curl -X POST ${hubAddress(config)}/api/v1/messages -H "Authorization: Bearer ${token}" ` +
      `-H "Content-Type: application/json; charset=utf-8" -d '{"to":"@LOGIN","text":"Проверка связи"}'`,
  );
}

/** The callback URL and, when one was made, the signing secret (shown only this once). */
function printCallback(url: string | null, secret: string | undefined): void {
  out(`Callback URL: ${url ?? '—'}`);
  if (secret === undefined) return;
  out('Callback secret (shown only this once; the bot checks X-Beseda-Signature with it):');
  out(`  ${secret}`);
}

function hubAddress(config: HubConfig): string {
  return `${config.tlsCert ? 'https' : 'http'}://HUB-ADDRESS:${config.port}`;
}

function printStatus(s: AnnouncementStatus): void {
  const when = (ts: number) => new Date(ts).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  out(
    `Announcement ${s.seq} (conversation ${s.conversationId}, ${when(s.ts)}): ` +
      `${s.confirmed.length} confirmed, ${s.pending.length} not yet.`,
  );
  if (s.confirmed.length > 0) out('Confirmed:');
  for (const c of s.confirmed) out(`  ${c.login.padEnd(20)} ${c.name.slice(0, 30).padEnd(30)} ${when(c.at)}`);
  if (s.pending.length > 0) out('Not confirmed yet:');
  for (const p of s.pending) out(`  ${p.login.padEnd(20)} ${p.name}`);
}

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  return text === '' ? undefined : text;
}
