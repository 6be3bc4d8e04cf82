// @ts-check
// `npm run pack:hub [-- --platform linux-x64|win32-x64] [--node FILE] [--native FILE] [--sharp DIR|TGZ]
// [--out DIR] [--no-build]`: the hub as one archive that installs with no compiler, no npm and no
// internet — dist/pack/beseda-hub-<version>-<platform>.tar.gz (.zip for Windows) holding the bundled hub (hub/), the
// built web client (web/, found by the hub beside its bundle without flags), the production
// dependencies copied from this checkout's node_modules (native modules already built), a Node
// runtime (runtime/), launchers (bin/), the deploy files (deploy/), VERSION and INSTALL.txt.
//
// linux-x64 takes this machine's Node and the modules compiled here. win32-x64 cannot come from
// here alone: --node gives node.exe (from nodejs.org's node-v<same version>-win-x64.zip),
// --native better-sqlite3's Windows module (better_sqlite3.node built for that Node, or the release
// asset better-sqlite3-v<version>-node-v<abi>-win32-x64.tar.gz), and sharp's Windows package
// @img/sharp-win32-x64 comes from the npm registry (`npm pack`) unless --sharp gives it.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHub } from './build-hub.js';
import { buildWeb } from './build-web.js';
import { lockedVersion, productionPackages } from './pack-deps.js';
import { installText, shLauncher, cmdLauncher } from './pack-texts.js';
import { writeZip } from './pack-zip.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const platforms = ['linux-x64', 'win32-x64'];

/**
 * @typedef {object} PackOptions
 * @property {string} [platform] `linux-x64` (default) or `win32-x64`
 * @property {string} [node] the Node executable to ship (default for linux-x64: this one)
 * @property {string} [native] better-sqlite3's compiled module for the target (default: the one built here)
 * @property {string} [sharp] sharp's Windows binaries package, as a folder or an npm tarball (win32-x64)
 * @property {string} [outDir] default dist/pack
 * @property {boolean} [build] build the hub and the web client first (default true)
 */

/**
 * Builds the archive; returns its path, size in bytes and the unpacked size.
 * @param {PackOptions} options
 */
export async function packHub(options = {}) {
  const platform = options.platform ?? 'linux-x64';
  if (!platforms.includes(platform)) throw new Error(`--platform must be one of ${platforms.join(', ')}`);
  const windows = platform === 'win32-x64';
  const native = options.native ?? (windows ? undefined : builtHere('build/Release/better_sqlite3.node'));
  const node = options.node ?? (windows ? undefined : realpathSync(process.execPath));
  if (!windows && (process.platform !== 'linux' || process.arch !== 'x64') && !options.node)
    throw new Error('linux-x64 is packed on a Linux x64 machine (its Node and compiled modules go in)');
  if (!node || !native)
    throw new Error(
      'win32-x64 needs files that cannot come from this machine: --node node.exe (Node for Windows, ' +
        `v${process.versions.node}) and --native better_sqlite3.node built for it (better-sqlite3 ` +
        `v${lockedVersion(root, 'node_modules/better-sqlite3')}, node-v${process.versions.modules}-win32-x64)`,
    );
  checkExecutable(node, windows, '--node');

  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const name = `beseda-hub-${pkg.version}-${platform}`;
  const outDir = path.resolve(options.outDir ?? path.join(root, 'dist/pack'));
  mkdirSync(outDir, { recursive: true });
  const stage = mkdtempSync(path.join(outDir, '.stage-'));
  try {
    const nativeFile = nativeModuleFile(native, stage);
    checkExecutable(nativeFile, windows, '--native');
    const top = path.join(stage, name);
    mkdirSync(top);
    await copyBuilds(top, options.build ?? true);
    copyDependencies(top, windows);
    const moduleDir = path.join(top, 'node_modules/better-sqlite3/build/Release');
    mkdirSync(moduleDir, { recursive: true });
    copyFileSync(nativeFile, path.join(moduleDir, 'better_sqlite3.node'));
    if (windows) addSharpWindows(top, options.sharp);
    addRuntime(top, node, windows);
    addTexts(top, pkg, windows, windows ? null : neededGlibc(top));
    if (!windows) smokeTest(top);
    const archive = path.join(outDir, `${name}.${windows ? 'zip' : 'tar.gz'}`);
    rmSync(archive, { force: true });
    if (windows) writeZip(top, archive);
    else
      // Owner and order fixed, so the archive does not carry the build machine's accounts.
      execFileSync('tar', [
        '-C',
        stage,
        '--owner=0',
        '--group=0',
        '--numeric-owner',
        '--sort=name',
        '-czf',
        archive,
        name,
      ]);
    return { archive, bytes: statSync(archive).size, unpackedBytes: folderBytes(top) };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** @param {string} rel a path inside node_modules/better-sqlite3 */
function builtHere(rel) {
  const file = path.join(root, 'node_modules/better-sqlite3', rel);
  if (!existsSync(file)) throw new Error(`${file} is missing: run npm ci (better-sqlite3 compiles on install)`);
  return file;
}

/**
 * `--native` as given: the .node file, or better-sqlite3's release tarball holding it (unpacked
 * into the stage folder, removed with it).
 * @param {string} given
 * @param {string} stage
 */
function nativeModuleFile(given, stage) {
  if (!given.endsWith('.tar.gz') && !given.endsWith('.tgz')) return path.resolve(given);
  const dir = path.join(stage, 'native');
  mkdirSync(dir);
  execFileSync('tar', ['-xzf', path.resolve(given), '-C', dir]);
  const found = path.join(dir, 'build/Release/better_sqlite3.node');
  if (!existsSync(found)) throw new Error(`${given} holds no build/Release/better_sqlite3.node`);
  return found;
}

/**
 * Refuses a file for the wrong system early (a Linux module in a Windows archive fails only there).
 * @param {string} file
 * @param {boolean} windows
 * @param {string} flag
 */
function checkExecutable(file, windows, flag) {
  if (!existsSync(file)) throw new Error(`${flag}: ${file} does not exist`);
  const head = readFileSync(file).subarray(0, 4);
  const ok = windows ? head[0] === 0x4d && head[1] === 0x5a : head.toString('latin1') === '\x7fELF';
  if (!ok) throw new Error(`${flag}: ${file} is not a ${windows ? 'Windows (PE)' : 'Linux (ELF)'} binary`);
}

/**
 * The hub bundle and the built web client. The web client is built into the archive's own folder;
 * with --no-build dist/web is copied, and built there after all when the copy is incomplete (a
 * parallel rebuild of dist/web empties it first).
 * @param {string} top
 * @param {boolean} build
 */
async function copyBuilds(top, build) {
  if (build || !existsSync(path.join(root, 'dist/hub/beseda-hub.js'))) await buildHub();
  mkdirSync(path.join(top, 'hub'));
  for (const file of ['beseda-hub.js', 'beseda-hub.js.map'])
    copyFileSync(path.join(root, 'dist/hub', file), path.join(top, 'hub', file));
  const web = path.join(top, 'web');
  if (!build) {
    try {
      cpSync(path.join(root, 'dist/web'), web, { recursive: true });
    } catch {
      // missing, or a file vanished under the copy: checked below
    }
  }
  // Built straight into the archive's folder, no parallel build of dist/web can half-write it.
  if (build || missingWebFiles(web).length > 0) await buildWeb({ outDir: web });
  const missing = missingWebFiles(web);
  if (missing.length > 0) throw new Error(`the web client is incomplete (${missing.join(', ')})`);
}

/**
 * What index.html refers to that is not in the folder (none when the copy is whole).
 * @param {string} web
 */
export function missingWebFiles(web) {
  const index = path.join(web, 'index.html');
  if (!existsSync(index)) return ['index.html'];
  const refs = [...readFileSync(index, 'utf8').matchAll(/(?:src|href)="\.?\/?([^"#?:]+)"/g)].map((m) => m[1] ?? '');
  return refs.filter((ref) => ref && !existsSync(path.join(web, ref)));
}

/**
 * The production tree, package by package. better-sqlite3 keeps only its JavaScript (the compiled
 * module is put in by the caller: this machine's, or the Windows one); the other platform's sharp
 * binaries are left out of a Windows archive.
 * @param {string} top
 * @param {boolean} windows
 */
function copyDependencies(top, windows) {
  for (const location of productionPackages(root)) {
    if (windows && /^node_modules\/@img\/sharp-(libvips-)?linux/.test(location)) continue;
    const from = path.join(root, location);
    cpSync(from, path.join(top, location), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (src) => {
        const rel = path.relative(from, src).split(path.sep);
        if (rel[0] === 'node_modules') return false; // nested packages are copied on their own
        if (location === 'node_modules/better-sqlite3') return !['build', 'deps', 'src'].includes(rel[0] ?? '');
        return true;
      },
    });
  }
}

/**
 * sharp's prebuilt Windows binding and libvips (one npm package), at the version sharp asks for.
 * @param {string} top
 * @param {string | undefined} given a folder or an npm tarball; none: fetched with `npm pack`
 */
function addSharpWindows(top, given) {
  const sharp = JSON.parse(readFileSync(path.join(root, 'node_modules/sharp/package.json'), 'utf8'));
  const wanted = sharp.optionalDependencies?.['@img/sharp-win32-x64'];
  const tmp = path.join(path.dirname(top), 'sharp');
  mkdirSync(tmp);
  try {
    let dir = given && !/\.(tgz|tar\.gz)$/.test(given) ? path.resolve(given) : undefined;
    if (!dir) {
      let tarball = given ? path.resolve(given) : undefined;
      if (!tarball) {
        // The registry is the one place it comes from; npm's own cache and proxy settings apply.
        const out = execFileSync('npm', ['pack', `@img/sharp-win32-x64@${wanted}`, '--pack-destination', tmp], {
          encoding: 'utf8',
        });
        tarball = path.join(tmp, out.trim().split('\n').at(-1) ?? '');
      }
      execFileSync('tar', ['-xzf', tarball, '-C', tmp]);
      dir = path.join(tmp, 'package');
    }
    const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    if (meta.name !== '@img/sharp-win32-x64' || meta.version !== wanted)
      throw new Error(`--sharp must be @img/sharp-win32-x64@${wanted} (got ${meta.name}@${meta.version})`);
    cpSync(dir, path.join(top, 'node_modules/@img/sharp-win32-x64'), { recursive: true });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The Node runtime, with its licence when the system keeps it beside it.
 * @param {string} top
 * @param {string} node
 * @param {boolean} windows
 */
function addRuntime(top, node, windows) {
  const dir = path.join(top, 'runtime');
  mkdirSync(dir);
  const target = path.join(dir, windows ? 'node.exe' : 'node');
  copyFileSync(node, target);
  chmodSync(target, 0o755);
  const licences = [
    path.join(path.dirname(node), 'LICENSE'),
    path.resolve(path.dirname(node), '../share/doc/node/LICENSE'),
    '/usr/share/doc/nodejs/LICENSE',
  ];
  const licence = licences.find((f) => !windows && existsSync(f));
  if (licence) copyFileSync(licence, path.join(dir, 'LICENSE'));
}

/**
 * Launchers, deploy files, package.json (`"type": "module"` for the bundle), VERSION, INSTALL.txt.
 * @param {string} top
 * @param {{ version: string, description?: string, license?: string, dependencies?: Record<string, string> }} pkg
 * @param {boolean} windows
 * @param {string | null} glibc the C library version the Linux binaries need
 */
function addTexts(top, pkg, windows, glibc) {
  mkdirSync(path.join(top, 'bin'));
  if (windows) writeFileSync(path.join(top, 'bin/beseda-hub.cmd'), cmdLauncher.replace(/\n/g, '\r\n'));
  else writeFileSync(path.join(top, 'bin/beseda-hub'), shLauncher, { mode: 0o755 });
  cpSync(path.join(root, 'deploy'), path.join(top, 'deploy'), { recursive: true });
  // The runbook, and the changelog its upgrade steps tell IT to read before upgrading.
  cpSync(path.join(root, 'docs/operations.md'), path.join(top, 'docs/operations.md'));
  cpSync(path.join(root, 'CHANGELOG.md'), path.join(top, 'CHANGELOG.md'));
  /** @type {Record<string, string>} */
  const dependencies = {};
  for (const dep of Object.keys(pkg.dependencies ?? {}))
    dependencies[dep] = lockedVersion(root, `node_modules/${dep}`) ?? '';
  const manifest = {
    name: 'beseda-hub',
    version: pkg.version,
    private: true,
    description: pkg.description,
    license: pkg.license,
    type: 'module',
    bin: { 'beseda-hub': 'hub/beseda-hub.js' },
    dependencies,
  };
  writeFileSync(path.join(top, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(top, 'VERSION'), `${pkg.version}\n`);
  const install = installText(pkg.version, windows, glibc);
  writeFileSync(path.join(top, 'INSTALL.txt'), windows ? install.replace(/\n/g, '\r\n') : install);
}

/**
 * Loads both native modules with the archive's own Node from inside the archive, so a broken copy
 * fails here and not on a customer's server.
 * @param {string} top
 */
function smokeTest(top) {
  const check = [
    "import { createRequire } from 'node:module';",
    "const require = createRequire(process.cwd() + '/hub/');",
    "const db = new (require('better-sqlite3'))(':memory:');",
    "db.prepare('select 1').get();",
    "const sharp = require('sharp');",
    "await sharp({ create: { width: 2, height: 2, channels: 3, background: '#fff' } }).webp().toBuffer();",
  ].join('\n');
  execFileSync(path.join(top, 'runtime/node'), ['--input-type=module', '-e', check], {
    cwd: top,
    env: { PATH: '/nonexistent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * The newest glibc symbol version any shipped binary asks for (the runtime, the compiled modules,
 * libvips): the oldest Linux the archive runs on. better-sqlite3 compiled on a newer system than
 * Node's own build machine usually decides it.
 * @param {string} top
 */
export function neededGlibc(top) {
  let newest = 2017; // 2.17, as major * 1000 + minor
  for (const entry of readdirSync(top, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/^(node|.*\.node|.*\.so(\.[\d.]+)?)$/.test(entry.name)) continue;
    const text = readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1');
    for (const m of text.matchAll(/GLIBC_(\d+)\.(\d+)/g)) newest = Math.max(newest, Number(m[1]) * 1000 + Number(m[2]));
  }
  return `${Math.floor(newest / 1000)}.${newest % 1000}`;
}

/** @param {string} dir */
function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  return total;
}

/**
 * Reads the command line of `npm run pack:hub -- …`.
 * @param {readonly string[]} argv
 * @returns {PackOptions}
 */
export function parsePackArgs(argv) {
  /** @type {PackOptions} */
  const out = {};
  /** @type {Record<string, 'platform' | 'node' | 'native' | 'sharp' | 'outDir'>} */
  const valued = {
    '--platform': 'platform',
    '--node': 'node',
    '--native': 'native',
    '--sharp': 'sharp',
    '--out': 'outDir',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = valued[flag];
    if (key) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
      out[key] = value;
    } else if (arg === '--no-build') out.build = false;
    else throw new Error(`unknown argument ${arg}`);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const { archive, bytes, unpackedBytes } = await packHub(parsePackArgs(process.argv.slice(2)));
    const mb = (/** @type {number} */ n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    console.log(`${path.relative(process.cwd(), archive)}: ${mb(bytes)} (${mb(unpackedBytes)} unpacked)`);
  } catch (err) {
    console.error(`pack:hub: ${err instanceof Error ? err.message : String(err)}`);
    console.error(
      'usage: npm run pack:hub -- [--platform linux-x64|win32-x64] [--node FILE] [--native FILE] [--sharp DIR|TGZ] [--out DIR] [--no-build]',
    );
    process.exitCode = 1;
  }
}
