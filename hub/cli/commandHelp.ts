import type { CliCommand, CliOption } from './CliCommand.ts';
import { commandName, sharedOptions } from './parseCommandLine.ts';

/** `beseda-hub --help` (or `beseda-hub user --help`): every command with its summary. */
export function overviewHelp(table: readonly CliCommand[], group?: string): string {
  const shown = group === undefined ? table : table.filter((c) => c.words[0] === group);
  const left = (c: CliCommand) => [commandName(c), c.usage ?? ''].join(' ').trim();
  const width = Math.min(34, Math.max(...shown.map((c) => left(c).length)));
  const lines = [
    'beseda-hub — the Beseda messaging hub',
    '',
    'Usage: beseda-hub COMMAND [options]',
    "       beseda-hub COMMAND --help   (the command's options, their values and defaults)",
    '       beseda-hub --version',
    '',
    'Commands:',
  ];
  for (const c of shown) {
    const [firstLine = '', ...more] = c.summary.split('\n');
    const head = left(c);
    if (head.length > width) lines.push(`  ${head}`, `  ${''.padEnd(width)}  ${firstLine}`);
    else lines.push(`  ${head.padEnd(width)}  ${firstLine}`);
    for (const line of more) lines.push(`  ${''.padEnd(width)}  ${line}`);
  }
  lines.push(
    '',
    'Every command takes --data DIR / --config FILE (or BESEDA_DATA / BESEDA_CONFIG; default ./data)',
    'and says on stderr which database it used. Only serve creates a database; other commands refuse',
    'a folder without one unless given --create. Unknown options are refused. See README.md and',
    'docs/operations.md.',
  );
  return lines.join('\n') + '\n';
}

/** `beseda-hub <words> --help`: the usage line, the summary and every option with its value and meaning. */
export function commandHelp(command: CliCommand): string {
  const name = commandName(command);
  const own = Object.entries(command.options);
  const shared = Object.entries(sharedOptions).filter(([flag]) => !Object.hasOwn(command.options, flag));
  const lines = [`Usage: beseda-hub ${[name, command.usage ?? ''].join(' ').trim()} [options]`, '', command.summary];
  if (own.length > 0) lines.push('', 'Options:', ...optionLines(own));
  lines.push('', 'Common options:', ...optionLines(shared));
  return lines.join('\n') + '\n';
}

function optionLines(options: ReadonlyArray<[string, CliOption]>): string[] {
  const left = ([flag, o]: [string, CliOption]) =>
    `--${flag}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}${o.multiple ? ' …' : ''}`;
  const width = Math.min(30, Math.max(0, ...options.map((o) => left(o).length)));
  const lines: string[] = [];
  for (const option of options) {
    const head = left(option);
    if (head.length > width) lines.push(`  ${head}`, `  ${''.padEnd(width)}  ${option[1].help}`);
    else lines.push(`  ${head.padEnd(width)}  ${option[1].help}`);
  }
  return lines;
}
