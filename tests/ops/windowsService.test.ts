// Windows Server (issue 15, point 1): what can be checked on Linux. The WinSW XML is well-formed
// (Chromium's XML parser), names files the Windows archive has, and passes arguments the hub
// accepts; the example configuration loads; the admin named pipe's name is derived from the data
// folder; `pack:hub --platform win32-x64` lays out node.exe, the Windows better-sqlite3 module and
// sharp's Windows package, and refuses files for the wrong system. Not checked here: WinSW itself,
// the service account, the pipe's permissions, the hub actually running on Windows.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSocketPath } from '../../hub/admin/adminSocketPath.ts';
import { checkCommandLine } from '../../hub/cli/parseCommandLine.ts';
import { loadConfig } from '../../hub/config/loadConfig.ts';
import { launchBrowser } from '../e2e/browser.ts';
import { pack, packageVersion, root, unpack } from './packHelpers.ts';

const run = promisify(execFile);
const xml = readFileSync(path.join(root, 'deploy/windows/beseda-hub.xml'), 'utf8');
const temps: string[] = [];

/** Fake Windows binaries: "MZ" is all the script checks; they never run here. */
const fakePe = (tag: string) => Buffer.concat([Buffer.from('MZ'), Buffer.from(`fake ${tag} for the layout test`)]);
const sharpVersion = (
  JSON.parse(readFileSync(path.join(root, 'node_modules/sharp/package.json'), 'utf8')) as {
    optionalDependencies: Record<string, string>;
  }
).optionalDependencies['@img/sharp-win32-x64']!;

let inputs = '';
let archive = '';
let top = '';

beforeAll(async () => {
  inputs = mkdtempSync(path.join(os.tmpdir(), 'beseda-win-inputs-'));
  temps.push(inputs);
  writeFileSync(path.join(inputs, 'node.exe'), fakePe('node.exe'));
  writeFileSync(path.join(inputs, 'better_sqlite3.node'), fakePe('better_sqlite3.node'));
  const sharp = path.join(inputs, 'sharp-win32-x64');
  mkdirSync(path.join(sharp, 'lib'), { recursive: true });
  writeFileSync(
    path.join(sharp, 'package.json'),
    JSON.stringify({ name: '@img/sharp-win32-x64', version: sharpVersion }),
  );
  writeFileSync(path.join(sharp, 'lib/sharp-win32-x64.node'), fakePe('sharp'));
  const packed = await pack([
    '--platform',
    'win32-x64',
    '--node',
    path.join(inputs, 'node.exe'),
    '--native',
    path.join(inputs, 'better_sqlite3.node'),
    '--sharp',
    sharp,
  ]);
  temps.push(packed.outDir);
  archive = packed.archive;
  top = await unpack(archive);
  temps.push(path.dirname(top));
}, 300_000);

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** One element's text (the XML has each once). */
const element = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

/** Splits a Windows command line the way the C runtime does for the simple cases used here (quotes, spaces). */
function windowsArgv(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

describe('the WinSW service definition', () => {
  it('is well-formed XML with a <service> root', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const parse = (text: string) =>
        page.evaluate((t) => {
          const doc = new DOMParser().parseFromString(t, 'application/xml');
          return { error: doc.getElementsByTagName('parsererror').length > 0, root: doc.documentElement.nodeName };
        }, text);
      expect(await parse(xml)).toEqual({ error: false, root: 'service' });
      // The check can fail: an unclosed element is reported.
      expect((await parse(xml.replace('</stoptimeout>', ''))).error).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it("runs the archive's node.exe on the hub with arguments the hub accepts", () => {
    expect(element('id')).toBe('beseda-hub');
    expect(element('executable')).toBe('%BASE%\\runtime\\node.exe');
    const argv = windowsArgv(element('arguments')!);
    expect(argv[0]).toBe('%BASE%\\hub\\beseda-hub.js');
    expect(argv.slice(1)).toEqual(['serve', '--config', 'C:\\ProgramData\\Beseda\\hub.json']);
    expect(checkCommandLine(argv.slice(1))).toBeNull();
    // %BASE% is the unpacked Windows archive: both files are there.
    for (const rel of [element('executable')!, argv[0]!])
      expect(existsSync(path.join(top, ...rel.replace('%BASE%\\', '').split('\\'))), rel).toBe(true);
  });

  it('restarts on failure and stops gracefully within a bound', () => {
    expect(xml).toMatch(/<onfailure action="restart"/);
    expect(element('stoptimeout')).toMatch(/^\d+ sec$/);
    expect(element('logpath')).toBe('C:\\ProgramData\\Beseda\\logs');
  });

  it('ships an example configuration that loads', () => {
    const config = loadConfig({ config: path.join(root, 'deploy/windows/hub.json') }, {});
    expect(config.dataDir).toBe('C:\\ProgramData\\Beseda\\data');
  });

  it('reaches the admin commands through a named pipe derived from the data folder', () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      const pipe = adminSocketPath('/srv/beseda/data');
      expect(pipe).toMatch(/^\\\\\.\\pipe\\beseda-admin-[0-9a-f]{16}$/);
      // The CLI and the service compute the same name for the same folder, another for another.
      expect(adminSocketPath('/srv/beseda/data')).toBe(pipe);
      expect(adminSocketPath('/srv/beseda/other')).not.toBe(pipe);
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });
});

describe('pack:hub --platform win32-x64', () => {
  it('is a ZIP (Explorer and Expand-Archive open it on every Windows Server)', () => {
    expect(path.basename(archive)).toBe(`beseda-hub-${packageVersion}-win32-x64.zip`);
    expect(path.basename(top)).toBe(`beseda-hub-${packageVersion}-win32-x64`);
  });

  it('lays out node.exe, the given modules and sharp for Windows, and no Linux binaries', () => {
    expect(readFileSync(path.join(top, 'runtime/node.exe'))).toEqual(fakePe('node.exe'));
    expect(readFileSync(path.join(top, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toEqual(
      fakePe('better_sqlite3.node'),
    );
    expect(existsSync(path.join(top, 'node_modules/@img/sharp-win32-x64/lib/sharp-win32-x64.node'))).toBe(true);
    expect(readdirSync(path.join(top, 'node_modules/@img')).filter((d) => d.includes('linux'))).toEqual([]);
    expect(existsSync(path.join(top, 'runtime/node'))).toBe(false);
    expect(readdirSync(path.join(top, 'bin'))).toEqual(['beseda-hub.cmd']);
    const cmd = readFileSync(path.join(top, 'bin/beseda-hub.cmd'), 'utf8');
    expect(cmd).toContain('"%~dp0..\\runtime\\node.exe" "%~dp0..\\hub\\beseda-hub.js" %*');
    expect(cmd).toMatch(/\r\n/);
    const install = readFileSync(path.join(top, 'INSTALL.txt'), 'utf8');
    expect(install).toMatch(/NT SERVICE\\beseda-hub/);
    expect(install).toMatch(/icacls/);
    expect(existsSync(path.join(top, 'deploy/windows/beseda-hub.xml'))).toBe(true);
    expect(existsSync(path.join(top, 'web/index.html'))).toBe(true);
  });

  it('refuses a Linux module or the wrong sharp version for Windows', async () => {
    const attempt = (args: string[]) =>
      run(
        process.execPath,
        ['scripts/pack-hub.js', '--platform', 'win32-x64', '--no-build', '--out', inputs, ...args],
        {
          cwd: root,
        },
      ).then(
        () => '',
        (err: { stderr: string }) => err.stderr,
      );
    const linuxModule = path.join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(
      await attempt([
        '--node',
        path.join(inputs, 'node.exe'),
        '--native',
        linuxModule,
        '--sharp',
        path.join(inputs, 'x'),
      ]),
    ).toMatch(/--native: .* is not a Windows \(PE\) binary/);
    const oldSharp = path.join(inputs, 'old-sharp');
    mkdirSync(oldSharp);
    writeFileSync(
      path.join(oldSharp, 'package.json'),
      JSON.stringify({ name: '@img/sharp-win32-x64', version: '0.0.1' }),
    );
    expect(
      await attempt([
        '--node',
        path.join(inputs, 'node.exe'),
        '--native',
        path.join(inputs, 'better_sqlite3.node'),
        '--sharp',
        oldSharp,
      ]),
    ).toMatch(new RegExp(`--sharp must be @img/sharp-win32-x64@${sharpVersion.replace(/\./g, '\\.')}`));
  });
});
