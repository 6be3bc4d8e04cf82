// Shared by the archive tests: run `npm run pack:hub`'s script into a temp folder, unpack it, and a
// PATH that holds nothing but what the launcher needs (no node, npm or compiler).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The checkout. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** package.json's version: the archive's VERSION and `--version` must say it. */
export const packageVersion = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;

/**
 * Runs scripts/pack-hub.js with `args` into a new temp folder. `--no-build`: the test run's global
 * setup has just built the hub and the web client (the script still builds what is missing).
 */
export async function pack(args: string[] = []): Promise<{ archive: string; printed: string; outDir: string }> {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'beseda-pack-'));
  const { stdout } = await run(process.execPath, ['scripts/pack-hub.js', '--out', outDir, '--no-build', ...args], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  const archives = readdirSync(outDir).filter((f) => f.endsWith('.tar.gz') || f.endsWith('.zip'));
  if (archives.length !== 1) throw new Error(`expected one archive in ${outDir}, found ${archives.join(', ')}`);
  return { archive: path.join(outDir, archives[0]!), printed: stdout, outDir };
}

/**
 * Unpacks an archive into a new, clean temp folder (outside the checkout); returns its top folder.
 * A .zip is opened by Python's zipfile (an implementation independent of the script's writer),
 * after its CRC check of every entry.
 */
export async function unpack(archive: string): Promise<string> {
  const into = mkdtempSync(path.join(os.tmpdir(), 'beseda-unpacked-'));
  if (archive.endsWith('.zip')) {
    await run('python3', ['-m', 'zipfile', '-t', archive]);
    await run('python3', ['-m', 'zipfile', '-e', archive, into]);
  } else await run('tar', ['-xzf', archive, '-C', into]);
  const [top] = readdirSync(into);
  return path.join(into, top!);
}

/** What the launcher calls besides itself; nothing else is on the test's PATH. */
const launcherTools = ['sh', 'readlink', 'dirname'];

/** A folder holding only links to the launcher's tools, for PATH. */
export function barePath(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-bin-'));
  for (const tool of launcherTools) {
    const found = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((f) => existsSync(f));
    if (!found) throw new Error(`${tool} not found`);
    symlinkSync(found, path.join(dir, tool));
  }
  return dir;
}

/** An environment with nothing from the test's: the bare PATH, a throwaway HOME. */
export function bareEnv(pathDir: string, home: string): NodeJS.ProcessEnv {
  return { PATH: pathDir, HOME: home, LANG: 'C.UTF-8' };
}
