// docs/operations.md is a runbook IT follows alone, so what it tells them to type must work: every
// `beseda-hub …` command line in its code blocks (and inline `beseda-hub …` examples) is accepted
// by the hub's own command-line parser (checkCommandLine: a stale or mistyped flag, an unknown
// command or an extra word fails here, not on a branch's server); the Russian and the English
// halves have the same numbered sections, in the same order, with the same commands in each; and
// every file the runbook names under deploy/ exists in the repository.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../../hub/cli/commandTable.ts';
import { checkCommandLine, commandName, parseCommandLine } from '../../hub/cli/parseCommandLine.ts';
import { loadConfig } from '../../hub/config/loadConfig.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(path.join(root, 'docs/operations.md'), 'utf8');

/** The runbook's two halves: Russian first, then English. */
function halves(): { ru: string; en: string } {
  const ru = doc.indexOf('\n## По-русски');
  const en = doc.indexOf('\n## In English');
  expect(ru, 'a "## По-русски" part').toBeGreaterThan(0);
  expect(en, 'an "## In English" part after the Russian one').toBeGreaterThan(ru);
  return { ru: doc.slice(ru, en), en: doc.slice(en) };
}

/** The `### N. Title` sections of one half, with their text. */
function sections(half: string): { number: string; title: string; text: string }[] {
  const parts = half.split(/\n(?=### )/).slice(1);
  return parts.map((text) => {
    const m = /^### (\d+)\. (.+)/.exec(text);
    if (!m) throw new Error(`a section heading without a number: ${text.split('\n')[0]}`);
    return { number: m[1]!, title: m[2]!, text };
  });
}

/**
 * Splits one shell line into words as sh would for our purposes: quotes removed, `$(…)` kept
 * inside its word, a `#` starting a word ends the line; the operators `|`, `||`, `&&`, `;`, `&`
 * and redirections end a command (returned as separate commands).
 */
function shellCommands(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) commands[commands.length - 1]!.push(word);
    word = null;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) throw new Error(`unclosed quote in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, close);
      i = close;
    } else if (c === '$' && line[i + 1] === '(') {
      const close = line.indexOf(')', i);
      // An unclosed `$(` would send the loop back to the start of the line forever.
      if (close < 0) throw new Error(`unclosed $( in: ${line}`);
      word = (word ?? '') + line.slice(i, close + 1);
      i = close;
    } else if (/\s/.test(c)) endWord();
    else if (c === '#' && word === null) break;
    else if ('|;&<>'.includes(c)) {
      // A redirection's target is not an argument: skip it along with the operator.
      const redirect = c === '<' || c === '>';
      if (word !== null && /^\d$/.test(word) && redirect) word = null;
      endWord();
      // (Past the end is no operator: ''.includes('') would be true and never stop.)
      while (i + 1 < line.length && '|;&<>'.includes(line[i + 1]!)) i++;
      if (redirect) {
        while (/\s/.test(line[i + 1] ?? '')) i++;
        while (i + 1 < line.length && !/[\s|;&]/.test(line[i + 1]!)) i++;
      } else commands.push([]);
    } else word = (word ?? '') + c;
  }
  endWord();
  return commands.filter((c) => c.length > 0);
}

/** A `beseda-hub` program word: the launcher by any path, `beseda-hub.cmd`, or `beseda-hub.js`. */
const program = /(^|[/\\])beseda-hub(\.cmd|\.js|\.exe)?$/;

/**
 * Where the program word of one command is: first, or after `sudo -u beseda`, `env`, `exec` and
 * `NAME=value` words; -1 when the command runs something else (`ln -s …/beseda-hub`, `sc.exe
 * config beseda-hub`), whatever its arguments name.
 */
function programAt(words: readonly string[]): number {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (w === 'sudo' || w === 'env' || w === 'exec' || /^[A-Z_]+=/.test(w)) i++;
    else if (w === '-u') i += 2;
    else break;
  }
  return i < words.length && program.test(words[i]!) ? i : -1;
}

/** Every `beseda-hub …` invocation in one piece of markdown: its arguments after the program word. */
function invocations(markdown: string): string[][] {
  const found: string[][] = [];
  const lines: string[] = [];
  for (const block of markdown.matchAll(/```[\w-]*\n([\s\S]*?)```/g))
    lines.push(...block[1]!.replace(/[\\`]\n\s*/g, ' ').split('\n'));
  // Inline examples: `beseda-hub user list --csv`, not usage lines with [optional] or A|B parts.
  // `beseda-hub COMMAND --help` names no command: a placeholder in the command's place is skipped.
  for (const span of markdown.matchAll(/(?<!`)`(beseda-hub [^`]+)`(?!`)/g))
    if (!/[[\]…|<>]|\.\.\.|^beseda-hub [A-ZА-ЯЁ]{3,}(\s|$)/.test(span[1]!)) lines.push(span[1]!);
  for (const line of lines) {
    // `ExecStart=/opt/beseda/bin/beseda-hub serve …` in a unit file, `& "C:\…\beseda-hub.cmd"` in PowerShell.
    const shellLine = line.replace(/^\s*(ExecStart|ExecReload)=/, '').replace(/^\s*&\s+/, '');
    if (!/beseda-hub/.test(shellLine) || /^\s*(<|\[|;|\/\/)/.test(shellLine)) continue;
    for (const words of shellCommands(shellLine)) {
      const at = programAt(words);
      // A wrapper that passes its own arguments on ("$@", %*) is not a command line to check.
      if (at >= 0 && !words.some((w) => w === '$@' || w === '%*')) found.push(words.slice(at + 1));
    }
  }
  return found;
}

describe('docs/operations.md', () => {
  it('has the same numbered sections in Russian and in English, in the same order', () => {
    const { ru, en } = halves();
    const ruSections = sections(ru);
    const enSections = sections(en);
    expect(ruSections.length).toBeGreaterThanOrEqual(13);
    expect(enSections.map((s) => s.number)).toEqual(ruSections.map((s) => s.number));
    expect(ruSections.map((s) => s.number)).toEqual(ruSections.map((_, i) => String(i + 1)));
    // The Russian titles are Russian, the English ones are not.
    for (const s of ruSections) expect(s.title, s.title).toMatch(/[а-яё]/i);
    for (const s of enSections) expect(s.title, s.title).not.toMatch(/[а-яё]/i);
  });

  it('gives the same beseda-hub commands in each section of both languages', () => {
    const { ru, en } = halves();
    // The command and the flags it is given; positional words and values may be in either language.
    const commandWords = (text: string) =>
      invocations(text)
        .map((args) => {
          const line = parseCommandLine(commandTable, args);
          const name = 'command' in line && line.command ? commandName(line.command) : line.kind;
          const flags = args.filter((a) => a.startsWith('-')).map((a) => a.split('=')[0]);
          return [name, ...flags.sort()].join(' ');
        })
        .sort();
    const enSections = sections(en);
    sections(ru).forEach((s, i) => {
      expect(commandWords(enSections[i]!.text), `section ${s.number}`).toEqual(commandWords(s.text));
    });
  });

  it('only documents beseda-hub command lines the hub accepts', () => {
    const all = invocations(doc);
    // The runbook is full of commands: finding few means the extraction broke, not that all passed.
    expect(all.length).toBeGreaterThan(40);
    const refused = all
      .map((args) => ({ line: `beseda-hub ${args.join(' ')}`, error: checkCommandLine(args) }))
      .filter((r) => r.error !== null);
    expect(refused).toEqual([]);
  });

  it('uses a checker that does refuse a mistyped flag and an unknown command', () => {
    expect(checkCommandLine(['bot', 'add', 'erp', '--embedd'])).toMatch(/--embed/);
    expect(checkCommandLine(['user', 'lst'])).not.toBeNull();
    expect(checkCommandLine(['user', 'list'])).toBeNull();
  });

  it('reads shell lines as sh would for the commands it checks', () => {
    expect(
      shellCommands(`echo 'S3cret pass' | beseda-hub user add petrova --name "Ольга Петрова" 2>/dev/null # note`),
    ).toEqual([
      ['echo', 'S3cret pass'],
      ['beseda-hub', 'user', 'add', 'petrova', '--name', 'Ольга Петрова'],
    ]);
    const snippet = [
      '```sh',
      'sudo ln -sf /opt/beseda-hub/bin/beseda-hub /usr/local/bin/beseda-hub',
      'sudo -u beseda env BESEDA_CONFIG=/etc/beseda/hub.json /opt/beseda-hub/bin/beseda-hub user list',
      '```',
      '```bat',
      'sc.exe config beseda-hub obj= "NT SERVICE\\beseda-hub"',
      '"C:\\Program Files\\beseda-hub\\bin\\beseda-hub.cmd" --version',
      '```',
    ].join('\n');
    expect(invocations(snippet)).toEqual([['user', 'list'], ['--version']]);
    expect(shellCommands('beseda-hub backup /b/beseda-$(date +%F).db > out.txt && ls')).toEqual([
      ['beseda-hub', 'backup', '/b/beseda-$(date +%F).db'],
      ['ls'],
    ]);
  });

  it('names only files under deploy/ that exist', () => {
    // `deploy/…` on its own, or inside the unpacked archive (/opt/beseda-hub/deploy/…, …\\deploy\\…);
    // not another program's deploy folder (/etc/letsencrypt/renewal-hooks/deploy/).
    const named = new Set(
      [...doc.matchAll(/(?:^|[\s`"'(]|beseda-hub[\w.-]*[/\\])(deploy[/\\][\w./\\-]*\w)/gm)].map((m) =>
        m[1]!.replaceAll('\\', '/'),
      ),
    );
    expect(named.size).toBeGreaterThan(2);
    const missing = [...named].filter((p) => !existsSync(path.join(root, p)));
    expect(missing).toEqual([]);
  });

  it('shows settings files the hub loads as they are', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    // Inline pieces of hub.json in the prose: `"trustProxy": ["127.0.0.1"]`, `"backupDir": "/srv/…"`.
    // (/healthz's `"status": …` and `"reason": …` are answers, not settings.)
    const pieces = [...doc.matchAll(/`("(?!status"|reason")[a-zA-Z]+": [^`]+)`/g)].map(
      (m) => `{${m[1]!.replace(/\s+/g, ' ')}}`,
    );
    expect(pieces.length).toBeGreaterThanOrEqual(4);
    blocks.push(...pieces);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-opsdoc-'));
    try {
      for (const block of blocks) {
        const file = path.join(dir, 'hub.json');
        writeFileSync(file, block);
        // Unknown keys, wrong types and bad durations throw ConfigError, as they stop the hub.
        expect(() => loadConfig({ config: file }, {}), block).not.toThrow();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names only metrics the hub exports, in its PromQL and prose alike', () => {
    // Every file under hub/metrics/ declares metrics (HubMetrics.ts and the per-feature ones it calls).
    const metricsDir = path.join(root, 'hub/metrics');
    const source = readdirSync(metricsDir)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => readFileSync(path.join(metricsDir, name), 'utf8'))
      .join('\n');
    const named = new Set(
      [...doc.matchAll(/\bbeseda_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, '')),
    );
    expect(named.size).toBeGreaterThan(8);
    expect([...named].filter((name) => !source.includes(`'${name}'`))).toEqual([]);
  });

  it('gives alert rules Prometheus loads, the same in both languages (promtool check rules)', (ctx) => {
    const blocks = [...doc.matchAll(/```yaml\n(groups:\n[\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toBe(blocks[0]);
    const promtool = (process.env.PATH ?? '')
      .split(path.delimiter)
      .map((dir) => path.join(dir, 'promtool'))
      .find((file) => existsSync(file));
    // CI installs promtool (.ci/run): missing there is a failure; elsewhere skipped.
    if (!promtool && process.env.CI) throw new Error('promtool is not installed: .ci/run installs it from Debian');
    if (!promtool) return ctx.skip();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-rules-'));
    try {
      const file = path.join(dir, 'rules.yml');
      writeFileSync(file, blocks[0]!);
      const run = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8' });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('links only to files of the repository that exist, and to headings they have', () => {
    const links = [...doc.matchAll(/\]\(((?:\.\.\/)?[\w./-]+\.md)(?:#([^)]*))?\)/g)];
    expect(links.length).toBeGreaterThan(2);
    for (const [, file, anchor] of links) {
      const target = path.resolve(root, 'docs', file!);
      expect(existsSync(target), file).toBe(true);
      if (anchor === undefined) continue;
      // GitHub's anchors: the heading in lower case, punctuation dropped, spaces as hyphens.
      const slugs = [...readFileSync(target, 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s-]/gu, '')
          .replace(/\s/g, '-'),
      );
      expect(slugs, `${file}#${anchor}`).toContain(anchor);
    }
  });
});

describe('the other documents', () => {
  // README and the integration guide show beseda-hub commands too
  // (README also as `npm run hub -- …`, which runs the same CLI).
  for (const file of ['README.md', 'docs/integrations.md']) {
    it(`${file} only shows beseda-hub command lines the hub accepts`, () => {
      const text = readFileSync(path.join(root, file), 'utf8').replace(/npm run hub -- /g, 'beseda-hub ');
      // Usage lines (`[--name Имя]`) and a command named in passing (`beseda-hub restore`) are not command lines.
      const lines = invocations(text).filter((args) => args.length > 1 && !args.some((a) => a.startsWith('[')));
      expect(lines.length).toBeGreaterThan(0);
      const refused = lines
        .map((args) => ({ line: `beseda-hub ${args.join(' ')}`, error: checkCommandLine(args) }))
        .filter((r) => r.error !== null);
      expect(refused).toEqual([]);
    });
  }
});
