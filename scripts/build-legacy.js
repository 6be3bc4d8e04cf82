// @ts-check
// Builds the web client's LEGACY bundle beside the ES2022 one vite made (scripts/build-web.js):
// the same renderer/main.tsx as one ES2015 IIFE (`assets/legacy-<hash>.js`, no modules, dynamic
// imports inlined) plus every stylesheet in one file (`assets/legacy-<hash>.css`, nesting-free,
// `inset` spelled out), for engines that cannot run the module: older WebKit such as a 1C form's
// HTML field (docs/embedding.md). A small ES5 loader (`assets/legacy-loader-<hash>.js`, from
// scripts/legacy/loader.js) goes into index.html after the module script; it adds the legacy
// files only when the module did not run, so modern browsers never download them.
import { parse, tokenizer, tokTypes } from 'acorn';
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The JavaScript syntax level of the legacy bundle (tests/e2e/legacyBundle.test.ts parses it at this level). */
export const legacyEcmaVersion = 2015;

/**
 * esbuild targets: the script as ES2015 syntax; the stylesheet as Safari 12 (2018) reads it. Two
 * passes over the same entry, as esbuild's one `target` covers both and its Safari entries refuse
 * to lower some destructuring that plain ES2015 engines run. An engine must also have the run-time
 * pieces scripts/legacy/polyfills.js does not add (docs/embedding.md lists them).
 */
const scriptTarget = `es${legacyEcmaVersion}`;
const styleTarget = 'safari12';

/**
 * Rewrites every regular expression literal that an ES2015 parser refuses (`\p{…}` inside a
 * character class, the `s` flag, lookbehind…) into `new RegExp(source, flags)`, so the script
 * parses. esbuild does this for most such literals but misses `\p{…}` inside `[…]`. Whether the
 * engine then accepts the pattern at run time is another matter: docs/embedding.md.
 * @param {string} code
 * @returns {string}
 */
export function lowerRegexLiterals(code) {
  /** @type {{ start: number, end: number, text: string }[]} */
  const edits = [];
  for (const token of tokenizer(code, { ecmaVersion: 'latest' })) {
    if (token.type !== tokTypes.regexp) continue;
    try {
      parse(code.slice(token.start, token.end), { ecmaVersion: legacyEcmaVersion });
    } catch {
      const { pattern, flags } = /** @type {{ pattern: string, flags: string }} */ (/** @type {any} */ (token).value);
      // The leading space keeps `return/x/` and `in/x/` apart from their keyword.
      edits.push({
        start: token.start,
        end: token.end,
        text: ` new RegExp(${JSON.stringify(pattern)},${JSON.stringify(flags)})`,
      });
    }
  }
  let out = code;
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** @param {string | Uint8Array} data */
const shortHash = (data) => createHash('sha256').update(data).digest('base64url').slice(0, 8);

/**
 * Builds the legacy bundle into `outDir/assets/` and puts its loader into `outDir/index.html`.
 * Run after vite's build and before precompression (so the new files get `.br`/`.gz` too).
 * @param {string} outDir a built web client folder (index.html from vite)
 * @returns {Promise<{ js: string, css: string, loader: string, jsBytes: number }>} file names under outDir
 */
export async function buildLegacy(outDir) {
  /** @param {string} target @param {Record<string, boolean>} [supported] */
  const pass = (target, supported) =>
    build({
      stdin: {
        // Polyfills first: the renderer's modules may use them while they are evaluated.
        contents: "import './scripts/legacy/polyfills.js';\nimport './renderer/main.tsx';\n",
        resolveDir: root,
        sourcefile: 'legacy-entry.js',
        loader: 'js',
      },
      bundle: true,
      format: 'iife',
      target,
      supported,
      minify: true,
      write: false,
      outdir: path.join(outDir, 'assets'),
      entryNames: 'legacy',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      define: { 'process.env.NODE_ENV': '"production"' },
      legalComments: 'none',
      logLevel: 'warning',
    });
  const [scriptPass, stylePass] = await Promise.all([pass(scriptTarget), pass(styleTarget, { destructuring: true })]);
  const js = scriptPass.outputFiles.find((f) => f.path.endsWith('.js'));
  const css = stylePass.outputFiles.find((f) => f.path.endsWith('.css'));
  if (!js || !css) throw new Error('legacy build: esbuild wrote no script or no stylesheet');
  const script = lowerRegexLiterals(js.text);
  const names = {
    js: `assets/legacy-${shortHash(script)}.js`,
    css: `assets/legacy-${shortHash(css.contents)}.css`,
  };
  writeFileSync(path.join(outDir, names.js), script);
  writeFileSync(path.join(outDir, names.css), css.contents);

  const loaderSource = readFileSync(path.join(root, 'scripts/legacy/loader.js'), 'utf8')
    .replace('__LEGACY_CSS__', `./${names.css}`)
    .replace('__LEGACY_JS__', `./${names.js}`);
  const loader = (
    await build({
      stdin: { contents: loaderSource, loader: 'js', sourcefile: 'legacy-loader.js' },
      target: 'es5',
      minify: true,
      write: false,
      legalComments: 'none',
    })
  ).outputFiles[0]?.text;
  if (!loader) throw new Error('legacy build: the loader did not build');
  const loaderName = `assets/legacy-loader-${shortHash(loader)}.js`;
  writeFileSync(path.join(outDir, loaderName), loader);

  const indexFile = path.join(outDir, 'index.html');
  const html = readFileSync(indexFile, 'utf8');
  const moduleScript = /<script type="module"[^>]*><\/script>/.exec(html);
  if (!moduleScript) throw new Error('legacy build: no module script in index.html to put the loader after');
  const at = moduleScript.index + moduleScript[0].length;
  const tag = `\n    <script defer src="./${loaderName}"></script>`;
  writeFileSync(indexFile, html.slice(0, at) + tag + html.slice(at));
  return { js: names.js, css: names.css, loader: loaderName, jsBytes: Buffer.byteLength(script) };
}
