// CHANGELOG.md is what IT reads before an upgrade: every schema step the hub can apply must be in
// it, and the version the hub reports must have its section (or be the one "Unreleased" leads to).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../hub/db/migrations.ts';
import { hubVersion } from '../../hub/version.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const changelog = readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');

/** The schema step numbers the changelog lists (`- 11: …`, `- 1–10: …`). */
function listedSteps(): Set<number> {
  const steps = new Set<number>();
  for (const m of changelog.matchAll(/^- (\d+)(?:[–-](\d+))?: /gm)) {
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let v = from; v <= to; v++) steps.add(v);
  }
  return steps;
}

describe('CHANGELOG.md', () => {
  it('lists every schema step the hub applies', () => {
    const listed = listedSteps();
    const missing = migrations.map((m) => m.version).filter((v) => !listed.has(v));
    expect(missing).toEqual([]);
  });

  it('has a section for the version the hub reports', () => {
    expect(changelog).toMatch(new RegExp(`^## ${hubVersion.replace(/\./g, '\\.')}\\b`, 'm'));
  });
});
