/**
 * A table as CSV the way the user import reads it and Excel opens it: `;` between fields, CRLF
 * line ends, UTF-8 with a byte-order mark (so Excel shows Cyrillic right), and RFC 4180 quoting (a
 * field with `;`, `"` or a line break is quoted, its quotes doubled). A text field starting with
 * `=`, `+`, `-` or `@` gets a leading `'` so a spreadsheet shows it instead of running it as a
 * formula (a name from the directory must not become `=HYPERLINK(…)`).
 */
export function csvText(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(';'));
  return '\ufeff' + lines.map((line) => `${line}\r\n`).join('');
}

function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A time for a list or CSV: `2026-12-02 16:40:05` (UTC), or '' for none. */
export function utcTime(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
