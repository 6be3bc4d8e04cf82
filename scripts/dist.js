// @ts-check
// `npm run dist -- --branch NAME --hub wss://hub.example:8443 [--win] [--linux [AppImage|deb|dir]]
// [--mac] [--dir] [--electron-dist DIR] [--offline DIR] [--out DIR]`: builds the desktop bundle,
// draws the app icon, writes branch.json with the branch's hub address into the installer's
// resources, and runs electron-builder (config in electron-builder.yml) with the branch in every
// artifact's name. Real packaging downloads Electron and the installer tools; without internet,
// `--offline DIR` takes them from a folder, checked before anything is built (scripts/offlineKit.js,
// docs/deploy-desktop.md «Сборка без интернета / Offline builds»).
import { build as esbuild } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildDesktop } from './build-desktop.js';
import { buildNodeMinimum, kitFiles, nodeAtLeast, OfflineKitError, prepareOfflineKit } from './offlineKit.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Branch names become file names: ASCII letters, digits, `-`, `_`, `.`; up to 64.
 * @param {unknown} branch
 * @returns {string}
 */
export function checkBranch(branch) {
  if (typeof branch !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(branch))
    throw new Error(`--branch must be letters, digits, "-", "_" or "." (got ${JSON.stringify(branch)})`);
  return branch;
}

/**
 * The hub address to bake in: ws(s) or http(s), no credentials, query or fragment.
 * @param {unknown} hub
 * @returns {string}
 */
export function checkHub(hub) {
  let url;
  try {
    url = new URL(String(hub));
  } catch {
    throw new Error(`--hub is not a URL: ${JSON.stringify(hub)}`);
  }
  if (
    !['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol) ||
    !url.hostname ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  )
    throw new Error('--hub must be a ws://, wss://, http:// or https:// address of the hub');
  return url.href.replace(/\/+$/, '');
}

/**
 * Draws the app icon with the same code the app uses for its tray (no image files in git).
 * @param {string} dir
 */
async function writeIcons(dir) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'beseda-icon-'));
  const outfile = path.join(tmp, 'icon.mjs');
  await esbuild({
    stdin: {
      contents:
        "import { drawAppIcon } from './main/tray/drawIcons.ts';\nimport { encodePng } from './main/png/encodePng.ts';\nexport const png = (size) => encodePng(drawAppIcon(size));\n",
      resolveDir: root,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  const { png } = await import(pathToFileURL(outfile).href);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'icon.png'), png(512));
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * @typedef {object} DistOptions
 * @property {string} branch
 * @property {string} hubUrl
 * @property {{ win?: string[], linux?: string[], mac?: string[] }} [targets]
 * @property {boolean} [dir]
 * @property {string} [electronDist]
 * @property {string} [offlineDir] the offline kit: Electron's zip and the tool archives
 * @property {string} [workDir]
 * @property {string} [outputDir]
 */

/**
 * What electron-builder will build: each platform with its targets and architectures, as
 * electron-builder.yml and the command line say (no platform: the build machine's own).
 * @param {DistOptions} options
 * @returns {{ platform: 'win' | 'linux' | 'mac', targets: string[], archs: string[] }[]}
 */
export function plannedBuilds(options) {
  const config = /** @type {Record<string, any>} */ (
    createRequire(import.meta.url)('js-yaml').load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'))
  );
  const hostPlatform = process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux';
  const asked = options.targets && Object.keys(options.targets).length ? options.targets : { [hostPlatform]: [] };
  return /** @type {('win' | 'linux' | 'mac')[]} */ (Object.keys(asked)).map((platform) => {
    /** @type {{ target: string, arch?: string[] }[]} */
    const configured = (config[platform]?.target ?? []).map((/** @type {any} */ t) =>
      typeof t === 'string' ? { target: t } : t,
    );
    const chosen = options.dir ? ['dir'] : asked[platform]?.length ? asked[platform] : configured.map((t) => t.target);
    const archs = [
      ...new Set(
        configured
          .filter((t) => chosen.includes(t.target))
          .flatMap((t) => t.arch ?? [process.arch === 'arm64' ? 'arm64' : 'x64']),
      ),
    ];
    return { platform, targets: chosen, archs: archs.length ? archs : [process.arch === 'arm64' ? 'arm64' : 'x64'] };
  });
}

/**
 * Builds the installers for one branch; returns electron-builder's artifact paths.
 * @param {DistOptions} options
 * @returns {Promise<string[]>}
 */
export async function dist(options) {
  const branch = checkBranch(options.branch);
  const hubUrl = checkHub(options.hubUrl);
  const work = options.workDir ?? path.join(root, 'dist');
  const appDir = path.join(work, 'desktop');
  const resources = path.join(work, 'desktop-resources');
  const outputDir = options.outputDir ?? path.join(work, 'installers', branch);

  // The offline kit is checked before anything is built: a missing file is named with its URL
  // now, not as a failed download halfway through.
  const offlineCache = options.offlineDir ? await useOfflineKit(options, path.join(work, 'offline-cache')) : null;
  const electronDist = options.electronDist ?? options.offlineDir;
  const savedCache = process.env.ELECTRON_BUILDER_CACHE;

  await buildDesktop({ outDir: appDir });
  await writeIcons(resources);
  const branchFile = path.join(resources, 'branch', 'branch.json');
  mkdirSync(path.dirname(branchFile), { recursive: true });
  writeFileSync(branchFile, `${JSON.stringify({ branch, hubUrl }, null, 2)}\n`);

  // electron-builder reads `<cache>/<release>/<archive>` instead of downloading, and finds
  // `electron-v<version>-<os>-<arch>.zip` in electronDist by itself.
  if (offlineCache) process.env.ELECTRON_BUILDER_CACHE = offlineCache;
  const { build } = await import('electron-builder');
  try {
    return await build({
      projectDir: root,
      config: builderOverrides({ branch, hubUrl, appDir, resources, outputDir, branchFile, electronDist }),
      publish: 'never',
      dir: options.dir ?? false,
      ...(options.targets ?? {}),
    });
  } finally {
    if (offlineCache) {
      if (savedCache === undefined) delete process.env.ELECTRON_BUILDER_CACHE;
      else process.env.ELECTRON_BUILDER_CACHE = savedCache;
    }
  }
}

/**
 * Checks the offline kit for these options and lays its tools out as electron-builder's cache;
 * returns the cache folder. Electron comes from `--electron-dist` when given, else from the kit.
 * @param {DistOptions} options
 * @param {string} cacheDir
 */
async function useOfflineKit(options, cacheDir) {
  const config = createRequire(import.meta.url)('js-yaml').load(
    readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'),
  );
  // The kit knows electron-builder's default tool set only; electron-builder.yml pins it.
  const toolsets = config.toolsets ?? {};
  for (const name of ['nsis', 'appimage', 'winCodeSign'])
    if ((toolsets[name] ?? '0.0.0') !== '0.0.0')
      throw new Error(`--offline knows the 0.0.0 toolsets only; electron-builder.yml sets toolsets.${name}`);
  const files = kitFiles({
    electronVersion: String(config.electronVersion),
    hostPlatform: process.platform,
    hostArch: process.arch,
    builds: plannedBuilds(options),
    signing: Boolean(process.env.CSC_LINK || process.env.WIN_CSC_LINK),
    electronGiven: Boolean(options.electronDist),
  });
  await prepareOfflineKit(/** @type {string} */ (options.offlineDir), files, cacheDir);
  return cacheDir;
}

/**
 * What `dist` lays over electron-builder.yml for one branch: where the bundle and icons are, the
 * branch.json to put into resources/, artifact names carrying the branch, and the hub's update
 * feed as a generic provider — without one electron-builder writes no `latest.yml` (the feed file
 * `beseda-hub release add` takes); the app sets the feed itself at run time (main/shell/ElectronUpdater.ts).
 * @param {{
 *   branch: string, hubUrl?: string, appDir: string, resources: string, outputDir: string, branchFile: string,
 *   electronDist?: string | undefined,
 * }} options
 */
export function builderOverrides({ branch, hubUrl, appDir, resources, outputDir, branchFile, electronDist }) {
  return {
    directories: { app: appDir, output: outputDir, buildResources: resources },
    extraResources: [{ from: branchFile, to: 'branch.json' }],
    artifactName: `Beseda-\${version}-${checkBranch(branch)}-\${os}-\${arch}.\${ext}`,
    ...(hubUrl
      ? { publish: [{ provider: /** @type {const} */ ('generic'), url: `${hubOrigin(hubUrl)}/updates/stable/\${os}` }] }
      : {}),
    ...(electronDist ? { electronDist } : {}),
  };
}

/**
 * The hub's HTTP(S) origin from its ws(s)/http(s) address.
 * @param {string} hubUrl
 */
function hubOrigin(hubUrl) {
  const url = new URL(checkHub(hubUrl));
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  return url.origin;
}

/**
 * Reads `--branch`, `--hub`, `--win/--linux/--mac [targets…]`, `--dir`, `--electron-dist`,
 * `--offline`, `--out`.
 * Branch and hub are only read here: {@link checkBranch} and {@link checkHub} judge them.
 * @param {readonly string[]} argv
 */
export function parseDistArgs(argv) {
  /**
   * @type {Omit<DistOptions, 'branch' | 'hubUrl' | 'targets'> & {
   *   branch: string | undefined, hubUrl: string | undefined,
   *   targets: Partial<Record<'win' | 'linux' | 'mac', string[]>>,
   * }}
   */
  const out = { branch: undefined, hubUrl: undefined, targets: {}, dir: false, electronDist: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = () => inline ?? argv[++i];
    const folder = () => {
      const dir = value();
      if (dir === undefined) throw new Error(`${name} needs a folder`);
      return path.resolve(dir);
    };
    if (name === '--branch') out.branch = value();
    else if (name === '--hub') out.hubUrl = value();
    else if (name === '--electron-dist') out.electronDist = folder();
    else if (name === '--offline') out.offlineDir = folder();
    else if (name === '--out') out.workDir = folder();
    else if (name === '--dir') out.dir = true;
    else if (['--win', '--linux', '--mac'].includes(name)) {
      /** @type {string[]} */
      const list = [];
      while (argv[i + 1] && !argv[i + 1]?.startsWith('--')) list.push(/** @type {string} */ (argv[++i]));
      out.targets[/** @type {'win' | 'linux' | 'mac'} */ (name.slice(2))] = list;
    } else throw new Error(`unknown argument ${arg}`);
  }
  return out;
}

const usage =
  'usage: npm run dist -- --branch NAME --hub wss://hub.example:8443 [--win] [--linux] [--mac] [--dir] [--electron-dist DIR] [--offline DIR] [--out DIR]';

/** Network failures: the download never started or broke off (offline build machine, proxy, firewall). */
const networkError =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|socket hang up|fetch failed|getaddrinfo/;

/**
 * Says in plain words, Russian and English, why packaging failed. A failed download of Electron
 * (or of the installer tools) is the usual case on a build machine without internet: name the
 * file that was wanted and the offline way (`--electron-dist`); anything else is passed on as is.
 * @param {any} err whatever was thrown (electron-builder's download errors carry `code` and `url`)
 */
export function explainDistFailure(err) {
  if (err instanceof OfflineKitError) return err.message;
  const message = String(err?.message ?? err);
  const url = err?.options?.url?.href ?? (typeof err?.url === 'string' ? err.url : '');
  const network = networkError.test(`${err?.code ?? ''} ${message}`);
  if (!network) return `dist: ${message}`;
  const file = url ? url.slice(url.lastIndexOf('/') + 1) : '';
  const reason = `${err?.code ?? 'network error'}${url ? `, ${url}` : ''}`;
  if (!url || /\/electron\/electron\/releases\/|\/electron-v[\d.]+-/.test(url)) {
    const zip = file || 'electron-v<version>-<os>-<arch>.zip';
    return [
      `dist: не удалось скачать Electron — похоже, у этой машины нет доступа в интернет (${reason}).`,
      `  Без интернета: скачайте ${zip} на машине с интернетом (или возьмите там`,
      '  node_modules/electron/dist после npm ci для той же ОС), перенесите сюда и укажите при сборке:',
      '    npm run dist -- --branch NAME --hub wss://… --electron-dist ПАПКА',
      '  Или соберите всё нужное (Electron и инструменты) в одну папку: --offline ПАПКА.',
      '  Подробнее: docs/deploy-desktop.md, раздел «Сборка без интернета».',
      `dist: could not download Electron — this machine seems to have no internet access (${reason}).`,
      `  Offline: download ${zip} on a machine with internet (or take`,
      '  node_modules/electron/dist there after npm ci on the same OS), copy it here and pass it:',
      '    npm run dist -- --branch NAME --hub wss://… --electron-dist DIR',
      '  Or bring everything it needs (Electron and the tools) in one folder: --offline DIR.',
      '  See docs/deploy-desktop.md, "Offline builds".',
    ].join('\n');
  }
  return [
    `dist: не удалось скачать инструменты сборки установщика ${file} (${reason}): electron-builder`,
    '  берёт их из интернета при первой сборке. Без интернета положите их в папку и укажите',
    '  --offline ПАПКА (список файлов с адресами: docs/deploy-desktop.md, «Сборка без интернета»).',
    `dist: could not download the installer tools ${file} (${reason}): electron-builder fetches them`,
    '  on the first build. Offline, put them into a folder and pass --offline DIR (the list of files',
    '  with their URLs: docs/deploy-desktop.md, "Offline builds").',
  ].join('\n');
}

/** Fails the process for good: electron-builder's temp-folder cleanup exits with 0 on its own. */
function failExit() {
  process.exitCode = 1;
  // async-exit-hook (used by electron-builder's temp files) calls process.exit(0) once the loop
  // drains; an 'exit' listener is the last word on the code.
  process.on('exit', () => {
    process.exitCode = 1;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  /** @type {DistOptions | undefined} */
  let args;
  try {
    const parsed = parseDistArgs(process.argv.slice(2));
    args = { ...parsed, branch: checkBranch(parsed.branch), hubUrl: checkHub(parsed.hubUrl) };
  } catch (err) {
    console.error(`dist: ${err instanceof Error ? err.message : String(err)}`);
    console.error(usage);
    args = undefined;
    failExit();
  }
  if (args) {
    // package.json's engines is the hub's floor (Node 20); electron-builder 26 and Electron's
    // package declare their own, higher one for the machine that builds installers.
    const minimum = buildNodeMinimum();
    if (!nodeAtLeast(process.versions.node, minimum))
      console.error(
        [
          `dist: для сборки установщиков нужен Node ${minimum} или новее (сейчас ${process.versions.node}):`,
          '  этого требуют electron-builder 26 и пакет Electron. Собирайте на Node 22 LTS или новее.',
          `dist: building installers needs Node ${minimum} or later (this is ${process.versions.node}):`,
          '  electron-builder 26 and the Electron package say so. Build on Node 22 LTS or later.',
        ].join('\n'),
      );
    try {
      const artifacts = await dist(args);
      for (const file of artifacts) console.log(path.relative(root, file));
    } catch (err) {
      console.error(explainDistFailure(err));
      failExit();
    }
  }
}
