import type { HubConfig } from '../config/HubConfig.ts';
import type { AdminCall } from './adminCall.ts';

/** One option of a command: what `util.parseArgs` needs, and the line `--help` prints for it. */
export interface CliOption {
  type: 'string' | 'boolean';
  /** Given more than once (or as a comma list by the command itself): the values in order. */
  multiple?: boolean;
  /** The value's placeholder in `--help` (`N`, `DIR`, `DURATION`); booleans have none. */
  value?: string;
  /** One line for `--help`: what it does and its default. */
  help: string;
}

/** What a command's `run` gets: its words and values already checked against its own options. */
export interface CliContext {
  /** The positional words after the command's own words (`user add LOGIN` → `['LOGIN']`). */
  positionals: string[];
  /** The options given, by name (`--unattached-hours 3` → `values['unattached-hours'] === '3'`). */
  values: Record<string, string | boolean | string[] | undefined>;
  /** The configuration that locates the data folder (`--data`, `--config`, `--files-dir`, environment). */
  config(): HubConfig;
  /** Runs an admin command through the running hub, or directly on the data folder (`--create` honoured). */
  admin: AdminCall;
}

/**
 * One `beseda-hub` command (`user add`, `backup`, `audit`, …). Every command declares all its
 * options: anything else is refused with a "did you mean" hint before `run` is called, and
 * `beseda-hub <words> --help` prints `usage`, `summary` and every option from this declaration.
 * The options every data-folder command shares (`--data`, `--config`, `--files-dir`, `--releases-dir`, `--create`,
 * `--help`) are added by the parser, not repeated here.
 */
export interface CliCommand {
  /** The command's words: `['user', 'add']`, `['backup']`. */
  words: readonly string[];
  /** The positional part of the usage line: `LOGIN`, `FILE`, `[SEQ]`. */
  usage?: string;
  /** One or two lines for the overview and the command's own `--help`. */
  summary: string;
  options: Record<string, CliOption>;
  /** Runs the command; resolves the exit code (0 done, 1 failed, 2 misuse). */
  run(ctx: CliContext): Promise<number>;
}
