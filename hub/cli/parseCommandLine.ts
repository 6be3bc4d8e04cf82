import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CliCommand, CliContext, CliOption } from './CliCommand.ts';
import { commandTable } from './commandTable.ts';
import { didYouMean } from './didYouMean.ts';

/**
 * The options every command takes: where the data is, and help. `--create` matters to commands
 * that open the database (only `serve` creates one without it).
 */
export const sharedOptions: Record<string, CliOption> = {
  data: {
    type: 'string',
    value: 'DIR',
    help: 'the data folder the hub serves (BESEDA_DATA; default ./data)',
  },
  config: { type: 'string', value: 'FILE', help: 'a JSON config file giving dataDir, filesDir … (BESEDA_CONFIG)' },
  'files-dir': {
    type: 'string',
    value: 'DIR',
    help: 'the uploaded files folder, if not DATA/files (BESEDA_FILES_DIR)',
  },
  'releases-dir': {
    type: 'string',
    value: 'DIR',
    help: 'the desktop releases folder, if not DATA/releases (BESEDA_RELEASES_DIR)',
  },
  create: { type: 'boolean', help: 'start a new, empty database in a folder that has none (otherwise refused)' },
  help: { type: 'boolean', help: 'show this help' },
};

/** What the command line asks for. */
export type CommandLine =
  | { kind: 'run'; command: CliCommand; positionals: string[]; values: CliContext['values'] }
  /** Help: the overview (no command, or `group` for `beseda-hub user --help`), or one command's. */
  | { kind: 'help'; command?: CliCommand; group?: string; misuse?: boolean }
  | { kind: 'version' }
  /** Refused before anything runs (exit 2): one line, with a "did you mean" hint when there is one. */
  | { kind: 'error'; message: string; command?: CliCommand };

/** A command's words as typed: `user add`. */
export const commandName = (command: CliCommand): string => command.words.join(' ');

/** The options a command accepts: its own, and the shared ones it does not redefine. */
export function optionsOf(command: CliCommand): Record<string, CliOption> {
  return { ...sharedOptions, ...command.options };
}

/** How many positional words a usage (`LOGIN`, `[SEQ]`, `NAME|ID NEW`, `FILE...`) takes. */
export function positionalRange(usage: string | undefined): { min: number; max: number } {
  const words = (usage ?? '').split(/\s+/).filter((w) => w !== '');
  const max = words.some((w) => w.endsWith('...') || w.endsWith('…')) ? Infinity : words.length;
  return { min: words.filter((w) => !w.startsWith('[')).length, max };
}

/**
 * Reads `beseda-hub …`'s arguments against the command table: the command's words, then its
 * options with Node's `util.parseArgs` (strict, positionals allowed). An unknown command or option,
 * a value missing or given to a switch, an option given twice, and too many or too few positional
 * words are refused here, before the command runs, so a typo never silently does something else.
 */
export function parseCommandLine(table: readonly CliCommand[], argv: readonly string[]): CommandLine {
  const [first, ...after] = argv;
  if (first === undefined) return { kind: 'help', misuse: true };
  if (first === '--version' || first === '-V' || first === 'version') {
    if (after.length > 0) return { kind: 'error', message: `${first} takes nothing after it` };
    return { kind: 'version' };
  }
  if (first === '--help' || first === '-h' || first === 'help') return helpFor(table, after);
  const words: string[] = [];
  for (const word of argv) {
    if (word.startsWith('-')) break;
    words.push(word);
  }
  const command = longestMatch(table, words);
  if (!command) {
    const group = table.filter((c) => c.words[0] === words[0]);
    if (group.length > 0 && (argv.includes('--help') || argv.includes('-h'))) return { kind: 'help', group: words[0] };
    return { kind: 'error', message: unknownCommand(table, words) };
  }
  const rest = argv.slice(command.words.length);
  const options = optionsOf(command);
  const checked = checkOptions(command, options, rest);
  if (typeof checked === 'string') return { kind: 'error', message: checked, command };
  let parsed: { values: CliContext['values']; positionals: string[] };
  try {
    parsed = parseArgs({
      args: checked,
      options: parseArgsOptions(options),
      strict: true,
      allowPositionals: true,
    }) as typeof parsed;
  } catch (err) {
    // checkOptions refuses all this first; parseArgs stays the last word.
    return { kind: 'error', message: `${commandName(command)}: ${(err as Error).message.split('\n')[0]}`, command };
  }
  if (parsed.values.help === true) return { kind: 'help', command };
  const range = positionalRange(command.usage);
  const name = commandName(command);
  if (parsed.positionals.length > range.max) {
    const extra = parsed.positionals[range.max]!;
    const sub = didYouMean(
      `${name} ${extra}`,
      table.filter((c) => c.words.length > command.words.length).map(commandName),
    );
    const hint = sub ? ` — did you mean "${sub}"?` : '';
    return { kind: 'error', message: `unexpected argument "${extra}" for "${name}"${hint}`, command };
  }
  if (parsed.positionals.length < range.min)
    return {
      kind: 'error',
      message: `"${name}" needs ${command.usage}: beseda-hub ${name} ${command.usage}`,
      command,
    };
  return { kind: 'run', command, positionals: parsed.positionals, values: parsed.values };
}

/**
 * Whether `beseda-hub ARGV…` would be accepted (the docs test runs every command line of the
 * runbook through it): null, or the line the CLI would refuse it with. Runs nothing.
 */
export function checkCommandLine(argv: readonly string[]): string | null {
  const line = parseCommandLine(commandTable, argv);
  return line.kind === 'error' ? line.message : null;
}

/** `beseda-hub help [WORDS]` / `beseda-hub --help [WORDS]`. */
function helpFor(table: readonly CliCommand[], words: readonly string[]): CommandLine {
  if (words.length === 0) return { kind: 'help' };
  const command = table.find((c) => commandName(c) === words.join(' '));
  if (command) return { kind: 'help', command };
  if (words.length === 1 && table.some((c) => c.words[0] === words[0])) return { kind: 'help', group: words[0] };
  return { kind: 'error', message: unknownCommand(table, words) };
}

/** The command whose words begin the line, the longest one first (`announce status` before `announce`). */
function longestMatch(table: readonly CliCommand[], words: readonly string[]): CliCommand | undefined {
  let best: CliCommand | undefined;
  for (const command of table) {
    if (command.words.length > words.length) continue;
    if (command.words.every((w, i) => words[i] === w) && (!best || command.words.length > best.words.length))
      best = command;
  }
  return best;
}

function unknownCommand(table: readonly CliCommand[], words: readonly string[]): string {
  if (words.length === 0) return 'no command given (see: beseda-hub --help)';
  const group = table.filter((c) => c.words[0] === words[0]);
  const typed = words.slice(0, 2).join(' ');
  if (group.length > 0 && words.length === 1)
    return `"${words[0]}" needs one of: ${group.map(commandName).join(', ')} (see: beseda-hub ${words[0]} --help)`;
  const names = table.map(commandName);
  const guess =
    didYouMean(typed, names) ??
    didYouMean(words[0]!, names) ??
    didYouMean(words[0]!, [...new Set(table.map((c) => c.words[0]!))]);
  const hint = guess ? ` — did you mean "${guess}"?` : '';
  return `unknown command "${group.length > 0 ? typed : words[0]}"${hint} (see: beseda-hub --help)`;
}

/**
 * Walks the arguments as parseArgs will, refusing with a clear line what it would refuse with a
 * generic one (or not at all: an option given twice), and writes every value as `--name=value`
 * so a value starting with `-` (`--text -5 °C`) is taken as the value it is.
 */
function checkOptions(
  command: CliCommand,
  options: Record<string, CliOption>,
  args: readonly string[],
): string[] | string {
  const name = commandName(command);
  const out: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (arg === '-h') {
      out.push('--help');
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') ? arg.slice(2, eq < 0 ? undefined : eq) : arg.slice(1);
    const option = Object.hasOwn(options, flag) ? options[flag] : undefined;
    if (!option || !arg.startsWith('--')) {
      const guess = didYouMean(flag, Object.keys(options));
      const hint = guess ? ` — did you mean --${guess}?` : '';
      return `unknown option ${arg.startsWith('--') ? `--${flag}` : arg} for "${name}"${hint} (see: beseda-hub ${name} --help)`;
    }
    if (seen.has(flag) && !option.multiple) return `option --${flag} given twice for "${name}"`;
    seen.add(flag);
    if (option.type === 'boolean') {
      if (eq >= 0) return `option --${flag} of "${name}" takes no value`;
      out.push(arg);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--'))
        return `option --${flag} of "${name}" needs a value: --${flag} ${option.value ?? 'VALUE'}`;
      i++;
    }
    out.push(`--${flag}=${value}`);
  }
  return out;
}

function parseArgsOptions(options: Record<string, CliOption>): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, option] of Object.entries(options))
    out[name] = { type: option.type, ...(option.multiple ? { multiple: true } : {}) };
  return out;
}
