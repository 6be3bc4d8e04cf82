// The command-line parser refuses what it does not know before a command runs, with a hint, and
// every command's --help lists every option it accepts (serve: every setting). Unit tests of the
// parser against the real command table; tests/cli/cliProcess.test.ts runs the real CLI.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandHelp, overviewHelp } from '../../hub/cli/commandHelp.ts';
import { commandTable } from '../../hub/cli/commandTable.ts';
import { didYouMean } from '../../hub/cli/didYouMean.ts';
import {
  checkCommandLine,
  commandName,
  optionsOf,
  parseCommandLine,
  positionalRange,
} from '../../hub/cli/parseCommandLine.ts';
import { flagNames } from '../../hub/config/loadConfig.ts';
import { hubVersion } from '../../hub/version.ts';

const parse = (...argv: string[]) => parseCommandLine(commandTable, argv);
const error = (...argv: string[]) => {
  const line = parse(...argv);
  expect(line.kind, argv.join(' ')).toBe('error');
  return (line as { message: string }).message;
};

describe('the beseda-hub command-line parser', () => {
  it("refuses an unknown option with the nearest one as a hint (the issue's examples)", () => {
    expect(error('bot', 'add', 'erp', '--embedd')).toMatch(
      /^unknown option --embedd for "bot add" — did you mean --embed\?/,
    );
    expect(error('user', 'add', 'x', '--bogus-flag', '1')).toMatch(/^unknown option --bogus-flag for "user add"/);
    expect(error('serve', '--prot', '1')).toMatch(/did you mean --port\?/);
    expect(error('user', 'add', 'x', '--name', 'X', '-a')).toMatch(/unknown option -a for "user add"/);
    // An option of another command is unknown here too.
    expect(error('user', 'list', '--embed')).toMatch(/unknown option --embed for "user list"/);
  });

  it('refuses an unknown command, with a hint, and a group without its command', () => {
    expect(error('user', 'lst')).toMatch(/^unknown command "user lst" — did you mean "user list"\?/);
    expect(error('rom', 'list')).toMatch(/did you mean "room list"\?/);
    expect(error('frobnicate')).toMatch(/^unknown command "frobnicate"/);
    expect(error('room')).toMatch(
      /"room" needs one of: room add, room list, room archive, room unarchive, room rename/,
    );
  });

  it('refuses extra and missing words, missing values, values given to switches and options given twice', () => {
    expect(error('announce', 'statsu', '5')).toMatch(
      /unexpected argument "statsu" for "announce" — did you mean "announce status"\?/,
    );
    expect(error('user', 'list', 'extra')).toMatch(/unexpected argument "extra" for "user list"/);
    expect(error('user', 'add', '--name', 'X')).toMatch(/"user add" needs LOGIN/);
    expect(error('room', 'rename', 'Склад')).toMatch(/"room rename" needs NAME\|ID NEW/);
    expect(error('user', 'add', 'x', '--name')).toMatch(/--name of "user add" needs a value/);
    expect(error('user', 'add', 'x', '--name', '--admin')).toMatch(/--name of "user add" needs a value/);
    expect(error('user', 'add', 'x', '--admin=yes', '--name', 'X')).toMatch(/--admin of "user add" takes no value/);
    expect(error('serve', '--port', '1', '--port', '2')).toMatch(/--port given twice/);
  });

  it('reads values, switches, lists, `=` forms and values that start with a dash', () => {
    expect(parse('user', 'add', 'x', '--name', 'Имя Фамилия', '--admin', '--data=/d')).toEqual({
      kind: 'run',
      command: expect.objectContaining({ words: ['user', 'add'] }),
      positionals: ['x'],
      values: { name: 'Имя Фамилия', admin: true, data: '/d' },
    });
    expect(parse('announce', '--to', 'all', '--text', '-5 °C на складе')).toMatchObject({
      kind: 'run',
      values: { to: 'all', text: '-5 °C на складе' },
    });
    expect(parse('serve', '--origin', 'https://a', '--origin=https://b')).toMatchObject({
      values: { origin: ['https://a', 'https://b'] },
    });
    expect(parse('room', 'rename', '12', 'Склад')).toMatchObject({ kind: 'run', positionals: ['12', 'Склад'] });
  });

  it('answers --help, help WORDS, -h and --version', () => {
    expect(parse('--help')).toEqual({ kind: 'help' });
    expect(parse()).toEqual({ kind: 'help', misuse: true });
    expect(parse('user', 'add', '--help')).toMatchObject({ kind: 'help', command: { words: ['user', 'add'] } });
    expect(parse('help', 'room', 'list')).toMatchObject({ kind: 'help', command: { words: ['room', 'list'] } });
    expect(parse('room', '-h')).toEqual({ kind: 'help', group: 'room' });
    expect(parse('--version')).toEqual({ kind: 'version' });
    expect(parse('version')).toEqual({ kind: 'version' });
    expect(error('--version', 'x')).toMatch(/takes nothing after it/);
  });

  it('checkCommandLine: null for a line that would run, else the refusal', () => {
    expect(checkCommandLine(['bot', 'add', 'erp', '--embedd'])).toMatch(/did you mean --embed/);
    expect(checkCommandLine(['user', 'list', '--csv', '--data', '/var/lib/beseda'])).toBeNull();
    expect(checkCommandLine(['room', 'list', '--archived', '--csv'])).toBeNull();
    expect(
      checkCommandLine(['serve', '--backup-every', '6h', '--backup-keep', '28', '--trust-proxy', '10.0.0.1']),
    ).toBeNull();
    expect(checkCommandLine(['--version'])).toBeNull();
  });

  it('hints only when the guess is close', () => {
    expect(didYouMean('embedd', ['embed', 'rooms', 'directory'])).toBe('embed');
    expect(didYouMean('xyz', ['embed', 'rooms'])).toBeUndefined();
    expect(didYouMean('dir', ['embed', 'directory'])).toBe('directory');
  });
});

describe('help', () => {
  it("lists every option of every command in that command's --help, with its value placeholder", () => {
    for (const command of commandTable) {
      const help = commandHelp(command);
      expect(help).toContain(`Usage: beseda-hub ${commandName(command)}`);
      for (const [flag, option] of Object.entries(optionsOf(command))) {
        const head = option.type === 'string' ? `--${flag} ${option.value}` : `--${flag}`;
        expect(help, `${commandName(command)} --${flag}`).toContain(head);
        expect(help).toContain(option.help);
      }
    }
  });

  it('serve --help lists every setting the configuration reads (those the issue found missing too)', () => {
    const serve = commandTable.find((c) => commandName(c) === 'serve')!;
    const help = commandHelp(serve);
    for (const flag of Object.keys(flagNames)) expect(help, flag).toMatch(new RegExp(`^  --${flag} `, 'm'));
    for (const flag of [
      'frame-ancestors',
      'log-level',
      'max-text-bytes',
      'max-db-pages',
      'scrypt-n',
      'send-per-second',
    ])
      expect(help).toContain(`--${flag}`);
    expect(help).toMatch(/--backup-every DURATION .*BESEDA_BACKUP_EVERY; default 24h/);
  });

  it('the overview names every command with its summary', () => {
    const overview = overviewHelp(commandTable);
    for (const command of commandTable) {
      expect(overview).toContain(`  ${commandName(command)}`);
      expect(overview).toContain(command.summary.split('\n')[0]);
    }
  });

  it('takes the usage of a command for its positional words', () => {
    expect(positionalRange('LOGIN')).toEqual({ min: 1, max: 1 });
    expect(positionalRange('[SEQ]')).toEqual({ min: 0, max: 1 });
    expect(positionalRange('NAME|ID NEW')).toEqual({ min: 2, max: 2 });
    expect(positionalRange(undefined)).toEqual({ min: 0, max: 0 });
  });
});

describe('the version', () => {
  it("hub/version.ts is package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(hubVersion).toBe(pkg.version);
  });
});
