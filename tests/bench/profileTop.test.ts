// scripts/profile-top.js on a real V8 CPU profile: a child node process with --cpu-prof that spends
// its time in one named function called from another; the summary must put the time there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-profile-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const busy = `
function spinHard(ms) { const end = Date.now() + ms; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1); return x; }
function outerCaller() { return spinHard(400); }
outerCaller();
`;

describe('profile-top', () => {
  it('puts the self time in the spinning function and the inclusive time in its caller too', () => {
    const script = path.join(dir, 'busy.js');
    writeFileSync(script, busy);
    execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, script]);
    const profile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
    expect(profile).toBeDefined();
    const out = execFileSync(
      process.execPath,
      ['scripts/profile-top.js', path.join(dir, profile), '--top', '5', '--match', 'outerCaller'],
      { cwd: root, encoding: 'utf8' },
    );
    const selfSection = out.split('\nself time\n')[1]!.split('\n\n')[0]!;
    const first = selfSection.split('\n')[0]!;
    expect(first).toMatch(/spinHard busy\.js:2$/);
    // Most of the samples: the spin runs 400 ms, start-up is shorter.
    expect(Number(first.trim().split(' ')[0])).toBeGreaterThan(30);
    const inclusive = out.split('functions matching /outerCaller/\n')[1]!.split('\n')[0]!;
    expect(inclusive).toMatch(/outerCaller busy\.js:3$/);
    expect(Number(inclusive.trim().split(' ')[0])).toBeGreaterThanOrEqual(Number(first.trim().split(' ')[0]));
    // --from/--to keep one window of the profile: none of it lies 1,000 s after the start.
    const late = execFileSync(process.execPath, ['scripts/profile-top.js', path.join(dir, profile), '--from', '1000'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(late.split('\n')[0]).toMatch(/: 0\.0 s sampled, 0 samples$/);
  });
});
