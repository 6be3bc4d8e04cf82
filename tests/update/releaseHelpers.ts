// Fake desktop builds for the update tests: installers of random bytes and the feed file
// electron-builder writes beside them (the same shape: version, files with url/sha512/size, path,
// sha512, releaseDate), with sha512 computed here, independently of the hub.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** electron-updater's sha512: base64 of the digest. */
export function sha512(bytes: Buffer): string {
  return createHash('sha512').update(bytes).digest('base64');
}

/** One fake build folder, as `npm run dist` leaves dist/installers/<branch>/. */
export interface FakeBuild {
  dir: string;
  /** Every file in the folder (what `release add dir/*` passes). */
  paths: string[];
  installer: { name: string; bytes: Buffer };
  feedName: string;
}

/**
 * Writes a build of `version` for `branch` ('win': an .exe with a blockmap, latest.yml, and an .msi
 * the feed does not name; 'linux': an AppImage and latest-linux.yml). `corrupt` flips a byte of the
 * installer after the feed was written (a truncated or damaged copy).
 */
export function fakeBuild(
  version: string,
  branch: string,
  options: { platform?: 'win' | 'linux'; size?: number; corrupt?: boolean } = {},
): FakeBuild {
  const platform = options.platform ?? 'win';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-build-'));
  const name =
    platform === 'win'
      ? `Beseda-${version}-${branch}-win-x64.exe`
      : `Beseda-${version}-${branch}-linux-x86_64.AppImage`;
  const bytes = randomBytes(options.size ?? 300_000);
  const feedName = platform === 'win' ? 'latest.yml' : 'latest-linux.yml';
  const hash = sha512(bytes);
  const yml = [
    `version: ${version}`,
    'files:',
    `  - url: ${name}`,
    `    sha512: ${hash}`,
    `    size: ${bytes.length}`,
    ...(platform === 'win' ? ['    isAdminRightsRequired: false'] : ['    blockMapSize: 1234']),
    `path: ${name}`,
    `sha512: ${hash}`,
    "releaseDate: '2026-12-03T05:00:00.000Z'",
    '',
  ].join('\n');
  const stored = Buffer.from(bytes);
  if (options.corrupt) stored[1000] = stored[1000]! ^ 0xff;
  writeFileSync(path.join(dir, name), stored);
  writeFileSync(path.join(dir, feedName), yml);
  const paths = [path.join(dir, name), path.join(dir, feedName)];
  if (platform === 'win') {
    writeFileSync(path.join(dir, `${name}.blockmap`), randomBytes(500));
    writeFileSync(path.join(dir, `Beseda-${version}-${branch}-win-x64.msi`), randomBytes(1000));
    writeFileSync(path.join(dir, 'builder-debug.yml'), 'x: 1\n');
    paths.push(
      path.join(dir, `${name}.blockmap`),
      path.join(dir, `Beseda-${version}-${branch}-win-x64.msi`),
      path.join(dir, 'builder-debug.yml'),
    );
  }
  return { dir, paths, installer: { name, bytes }, feedName };
}
