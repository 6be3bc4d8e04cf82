import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeHubUrl } from '../../main/config/hubUrl.ts';
import { parseDeepLink, parseLaunchArgs } from '../../main/config/LaunchArgs.ts';
import { loadDeploymentConfig } from '../../main/config/loadDeploymentConfig.ts';
import { machineConfigPath } from '../../main/config/machineConfigPath.ts';
import { noMachineConfig, parseBranchConfig, parseMachineConfig } from '../../main/config/MachineConfig.ts';
import { resolveConfig, toDeployment } from '../../main/config/resolveConfig.ts';
import type { ConfigSources } from '../../main/config/resolveConfig.ts';

const none: ConfigSources = {
  args: { hubUrl: null, branch: null },
  machine: noMachineConfig,
  branchFile: { hubUrl: null, branch: null },
  user: { hubUrl: null, autostart: null, updates: null },
};
const cmd = 'wss://cmd.example:8443';
const machineHub = 'wss://machine.example';
const branchHub = 'wss://branch.example';
const userHub = 'https://user.example';

describe('config precedence: command line > machine file > branch.json > user', () => {
  it('takes each source when the ones above it are empty', () => {
    const all: ConfigSources = {
      args: { hubUrl: cmd, branch: 'cmd-branch' },
      machine: { ...noMachineConfig, hubUrl: machineHub, branch: 'machine-branch' },
      branchFile: { hubUrl: branchHub, branch: 'kazan' },
      user: { hubUrl: userHub, autostart: null, updates: null },
    };
    expect(resolveConfig(all).hubUrl).toEqual({ value: cmd, source: 'command-line', locked: false });
    expect(resolveConfig(all).branch.value).toBe('cmd-branch');
    const noArgs = { ...all, args: none.args };
    expect(resolveConfig(noArgs).hubUrl).toEqual({ value: machineHub, source: 'machine', locked: false });
    expect(resolveConfig(noArgs).branch.value).toBe('machine-branch');
    const branchOnly = { ...noArgs, machine: noMachineConfig };
    expect(resolveConfig(branchOnly).hubUrl).toEqual({ value: branchHub, source: 'branch', locked: false });
    expect(resolveConfig(branchOnly).branch).toEqual({ value: 'kazan', source: 'branch', locked: false });
    const userOnly = { ...branchOnly, branchFile: none.branchFile };
    expect(resolveConfig(userOnly).hubUrl).toEqual({ value: userHub, source: 'user', locked: false });
    expect(resolveConfig(none).hubUrl).toEqual({ value: null, source: 'default', locked: false });
  });

  it('a locked hub address ignores the command line and the user, and locks the form', () => {
    const locked: ConfigSources = {
      ...none,
      args: { hubUrl: cmd, branch: null },
      machine: { ...noMachineConfig, hubUrl: machineHub, locked: ['hubUrl'] },
      branchFile: { hubUrl: branchHub, branch: 'kazan' },
      user: { hubUrl: userHub, autostart: null, updates: null },
    };
    const config = resolveConfig(locked);
    expect(config.hubUrl).toEqual({ value: machineHub, source: 'machine', locked: true });
    expect(toDeployment(config)).toEqual({ hubUrl: machineHub, branch: 'kazan', hubUrlLocked: true });
    // Locked without a machine value: the installer's branch.json value is IT's choice.
    const fromBranch = resolveConfig({ ...locked, machine: { ...noMachineConfig, locked: ['hubUrl'] } });
    expect(fromBranch.hubUrl).toEqual({ value: branchHub, source: 'branch', locked: true });
    // A lock with no IT value at all locks nothing.
    const empty = resolveConfig({
      ...none,
      args: { hubUrl: cmd, branch: null },
      machine: { ...noMachineConfig, locked: ['hubUrl'] },
    });
    expect(empty.hubUrl).toEqual({ value: cmd, source: 'command-line', locked: false });
  });

  it('autostart and updates default on; the machine value is a default unless locked', () => {
    expect(resolveConfig(none).autostart).toEqual({ value: true, source: 'default', locked: false });
    expect(resolveConfig(none).updates).toEqual({ value: true, source: 'default', locked: false });
    const machineOff = { ...none, machine: { ...noMachineConfig, autostart: false, updates: false } };
    expect(resolveConfig(machineOff).autostart).toEqual({ value: false, source: 'machine', locked: false });
    const userOn = { ...machineOff, user: { hubUrl: null, autostart: true, updates: true } };
    expect(resolveConfig(userOn).autostart).toEqual({ value: true, source: 'user', locked: false });
    const locked = {
      ...userOn,
      machine: { ...machineOff.machine, locked: ['autostart' as const, 'updates' as const] },
    };
    expect(resolveConfig(locked).autostart).toEqual({ value: false, source: 'machine', locked: true });
    expect(resolveConfig(locked).updates).toEqual({ value: false, source: 'machine', locked: true });
  });
});

describe('IT files', () => {
  it('parses the machine-wide file, keeping what is valid and listing problems', () => {
    const ok = parseMachineConfig(
      '\uFEFF{"hubUrl":"wss://hub.corp.local:8443/","branch":"Казань","autostart":false,"updates":false,"locked":["hubUrl","autostart","updates"]}',
    );
    expect(ok.problems).toEqual([]);
    expect(ok.config).toEqual({
      hubUrl: 'wss://hub.corp.local:8443',
      branch: 'Казань',
      autostart: false,
      updates: false,
      updatePin: null,
      locked: ['hubUrl', 'autostart', 'updates'],
    });
    const bad = parseMachineConfig('{"hubUrl":"file:///etc/passwd","branch":"../x","locked":["hubUrl","everything"]}');
    expect(bad.config.hubUrl).toBeNull();
    expect(bad.config.branch).toBeNull();
    expect(bad.config.locked).toEqual(['hubUrl']);
    expect(bad.problems).toHaveLength(3);
    expect(parseMachineConfig('{not json').problems[0]).toMatch(/not valid JSON/);
    expect(parseMachineConfig('[1,2]').config).toEqual(noMachineConfig);
    expect(parseBranchConfig('{"branch":"kazan","hubUrl":"wss://h.example"}')).toEqual({
      branch: 'kazan',
      hubUrl: 'wss://h.example',
    });
    expect(parseBranchConfig('garbage')).toEqual({ branch: null, hubUrl: null });
  });

  it('knows where the machine-wide file lives on each OS', () => {
    expect(machineConfigPath('win32', { ProgramData: 'D:\\PD' })).toBe('D:\\PD\\Beseda\\config.json');
    expect(machineConfigPath('win32', {})).toBe('C:\\ProgramData\\Beseda\\config.json');
    expect(machineConfigPath('linux', {})).toBe('/etc/beseda/config.json');
    expect(machineConfigPath('darwin', {})).toBe('/Library/Preferences/Beseda/config.json');
  });

  it('reads both files from disk and resolves them, tolerating missing and broken files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'beseda-cfg-'));
    const resources = path.join(dir, 'resources');
    mkdirSync(resources);
    writeFileSync(path.join(resources, 'branch.json'), JSON.stringify({ branch: 'kazan', hubUrl: branchHub }));
    const machineFile = path.join(dir, 'config.json');
    const inputs = {
      args: parseLaunchArgs(['beseda.exe']),
      platform: 'linux' as const,
      env: {},
      resourcesPath: resources,
      user: { hubUrl: userHub, autostart: null, updates: null },
      machineFile,
    };
    expect(loadDeploymentConfig(inputs).config.hubUrl).toMatchObject({ value: branchHub, source: 'branch' });
    writeFileSync(machineFile, JSON.stringify({ hubUrl: machineHub, locked: ['hubUrl'] }));
    const withMachine = loadDeploymentConfig({ ...inputs, args: parseLaunchArgs(['beseda.exe', '--hub', cmd]) });
    expect(withMachine.config.hubUrl).toEqual({ value: machineHub, source: 'machine', locked: true });
    expect(withMachine.problems).toEqual([]);
    writeFileSync(machineFile, '{"hubUrl": ');
    const broken = loadDeploymentConfig(inputs);
    expect(broken.config.hubUrl.source).toBe('branch');
    expect(broken.problems[0]).toContain(machineFile);
  });
});

describe('command line and deep links', () => {
  it('reads --hub, --branch and --hidden in both spellings', () => {
    expect(parseLaunchArgs(['exe', '--hub', 'http://localhost:8080/', '--hidden', '--branch=kazan'])).toMatchObject({
      hubUrl: 'http://localhost:8080',
      branch: 'kazan',
      hidden: true,
      conversationId: null,
      rejected: [],
    });
    expect(parseLaunchArgs(['exe', '--hub=ftp://x']).rejected).toEqual(['--hub']);
    expect(parseLaunchArgs(['exe', '--hub']).rejected).toEqual(['--hub']);
  });

  it('opens a conversation from a beseda:// link and ignores hub switches next to one', () => {
    expect(parseLaunchArgs(['exe', 'beseda://conversation/42']).conversationId).toBe(42);
    const hostile = parseLaunchArgs(['exe', '--hub', 'wss://evil.example', 'beseda://conversation/7']);
    expect(hostile.hubUrl).toBeNull();
    expect(hostile.conversationId).toBe(7);
    expect(hostile.rejected).toContain('--hub');
    for (const link of [
      'beseda://conversation/0',
      'beseda://conversation/1/2',
      'beseda://settings',
      'beseda://conversation/1e3',
      'beseda://conversation/99999999999999999',
    ])
      expect(parseDeepLink(link)).toBeNull();
  });

  it('accepts only http(s)/ws(s) hub addresses without credentials', () => {
    expect(normalizeHubUrl('https://hub.example/beseda/')).toBe('https://hub.example/beseda');
    expect(normalizeHubUrl('wss://hub.example:8443')).toBe('wss://hub.example:8443');
    for (const bad of [
      'javascript:alert(1)',
      'file:///c:/x',
      'https://u:p@hub.example',
      'https://hub.example/?a=1',
      '',
      42,
    ])
      expect(normalizeHubUrl(bad)).toBeNull();
  });
});
