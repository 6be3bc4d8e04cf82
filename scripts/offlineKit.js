// @ts-check
// The offline kit: every file `npm run dist` needs from the internet — the Electron zip and
// electron-builder's tool archives — for the chosen targets on this build machine, with where to
// download each, checked in a folder before anything is built (`npm run dist -- --offline DIR`).
// The tool list is electron-builder 26.17's own (its default "legacy" toolsets; the names and
// checksums are those in node_modules/app-builder-lib and dmg-builder, which
// tests/desktop/offlineBuild.test.ts reads to catch an upgrade that changes them).
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, linkSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Where electron-builder downloads its tools from (a GitHub release per tool version). */
export const toolsBaseUrl = 'https://github.com/electron-userland/electron-builder-binaries/releases/download/';
/** Where Electron's zips come from. */
export const electronBaseUrl = 'https://github.com/electron/electron/releases/download/';

/**
 * @typedef {object} KitFile
 * @property {string} file the file name, as it must lie in the kit folder
 * @property {string} url where to download it (on a machine with internet)
 * @property {string | null} sha256 the checksum it must have (null: not known here)
 * @property {string | null} release electron-builder's cache folder for a tool (null for Electron)
 * @property {string} why what needs it
 * @property {string} [source] the package file that names it (tests compare)
 */

/**
 * @param {string} release
 * @param {string} file
 * @param {string} sha256
 * @param {string} why
 * @param {string} source
 * @returns {KitFile}
 */
const tool = (release, file, sha256, why, source) => ({
  file,
  url: `${toolsBaseUrl}${release}/${file}`,
  sha256,
  release,
  why,
  source,
});

const windowsTools = 'app-builder-lib/out/toolsets/windows.js';
const linuxTools = 'app-builder-lib/out/toolsets/linux.js';

/** 7-Zip for the build machine: unpacks the `.7z` tools and packs the NSIS installer's payload. */
const sevenZip = {
  'linux-x64': 'd151bb44b2a9d9bfc52813ce4cac042916394a0ab8a56bd5d221a5dc9ef8d5d7',
  'linux-arm64': '5aff5034206b78f8261249ceb922b5c7e04c9bdb733784d8f5b6df9732cf1f79',
  'win-x64': 'be071f15bd6da2f78fe81c6ddef2009b0c4d8a51f36b780cb806c7e6df95e1b3',
  'win-arm64': 'ac3f38f96ce7498096a123bb0862dd6db863a7353c9e9e1c15f73c183adf6620',
  'darwin-arm64': '496a341abe210aae1a25bc202ee97f6de6c76a3dc80f91d96616be05502d72c1',
  'darwin-x86_64': '496a341abe210aae1a25bc202ee97f6de6c76a3dc80f91d96616be05502d72c1',
};

/** fpm (the `.deb` packer) for a Linux or macOS build machine. */
const fpm = {
  'linux-x64': [
    'fpm-1.17.0-ruby-3.4.3-linux-amd64.7z',
    '44b0ec6025c14ec137f56180e62675c0eae36233cdce53d0953d9c73ced8989f',
  ],
  'linux-arm64': [
    'fpm-1.17.0-ruby-3.4.3-linux-arm64v8.7z',
    '338b50cfa7f12d745a997d1a3d000bcd0410008050fa7d8c4476a78a61c0564e',
  ],
  'darwin-arm64': [
    'fpm-1.17.0-ruby-3.4.3-darwin-arm64.7z',
    '6cc6d4785875bc7d79bdf52ca146080a4c300e1d663376ae79615fb548030ede',
  ],
  'darwin-x64': [
    'fpm-1.17.0-ruby-3.4.3-darwin-x86_64.7z',
    'f7cb468c5e64177124c9d3a5f400ac20ffcb411aa5aa0ea224a808ff5a2d3bbf',
  ],
};

/** dmgbuild for a macOS build machine. */
const dmgbuild = {
  arm64: '793404d0c96687e27d5ee40a668d498c92e36a64d6c2906df511031adb33cbeb',
  x86_64: '1664972f9cc2d6e8fce3b63e42cd30078aff602669c5856939c4519921200433',
};

/**
 * @param {string} platform Node's `process.platform`
 * @param {string} arch Node's `process.arch`
 */
function sevenZipFor(platform, arch) {
  const os = platform === 'win32' ? 'win' : platform;
  const cpu = platform === 'darwin' ? (arch === 'arm64' ? 'arm64' : 'x86_64') : arch === 'arm64' ? 'arm64' : 'x64';
  const sha256 = /** @type {Record<string, string>} */ (sevenZip)[`${os}-${cpu}`];
  if (!sha256) throw new Error(`no 7-Zip tool for a ${platform}-${arch} build machine`);
  const file = `7zip-${os}-${cpu}.tar.gz`;
  return tool('7zip@1.0.0', file, sha256, '7-Zip', 'app-builder-lib/out/toolsets/7zip.js');
}

/**
 * @typedef {object} KitRequest
 * @property {string} electronVersion
 * @property {string} hostPlatform the build machine (`process.platform`)
 * @property {string} hostArch the build machine (`process.arch`)
 * @property {{ platform: 'win' | 'linux' | 'mac', targets: string[], archs: string[] }[]} builds what is built
 * @property {boolean} [signing] code signing is configured (CSC_LINK / WIN_CSC_LINK)
 * @property {boolean} [electronGiven] Electron comes from `--electron-dist`, not the kit
 */

/**
 * Every file the build needs from the internet, for these targets on this build machine.
 * @param {KitRequest} request
 * @returns {KitFile[]}
 */
export function kitFiles(request) {
  const { hostPlatform, hostArch } = request;
  /** @type {KitFile[]} */
  const files = [];
  const add = (/** @type {KitFile} */ file) => {
    if (!files.some((f) => f.file === file.file)) files.push(file);
  };
  const checksums = electronChecksums(request.electronVersion);
  for (const build of request.builds) {
    const electronPlatform = { win: 'win32', linux: 'linux', mac: 'darwin' }[build.platform];
    if (!request.electronGiven)
      for (const arch of build.archs) {
        const file = `electron-v${request.electronVersion}-${electronPlatform}-${arch}.zip`;
        add({
          file,
          url: `${electronBaseUrl}v${request.electronVersion}/${file}`,
          sha256: checksums[file] ?? null,
          release: null,
          why: 'Electron',
        });
      }
    const targets = build.targets.map((t) => t.toLowerCase());
    // PNG → .ico / .icns (Linux takes the PNG as it is), even for the unpacked folder.
    if (build.platform !== 'linux')
      add(
        tool(
          'icons@1.2.3',
          'icons-bundle.tar.gz',
          '4e5bb546c9d3ab0c2bbacc22857467bf415f742a34c2be9dd138779d2fc066f9',
          'icon conversion',
          'app-builder-lib/out/toolsets/icons.js',
        ),
      );
    if (targets.includes('nsis')) {
      add(sevenZipFor(hostPlatform, hostArch));
      add(
        tool(
          'nsis-3.0.4.1',
          'nsis-3.0.4.1.7z',
          '9877df902530f96357d13a7a31ae2b9df67f48b11ffc9a1700a7c961574ec5fa',
          'NSIS (.exe)',
          windowsTools,
        ),
      );
      add(
        tool(
          'nsis-resources-3.4.1',
          'nsis-resources-3.4.1.7z',
          '593a9a92ef958321293ac6a2ee61e64bf1bd543142a5bd6b3d310709cc924103',
          'NSIS plugins (.exe)',
          windowsTools,
        ),
      );
    }
    if (targets.includes('msi')) {
      add(sevenZipFor(hostPlatform, hostArch));
      add(
        tool(
          'wix-4.0.0.5512.2',
          'wix-4.0.0.5512.2.7z',
          'fe677fcd837b18c9b912985d91636bbd8a1e800c3b3a6a841b6f96e89624e839',
          'WiX (.msi)',
          'app-builder-lib/out/targets/MsiTarget.js',
        ),
      );
    }
    if (build.platform === 'win' && request.signing) {
      add(sevenZipFor(hostPlatform, hostArch));
      add(
        tool(
          'winCodeSign-2.6.0',
          'winCodeSign-2.6.0.7z',
          'cdaec7154dda7cc31f88d886e2489379a0625a737d610b5ae7f62a12f16743a4',
          'signtool (code signing)',
          windowsTools,
        ),
      );
    }
    if (targets.includes('appimage')) {
      add(sevenZipFor(hostPlatform, hostArch));
      add(
        tool(
          'appimage-12.0.1',
          'appimage-12.0.1.7z',
          'd12ff7eb8f1d1ec4652ca5237a7fbdca33acc0c758045636feca62dc6ecb8ec4',
          'AppImage runtime',
          linuxTools,
        ),
      );
    }
    if (targets.includes('deb') && hostPlatform !== 'win32') {
      const key = `${hostPlatform}-${hostArch === 'arm64' ? 'arm64' : 'x64'}`;
      const entry = /** @type {Record<string, string[]>} */ (fpm)[key];
      if (!entry) throw new Error(`no fpm tool for a ${hostPlatform}-${hostArch} build machine`);
      add(sevenZipFor(hostPlatform, hostArch));
      add(
        tool('fpm@2.1.4', /** @type {string} */ (entry[0]), /** @type {string} */ (entry[1]), 'fpm (.deb)', linuxTools),
      );
    }
    if (targets.includes('dmg')) {
      const cpu = hostArch === 'arm64' ? 'arm64' : 'x86_64';
      add(
        tool(
          'dmg-builder@1.2.5',
          `dmgbuild-bundle-${cpu}-75c8a6c.tar.gz`,
          dmgbuild[cpu],
          'dmgbuild (.dmg)',
          'dmg-builder/out/dmgUtil.js',
        ),
      );
    }
  }
  return files;
}

/**
 * Electron's own checksums for its release zips, as the `electron` package ships them (the same
 * version only): what the kit's Electron zip is checked against.
 * @param {string} version
 * @returns {Record<string, string>}
 */
function electronChecksums(version) {
  try {
    const pkg = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8'));
    if (pkg.version !== version) return {};
    return JSON.parse(
      readFileSync(path.join(path.dirname(require.resolve('electron/package.json')), 'checksums.json'), 'utf8'),
    );
  } catch {
    return {};
  }
}

/**
 * @param {string} file
 * @returns {Promise<string>}
 */
function sha256Of(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The kit folder lacks files or holds damaged ones; the message lists each with its URL. */
export class OfflineKitError extends Error {}

/**
 * Checks the kit folder holds every file (with the right checksum) before anything is built, and
 * lays the tools out as electron-builder's cache (`<cache>/<release>/<file>`, which it reads
 * instead of downloading). Throws {@link OfflineKitError} naming every missing or damaged file
 * with where to download it.
 * @param {string} dir the kit folder
 * @param {KitFile[]} files from {@link kitFiles}
 * @param {string} cacheDir a fresh folder to use as ELECTRON_BUILDER_CACHE
 */
export async function prepareOfflineKit(dir, files, cacheDir) {
  /** @type {string[]} */
  const missing = [];
  /** @type {string[]} */
  const damaged = [];
  for (const entry of files) {
    const file = path.join(dir, entry.file);
    if (!existsSync(file)) missing.push(`  ${entry.file} (${entry.why})\n      ${entry.url}`);
    else if (entry.sha256 && (await sha256Of(file)) !== entry.sha256)
      damaged.push(`  ${entry.file} (${entry.why}): sha256 ≠ ${entry.sha256}\n      ${entry.url}`);
  }
  if (missing.length || damaged.length) {
    const lines = [`dist: в папке для сборки без интернета ${dir} не хватает файлов / the offline folder lacks files:`];
    if (missing.length) lines.push('нет / missing:', ...missing);
    if (damaged.length) lines.push('повреждены (скачайте заново) / damaged (download again):', ...damaged);
    lines.push(
      'Скачайте их на машине с интернетом и положите в эту папку как есть (без распаковки).',
      'Download them on a machine with internet and put them into this folder as they are (not unpacked).',
      'См. / see docs/deploy-desktop.md, «Сборка без интернета / Offline builds».',
    );
    throw new OfflineKitError(lines.join('\n'));
  }
  rmSync(cacheDir, { recursive: true, force: true });
  for (const entry of files) {
    if (!entry.release) continue;
    const target = path.join(cacheDir, entry.release, entry.file);
    mkdirSync(path.dirname(target), { recursive: true });
    // A hard link costs nothing; another drive (or a file system without links) gets a copy.
    try {
      linkSync(path.join(dir, entry.file), target);
    } catch {
      copyFileSync(path.join(dir, entry.file), target);
    }
  }
}

/**
 * The oldest Node the installer build supports: the highest minimum among electron-builder's
 * downloader and Electron's package (both say 22.12), read from what is installed.
 * @returns {string}
 */
export function buildNodeMinimum() {
  /** @type {number[][]} */
  const floors = [];
  for (const name of ['electron/package.json', '@electron/get/package.json', '@electron/rebuild/package.json']) {
    try {
      const range = JSON.parse(readFileSync(require.resolve(name, { paths: [root] }), 'utf8')).engines?.node ?? '';
      const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(range);
      if (m) floors.push([Number(m[1]), Number(m[2]), Number(m[3] ?? 0)]);
    } catch {
      // not installed: no requirement from it
    }
  }
  const highest = floors.sort(compareVersions).at(-1) ?? [0, 0, 0];
  return highest.join('.');
}

/**
 * @param {number[]} a
 * @param {number[]} b
 */
function compareVersions(a, b) {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

/**
 * Whether `version` (e.g. `process.versions.node`) is at least `minimum`.
 * @param {string} version
 * @param {string} minimum
 */
export function nodeAtLeast(version, minimum) {
  const parse = (/** @type {string} */ v) => v.split('.').map((n) => Number.parseInt(n, 10) || 0);
  return compareVersions(parse(version), parse(minimum)) >= 0;
}
