import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HubConfig } from '../config/HubConfig.ts';
import { HubError } from '../ops/HubError.ts';
import type { AnnouncementStatus, BotInfo } from '../ops/IntegrationTypes.ts';
import type { AdminCall } from './adminCall.ts';
import { printLine, printNote } from './cliText.ts';
import { decodeText } from '../ops/integrations/decodeText.ts';

/** Switches (flags without a value) the integration commands take. */
export const integrationSwitches = ['allow-channel-override', 'embed', 'directory'] as const;

/** The integration commands' lines of `beseda-hub --help`. */
export const integrationUsage = `  beseda-hub user import FILE.csv  (login;name;branch;email;active — UTF-8 or Windows-1251; all or nothing)
  beseda-hub bot add LOGIN [--name "Name"] [--rooms "Room A,Room B"] [--embed] [--directory]
             (an integration identity; its token is printed once. --embed: may create embed links,
              --directory: may create and disable people with PUT/DELETE /api/v1/users)
  beseda-hub bot grant LOGIN [--rooms "Room C"] [--embed] [--directory]
  beseda-hub bot token LOGIN        (a new token; the old one stops working)
  beseda-hub bot revoke LOGIN       (the token stops working at once)
  beseda-hub bot list
  beseda-hub hook add --room NAME [--name "Zabbix"] [--allow-channel-override]
             (a Slack-compatible incoming webhook; its secret URL is printed once)
  beseda-hub hook list
  beseda-hub hook revoke ID
  beseda-hub announce --to all|branch:NAME|"#Room" --text "…" [--from LOGIN]
             (text from standard input if --text is not given; everyone must confirm it)
  beseda-hub announce status SEQ    (who has and has not confirmed)
`;

type Flags = Record<string, string | string[]>;

// Names, rooms and import errors come from people and files: printed with control and bidi characters escaped.
const out = printLine;

/** One integration command's words and how to run admin commands. */
interface CommandInput {
  sub: string | undefined;
  target: string | undefined;
  switches: ReadonlySet<string>;
  config: HubConfig;
  call: AdminCall;
  /** The last value of a flag. */
  one(name: string): string | undefined;
  /** The value, or a bad_request naming what the command needs. */
  need(value: string | undefined, what: string): string;
}

/**
 * Runs `bot …`, `hook …` and `announce …`; returns the exit code. Failures throw HubError (the
 * CLI prints them as one line).
 */
export async function integrationCommand(
  positionals: readonly string[],
  flags: Flags,
  switches: ReadonlySet<string>,
  config: HubConfig,
  call: AdminCall,
): Promise<number> {
  const [command, sub, target] = positionals;
  const one = (name: string) => {
    const value = flags[name];
    return Array.isArray(value) ? value[value.length - 1] : value;
  };
  const need = (value: string | undefined, what: string) => {
    if (value === undefined || value.trim() === '') throw new HubError('bad_request', `${command} ${sub}: ${what}`);
    return value;
  };
  const input: CommandInput = { sub, target, switches, config, call, one, need };
  const code =
    command === 'bot'
      ? await botCommand(input)
      : command === 'hook'
        ? await hookCommand(input)
        : command === 'announce'
          ? await announceCommand(input)
          : undefined;
  if (code !== undefined) return code;
  printNote(`unknown command "${positionals.join(' ')}" (see: beseda-hub --help)`);
  return 2;
}

/** `bot add|grant|token|revoke|list`; undefined for another word. */
async function botCommand(input: CommandInput): Promise<number | undefined> {
  const { sub, target, switches, config, call, one, need } = input;
  const rooms = () =>
    one('rooms')
      ?.split(',')
      .map((r) => r.trim())
      .filter((r) => r !== '');
  switch (sub) {
    case 'add': {
      const result = await call('bot.add', {
        login: need(target, 'needs a LOGIN'),
        name: one('name'),
        rooms: rooms(),
        embed: switches.has('embed'),
        directory: switches.has('directory'),
      });
      out(`Created bot ${describeBot(result.bot)}.`);
      printToken(result.token, config);
      return 0;
    }
    case 'grant': {
      const result = await call('bot.grant', {
        login: need(target, 'needs a LOGIN'),
        rooms: rooms(),
        embed: switches.has('embed'),
        directory: switches.has('directory'),
      });
      out(`Bot ${describeBot(result.bot)}.`);
      return 0;
    }
    case 'token': {
      const result = await call('bot.token', { login: need(target, 'needs a LOGIN') });
      out(`New token for ${result.bot.login}; the previous one no longer works.`);
      printToken(result.token, config);
      return 0;
    }
    case 'revoke':
      await call('bot.revoke', { login: need(target, 'needs a LOGIN') });
      out(`The token of ${target} no longer works. A new one: beseda-hub bot token ${target}`);
      return 0;
    case 'list': {
      const { bots } = await call('bot.list', {});
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
    }
  }
  return undefined;
}

/** `hook add|list|revoke`; undefined for another word. */
async function hookCommand(input: CommandInput): Promise<number | undefined> {
  const { sub, target, switches, config, call, one, need } = input;
  switch (sub) {
    case 'add': {
      const result = await call('hook.add', {
        room: need(one('room'), 'needs --room NAME'),
        name: one('name'),
        allowChannelOverride: switches.has('allow-channel-override'),
      });
      const h = result.hook;
      out(
        `Created webhook ${h.id} "${h.name}" posting to "${h.roomName}" as ${h.botLogin}` +
          (h.allowChannelOverride ? ' (may post to other rooms and people with "channel").' : '.'),
      );
      out('Its address (shown only this once; whoever has it can post):');
      out(`  /hooks/${result.secret}`);
      out(`  e.g. ${hubAddress(config)}/hooks/${result.secret}`);
      return 0;
    }
    case 'list': {
      const { hooks } = await call('hook.list', {});
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
    }
    case 'revoke': {
      const id = Number(need(target, 'needs an ID (see: hook list)'));
      if (!Number.isSafeInteger(id) || id < 1) throw new HubError('bad_request', 'hook revoke: the ID is a number');
      await call('hook.revoke', { id });
      out(`Webhook ${id} revoked: its address answers 404 from now on.`);
      return 0;
    }
  }
  return undefined;
}

/** `announce --to … --text …` and `announce status SEQ`. */
async function announceCommand(input: CommandInput): Promise<number> {
  const { sub, target, call, one, need } = input;
  if (sub === 'status') {
    const seq = Number(need(target, 'needs the announcement number (SEQ)'));
    if (!Number.isSafeInteger(seq) || seq < 1) throw new HubError('bad_request', 'announce status: SEQ is a number');
    printStatus(await call('announce.status', { seq }));
    return 0;
  }
  if (sub !== undefined) throw new HubError('bad_request', `unknown announce command "${sub}"`);
  const text = one('text') ?? (await readStdin());
  if (text === undefined || text.trim() === '')
    throw new HubError('bad_request', 'announce needs --text "…" (or the text on standard input)');
  const { message } = await call('announce', {
    to: need(one('to'), 'needs --to all|branch:NAME|"#Room"'),
    text,
    from: one('from'),
  });
  out(`Announcement ${message.seq} posted. Who confirmed: beseda-hub announce status ${message.seq}`);
  return 0;
}

/** `user import FILE`: decodes the file (UTF-8 or Windows-1251) and loads it all or nothing. */
export async function userImport(file: string | undefined, call: AdminCall): Promise<number> {
  if (!file) throw new HubError('bad_request', 'user import needs a FILE (CSV: login;name;branch;email;active)');
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
  out(
    `Imported ${name} (${encoding}): ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged.`,
  );
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
