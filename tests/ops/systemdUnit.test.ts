// deploy/systemd/beseda-hub.service (issue 15, point 1): systemd's own checker accepts it, its
// hardening is what the issue lists (and systemd's exposure score says so), its command line is
// one the hub accepts, and the example configuration loads with the data folder it may write.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../hub/config/loadConfig.ts';
import { checkCommandLine } from '../../hub/cli/parseCommandLine.ts';
import { root } from './packHelpers.ts';

const run = promisify(execFile);
const unitFile = path.join(root, 'deploy/systemd/beseda-hub.service');
const unit = readFileSync(unitFile, 'utf8');
const temps: string[] = [];

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Every `Key=value` of the unit, repeated keys in order. */
function settings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

/**
 * A copy of the unit whose /opt/beseda-hub points at a temp folder holding a runtime/node: verify
 * checks that ExecStart's program exists, and nothing is installed in /opt on a test machine.
 */
function installedCopy(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-unit-'));
  temps.push(dir);
  mkdirSync(path.join(dir, 'opt/runtime'), { recursive: true });
  symlinkSync(process.execPath, path.join(dir, 'opt/runtime/node'));
  const file = path.join(dir, 'beseda-hub.service');
  writeFileSync(file, text.replaceAll('/opt/beseda-hub/', `${dir}/opt/`));
  return file;
}

/** `systemd-analyze verify`: its exit code and everything it said (warnings go to stderr with code 0). */
async function verify(file: string): Promise<{ code: number; said: string }> {
  try {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', file], { cwd: path.dirname(file) });
    return { code: 0, said: (stdout + stderr).trim() };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, said: (e.stdout + e.stderr).trim() };
  }
}

/** `systemd-analyze security --offline`: whether the exposure is at most `threshold` tenths. */
async function exposureAtMost(file: string, threshold: number): Promise<boolean> {
  return run('systemd-analyze', ['security', '--offline=true', `--threshold=${threshold}`, file], {
    cwd: path.dirname(file),
  }).then(
    () => true,
    () => false,
  );
}

describe('the systemd unit', () => {
  it('passes systemd-analyze verify without a single warning', async () => {
    expect(await verify(installedCopy(unit))).toEqual({ code: 0, said: '' });
  });

  it('the check notices a mistake (a misspelt directive is a warning)', async () => {
    const broken = installedCopy(unit.replace('ProtectSystem=strict', 'ProtectSytem=strict'));
    expect((await verify(broken)).said).toMatch(/Unknown key .ProtectSytem./);
  });

  it('has the hardening the issue asks for', () => {
    const s = settings(unit);
    const one = (key: string) => s.get(key)?.at(-1);
    expect(one('User')).toBe('beseda');
    expect(one('UMask')).toBe('0077');
    expect(one('Restart')).toBe('on-failure');
    expect(Number(one('LimitNOFILE'))).toBeGreaterThanOrEqual(65536);
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('ReadWritePaths')?.split(/\s+/)).toContain('/var/lib/beseda');
    expect(one('NoNewPrivileges')).toBe('true');
    expect(one('PrivateTmp')).toBe('true');
    expect(one('ProtectHome')).toBe('true');
    expect(one('PrivateDevices')).toBe('true');
    expect(one('RestrictAddressFamilies')?.split(/\s+/)).toEqual(
      expect.arrayContaining(['AF_UNIX', 'AF_INET', 'AF_INET6']),
    );
    // V8's JIT needs writable-then-executable memory: this one would crash Node.
    expect(s.has('MemoryDenyWriteExecute')).toBe(false);
    expect(one('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
  });

  it('is rated well by systemd-analyze security, and a unit without the hardening is not', async () => {
    expect(await exposureAtMost(installedCopy(unit), 25)).toBe(true);
    const bare = unit
      .split('\n')
      .filter((l) => !/^(Protect|Private|Restrict|SystemCall|NoNewPrivileges|Capability|LockPersonality)/.test(l))
      .join('\n');
    expect(await exposureAtMost(installedCopy(bare), 25)).toBe(false);
  });

  it("runs the archive's Node on the hub directly (no npm, no shell) with arguments the hub accepts", () => {
    const execStart = settings(unit).get('ExecStart')![0]!.split(/\s+/);
    expect(execStart.slice(0, 2)).toEqual(['/opt/beseda-hub/runtime/node', '/opt/beseda-hub/hub/beseda-hub.js']);
    expect(execStart.join(' ')).not.toMatch(/\bnpm\b|\bsh\b|\bbash\b/);
    expect(checkCommandLine(execStart.slice(2))).toBeNull();
    expect(execStart.slice(2)).toEqual(['serve', '--config', '/etc/beseda/hub.json']);
  });

  it('ships an example configuration that loads, with its data folder the one the unit may write', () => {
    const example = path.join(root, 'deploy/systemd/hub.json');
    const config = loadConfig({ config: example }, {});
    expect(config.dataDir).toBe('/var/lib/beseda');
    expect(settings(unit).get('StateDirectory')).toEqual(['beseda']);
    expect(settings(unit).get('ReadWritePaths')![0]!.split(/\s+/)).toContain(config.dataDir);
  });
});
