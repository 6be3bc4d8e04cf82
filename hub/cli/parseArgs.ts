/** Command-line words split into positionals and `--flag value` / `--flag=value` / `--switch` pairs. */
export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | string[]>;
  switches: Set<string>;
}

/**
 * Splits argv. Flags named in `switchNames` take no value; a flag given twice becomes a list.
 * Throws on a flag missing its value, so a typo is reported rather than swallowed.
 */
export function parseArgs(argv: readonly string[], switchNames: readonly string[] = []): ParsedArgs {
  const out: ParsedArgs = { positionals: [], flags: {}, switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('--') || word === '--') {
      out.positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = word.slice(2, eq < 0 ? undefined : eq);
    if (switchNames.includes(name)) {
      out.switches.add(name);
      continue;
    }
    let value: string;
    if (eq >= 0) value = word.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new Error(`option --${name} needs a value`);
      value = next;
      i++;
    }
    const prev = out.flags[name];
    out.flags[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return out;
}
