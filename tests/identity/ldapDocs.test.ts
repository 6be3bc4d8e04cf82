import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDirectorySettings } from '../../hub/identity/ldap/DirectorySettings.ts';

const doc = readFileSync(path.resolve(import.meta.dirname, '../../docs/operations.md'), 'utf8');

describe('the directory settings shown in docs/operations.md', () => {
  it('load as they are (Russian and English), with the files they name present', () => {
    const blocks = [...doc.matchAll(/```json-directory\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length, 'one example in each language').toBe(2);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-directory-doc-'));
    try {
      const password = path.join(dir, 'password');
      const ca = path.join(dir, 'ca.pem');
      writeFileSync(password, 'secret\n');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
      for (const block of blocks) {
        const settings = JSON.parse(block) as Record<string, unknown>;
        // Only the two file names change: they point at files of this machine.
        const file = path.join(dir, 'directory.json');
        writeFileSync(file, JSON.stringify({ ...settings, bindPasswordFile: password, caFile: ca }));
        expect(() => loadDirectorySettings(file), block).not.toThrow();
        expect(loadDirectorySettings(file)).toMatchObject({ syncEveryMs: 3_600_000, netbiosDomain: 'CORP' });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
