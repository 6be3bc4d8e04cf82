/**
 * Characters a terminal would act on instead of showing: C0 controls (ESC starts colour, cursor and
 * title sequences), DEL, C1 controls (U+009B is a one-byte CSI), line and paragraph separators, and
 * the bidi marks and overrides that reorder what follows (U+202E shows "exe.txt" as "txt.exe").
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Makes a string safe to print on a terminal: every control or bidi character becomes a visible
 * escape (`\x1b`, `\u202e`, `\n`), so a name like "Иван\x1b[2J" cannot clear the screen, recolour
 * the output, or fake a line of it.
 */
export function cliText(text: string): string {
  return text.replace(unsafe, (ch) => {
    const code = ch.codePointAt(0)!;
    return named[ch] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
  });
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Prints one line of CLI output on stdout, escaped with {@link cliText}. */
export function printLine(text: string): void {
  process.stdout.write(cliText(text) + '\n');
}

/** Prints one line on stderr (diagnostics, the database in use), escaped with {@link cliText}. */
export function printNote(text: string): void {
  process.stderr.write(cliText(text) + '\n');
}
