/** What an electron-builder feed file (`latest.yml`) says: the version and each file with its size and sha512. */
export interface UpdateYml {
  version: string;
  files: { url: string; sha512: string; size: number }[];
  /** The main file (`path`), when given. */
  path: string | null;
}

/**
 * Reads the feed file electron-builder writes beside the installers:
 *
 * ```yaml
 * version: 1.2.3
 * files:
 *   - url: Beseda-1.2.3-kazan-win-x64.exe
 *     sha512: 3q2+7w…==
 *     size: 84312345
 * path: Beseda-1.2.3-kazan-win-x64.exe
 * sha512: 3q2+7w…==
 * releaseDate: '2026-12-03T05:00:00.000Z'
 * ```
 *
 * Only this flat shape (top-level scalars and the `files` list of scalar maps) is read: the hub
 * needs the names and hashes to check the files against, and serves the text itself unchanged
 * (electron-updater parses it). Anything it cannot read is an Error naming the line.
 */
export function parseUpdateYml(text: string): UpdateYml {
  const top = new Map<string, string>();
  const files: Record<string, string>[] = [];
  let inFiles = false;
  // Another key's nested or block value (`releaseNotes: |-` and its lines): not needed, skipped.
  let skipping = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+$/, '');
    if (line === '' || /^\s*#/.test(line)) return;
    const fail = (why: string) => {
      throw new Error(`line ${i + 1}: ${why}`);
    };
    const item = /^\s+-\s+([A-Za-z0-9_]+):\s*(.*)$/.exec(line);
    const field = /^\s+([A-Za-z0-9_]+):\s*(.*)$/.exec(line);
    const key = /^([A-Za-z0-9_]+):\s*(.*)$/.exec(line);
    if (key) {
      inFiles = key[1] === 'files' && key[2] === '';
      skipping = !inFiles && !needed.has(key[1]!) && (key[2] === '' || /^[|>]/.test(key[2]!));
      if (!inFiles && !skipping) top.set(key[1]!, needed.has(key[1]!) ? scalar(key[2]!, fail) : key[2]!);
    } else if (skipping && /^\s/.test(line)) return;
    else if (inFiles && item) files.push({ [item[1]!]: scalar(item[2]!, fail) });
    else if (inFiles && field && files.length > 0) files[files.length - 1]![field[1]!] = scalar(field[2]!, fail);
    else fail('not a "key: value" line of an electron-builder feed file');
  });
  const version = top.get('version');
  if (!version) throw new Error('no version');
  const parsed = files.map((f, n) => {
    const size = Number(f.size);
    if (!f.url || !f.sha512 || !Number.isSafeInteger(size) || size < 0)
      throw new Error(`files[${n}]: needs url, sha512 and size`);
    return { url: f.url, sha512: f.sha512, size };
  });
  // Older feeds name only `path` and `sha512` at the top.
  const path = top.get('path') ?? null;
  if (parsed.length === 0 && path && top.get('sha512'))
    throw new Error('the feed lists no files (an electron-builder older than 20 wrote only path: rebuild)');
  if (parsed.length === 0) throw new Error('the feed lists no files');
  return { version, files: parsed, path };
}

/** The top-level keys read (others, such as `releaseNotes` or `stagingPercentage`, are passed over). */
const needed = new Set(['version', 'path', 'sha512']);

/** A plain, single- or double-quoted YAML scalar on one line. */
function scalar(value: string, fail: (why: string) => never): string {
  const v = value.trim();
  if (v.startsWith("'")) {
    if (!v.endsWith("'") || v.length < 2) fail('unclosed quote');
    return v.slice(1, -1).replace(/''/g, "'");
  }
  if (v.startsWith('"')) {
    if (!v.endsWith('"') || v.length < 2) fail('unclosed quote');
    return JSON.parse(v) as string;
  }
  if (/^[[{|>&*!]/.test(v)) fail('only plain values are read');
  return v.replace(/\s+#.*$/, '');
}
