const unitMs: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
};

/**
 * A duration as IT writes it in a flag or the environment: a whole number with a unit (`500ms`,
 * `90s`, `30m`, `24h`, `7d`), or a bare number of milliseconds (`0`). Null when it is neither.
 */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d{1,15})\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  if (!match) return null;
  const ms = Number(match[1]) * unitMs[(match[2] ?? 'ms').toLowerCase()]!;
  return Number.isSafeInteger(ms) ? ms : null;
}
