// @ts-check
// Rewrites README.md's settings table from hub/config/settingDocs.ts (the same table `serve --help`
// prints), between the `<!-- settings-table -->` markers: `npm run -s settings-table`. A test
// (tests/cli/settingDocs.test.ts) fails when README and the table differ.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const begin = '<!-- settings-table: generated from hub/config/settingDocs.ts by npm run -s settings-table -->';
const end = '<!-- /settings-table -->';

/** README's text with the settings table replaced by `table`. */
export function withSettingsTable(/** @type {string} */ readme, /** @type {string} */ table) {
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${begin} … ${end} markers`);
  return `${readme.slice(0, from + begin.length)}\n\n${table}\n${readme.slice(to)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // settingDocs.ts is TypeScript: bundled in memory (it imports only types) and loaded as a data URL.
  const out = await build({
    entryPoints: [path.join(root, 'hub/config/settingDocs.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
  });
  const code = out.outputFiles[0]?.text ?? '';
  const docs = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const file = path.join(root, 'README.md');
  const before = readFileSync(file, 'utf8');
  const after = withSettingsTable(before, docs.settingsTableMarkdown());
  if (after !== before) writeFileSync(file, after);
  console.log(after === before ? 'README.md settings table is up to date' : 'README.md settings table rewritten');
}
