import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ReleaseBuild, ReleaseFile } from '../store/ReleaseStore.ts';
import { feedPlatform } from './chooseRelease.ts';
import { isVersion } from './compareVersions.ts';
import { parseUpdateYml } from './parseUpdateYml.ts';

/**
 * Where the hub keeps its releases (0700, files 0600: the hub's user only): `--releases-dir`, or
 * `DATA/releases`. Several nodes point it at one shared folder, so every node serves what
 * `release add` put there through any of them.
 */
export function releasesDirOf(config: { dataDir: string; releasesDir?: string | null }): string {
  return path.resolve(config.releasesDir ?? path.join(config.dataDir, 'releases'));
}

/** A file or folder name the hub accepts from a feed or a request: one plain name, never a path. */
export function isPlainName(name: string): boolean {
  return /^[^/\\\0]{1,200}$/.test(name) && !name.startsWith('.') && !/[\u0000-\u001f]/.test(name);
}

/** Where uploads wait while the hub checks them (inside the releases folder: a rename moves them into place). */
const incoming = 'incoming';

/** A new private folder for one `release add` (the CLI copies the files into it); its name is what the hub is given. */
export async function createStaging(releasesDir: string): Promise<{ dir: string; name: string }> {
  await mkdir(path.join(releasesDir, incoming), { recursive: true, mode: 0o700 });
  await chmod(releasesDir, 0o700);
  const dir = await mkdtemp(path.join(releasesDir, incoming, 'add-'));
  await chmod(dir, 0o700);
  return { dir, name: path.basename(dir) };
}

/**
 * Copies the files given to `release add` into a staging folder, readable by the hub's user only.
 * Folders (a `*` that caught `linux-unpacked/`) are skipped and named back; two files of one name refused.
 */
export async function stageFiles(dir: string, files: readonly string[]): Promise<{ skipped: string[] }> {
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    });
    if (info.isDirectory()) {
      skipped.push(file);
      continue;
    }
    const name = path.basename(file);
    if (!isPlainName(name)) throw new Error(`${file}: not a usable file name`);
    if (seen.has(name)) throw new Error(`two files named ${name}: give one build's files at a time`);
    seen.add(name);
    const target = path.join(dir, name);
    await copyFile(file, target);
    await chmod(target, 0o600);
  }
  return { skipped };
}

/** What a staged upload holds, checked: its version, one build per feed file, and the files no feed names. */
export interface StagedRelease {
  version: string;
  builds: ReleaseBuild[];
  /** Given but named by no feed (the .msi, builder-debug.yml): not kept. */
  ignored: string[];
}

/** electron-updater's sha512 of a file: base64 of the digest, as electron-builder writes it into the feed. */
export async function fileSha512(file: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('base64');
}

/**
 * Checks a staged upload: it holds at least one feed file (`latest.yml`, `latest-linux.yml`,
 * `latest-mac.yml`), every feed names the same version, and every file a feed names is there
 * with the size and sha512 the feed says (a truncated copy or the wrong build is refused here,
 * before any client could download it). Blockmaps beside a named file are kept for differential
 * downloads; anything else is listed as ignored and removed.
 */
export async function inspectStaged(
  releasesDir: string,
  name: string,
  builtFor: string | null,
): Promise<StagedRelease> {
  const dir = stagedDir(releasesDir, name);
  const entries = (await readdir(dir)).sort();
  const feeds = entries.filter((e) => feedPlatform(e) !== null);
  if (feeds.length === 0)
    throw new Error(
      'no feed file among the files: give latest.yml (Windows), latest-linux.yml or latest-mac.yml with the installers',
    );
  const builds: ReleaseBuild[] = [];
  const kept = new Set<string>(feeds);
  let version: string | null = null;
  for (const feed of feeds) {
    const yml = await readFile(path.join(dir, feed), 'utf8');
    let parsed;
    try {
      parsed = parseUpdateYml(yml);
    } catch (err) {
      throw new Error(`${feed}: ${(err as Error).message}`);
    }
    if (!isVersion(parsed.version))
      throw new Error(`${feed}: version ${JSON.stringify(parsed.version)} is not like 1.2.3`);
    if (version !== null && parsed.version !== version)
      throw new Error(`${feed} is version ${parsed.version}, another feed ${version}: one version at a time`);
    version = parsed.version;
    const files: ReleaseFile[] = [];
    for (const f of parsed.files) {
      if (!isPlainName(f.url))
        throw new Error(`${feed} names ${JSON.stringify(f.url)}: only file names in the same folder are served`);
      const file = path.join(dir, f.url);
      const info = await lstat(file).catch(() => null);
      if (!info?.isFile()) throw new Error(`${feed} names ${f.url}, which was not given`);
      if (info.size !== f.size)
        throw new Error(`${f.url} is ${info.size} bytes, ${feed} says ${f.size}: not the file the feed was made for`);
      const sha512 = await fileSha512(file);
      if (sha512 !== f.sha512)
        throw new Error(`${f.url}: its sha512 is not the one in ${feed} (corrupted copy, or another build's feed)`);
      files.push({ name: f.url, size: f.size, sha512 });
      kept.add(f.url);
      const blockmap = `${f.url}.blockmap`;
      if (entries.includes(blockmap)) {
        const b = path.join(dir, blockmap);
        files.push({ name: blockmap, size: (await stat(b)).size, sha512: await fileSha512(b) });
        kept.add(blockmap);
      }
    }
    builds.push({ platform: feedPlatform(feed)!, builtFor, ymlName: feed, yml, files, dir: name });
  }
  const ignored = entries.filter((e) => !kept.has(e));
  for (const e of ignored) await rm(path.join(dir, e), { recursive: true, force: true });
  return { version: version!, builds, ignored };
}

/** Moves a checked upload to `DATA/releases/<channel>/<version>/<name>`. */
export async function installStaged(
  releasesDir: string,
  name: string,
  channel: string,
  version: string,
): Promise<void> {
  const target = releaseDir(releasesDir, channel, version);
  await mkdir(target, { recursive: true, mode: 0o700 });
  await chmod(path.dirname(target), 0o700);
  await chmod(target, 0o700);
  await rename(stagedDir(releasesDir, name), path.join(target, name));
}

/** Removes a staged upload (refused, or the admin command failed). */
export async function discardStaged(releasesDir: string, name: string): Promise<void> {
  await rm(stagedDir(releasesDir, name), { recursive: true, force: true });
}

/** Removes one build's folder of a release (its row was not written). */
export async function removeBuildDir(
  releasesDir: string,
  channel: string,
  version: string,
  name: string,
): Promise<void> {
  if (isPlainName(name))
    await rm(path.join(releaseDir(releasesDir, channel, version), name), { recursive: true, force: true });
}

/** Removes a release's folder with all its builds. */
export async function removeReleaseDir(releasesDir: string, channel: string, version: string): Promise<void> {
  await rm(releaseDir(releasesDir, channel, version), { recursive: true, force: true });
}

/** The path of one served file (names were checked as plain names when the release was added). */
export function releaseFilePath(
  releasesDir: string,
  channel: string,
  version: string,
  dir: string,
  name: string,
): string {
  return path.join(releaseDir(releasesDir, channel, version), dir, name);
}

function releaseDir(releasesDir: string, channel: string, version: string): string {
  return path.join(releasesDir, channel, version);
}

function stagedDir(releasesDir: string, name: string): string {
  if (!/^add-[A-Za-z0-9]{6}$/.test(name)) throw new Error('not a staged upload');
  return path.join(releasesDir, incoming, name);
}
