// The hub reads electron-builder's feed files (latest.yml) to check the installers against them.
// Written here by electron-builder's own serializer (builder-util's serializeToYaml: js-yaml's dump,
// as app-builder-lib's updateInfoBuilder calls it), with the fields its builds add, release notes
// included; and what the hub must refuse.
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compareVersions, isVersion } from '../../hub/releases/compareVersions.ts';
import { parseUpdateYml } from '../../hub/releases/parseUpdateYml.ts';
import { rolloutBucket } from '../../hub/releases/chooseRelease.ts';

const require = createRequire(import.meta.url);
const { serializeToYaml } = require('builder-util') as {
  serializeToYaml(object: unknown, skipInvalid?: boolean, noRefs?: boolean): string;
};

describe("electron-builder's feed file", () => {
  it('reads what electron-builder writes, whatever the hashes and names look like', () => {
    for (let n = 0; n < 200; n++) {
      const sha512 = createHash('sha512').update(randomBytes(64)).digest('base64');
      const name = n % 2 ? `Beseda-1.${n}.0-kazan-win-x64.exe` : `Beseda-1.${n}.0-Филиал №${n}-linux-x86_64.AppImage`;
      const info = {
        version: `1.${n}.0${n % 5 === 0 ? '-beta.1' : ''}`,
        files: [
          { url: name, sha512, size: 1000 + n, ...(n % 2 ? { isAdminRightsRequired: false } : { blockMapSize: 4321 }) },
        ],
        path: name,
        sha512,
        ...(n % 3 === 0 ? { releaseNotes: `Что нового:\n- пункт ${n}\n- «кавычки»: и двоеточие` } : {}),
        ...(n % 7 === 0 ? { stagingPercentage: 10 } : {}),
        releaseDate: new Date(Date.UTC(2026, 11, 3) + n * 1000).toISOString(),
      };
      const yml = serializeToYaml(info, false, true);
      const parsed = parseUpdateYml(yml);
      expect(parsed, yml).toEqual({
        version: info.version,
        files: [{ url: name, sha512, size: 1000 + n }],
        path: name,
      });
    }
  });

  it('refuses what it cannot vouch for, naming the line', () => {
    expect(() => parseUpdateYml('files:\n  - url: a.exe\n    sha512: x\n    size: 1\n')).toThrow('no version');
    expect(() => parseUpdateYml('version: 1.0.0\npath: a.exe\nsha512: abc\n')).toThrow(/older than 20/);
    expect(() => parseUpdateYml('version: 1.0.0\nfiles:\n  - url: a.exe\n    size: 1\n')).toThrow(
      'files[0]: needs url, sha512 and size',
    );
    expect(() => parseUpdateYml('version: 1.0.0\nfiles:\n  - url: a.exe\n    sha512: x\n    size: -1\n')).toThrow(
      'files[0]',
    );
    expect(() => parseUpdateYml('<html>not a feed</html>\n')).toThrow(/line 1/);
    expect(() => parseUpdateYml("version: '1.0.0\n")).toThrow(/line 1: unclosed quote/);
  });

  it('orders versions as electron-updater does, and places installs in a rollout evenly', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-beta.2', '1.2.0-beta.10', '0.9.9', '2.0.0-rc.1'].sort(compareVersions);
    expect(sorted).toEqual(['0.9.9', '1.2.0-beta.2', '1.2.0-beta.10', '1.2.0', '1.10.0', '2.0.0-rc.1']);
    expect(['1.2', 'v1.2.3', '01.2.3', '1.2.3+build'].filter(isVersion)).toEqual([]);
    const buckets = Array.from({ length: 2000 }, (_, i) => rolloutBucket('1.2.0', i.toString(16).padStart(32, '0')));
    const underTen = buckets.filter((b) => b < 10).length;
    expect(underTen).toBeGreaterThan(120);
    expect(underTen).toBeLessThan(280);
    // Another version puts the same installs elsewhere: the first 10 % are not always the same machines.
    const again = Array.from({ length: 2000 }, (_, i) => rolloutBucket('1.3.0', i.toString(16).padStart(32, '0')));
    const both = buckets.filter((b, i) => b < 10 && again[i]! < 10).length;
    expect(both).toBeLessThan(underTen / 2);
  });
});
