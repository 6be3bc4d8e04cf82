import type { Deployment } from '../../common/client/Backend.ts';
import type { LaunchArgs } from './LaunchArgs.ts';
import type { BranchConfig, LockableSetting, MachineConfig } from './MachineConfig.ts';

/** Where a resolved value came from (shown in the log and docs/deploy-desktop.md). */
export type ConfigSource = 'command-line' | 'machine' | 'branch' | 'user' | 'default';

/** A setting's effective value, its source and whether the user may change it. */
export interface Resolved<T> {
  value: T;
  source: ConfigSource;
  locked: boolean;
}

/** The effective configuration. */
export interface EffectiveConfig {
  hubUrl: Resolved<string | null>;
  branch: Resolved<string | null>;
  autostart: Resolved<boolean>;
  updates: Resolved<boolean>;
  /** The version IT pinned in the machine-wide file (`updatePin`), or null: IT's alone, so never the user's. */
  updatePin: string | null;
}

/** What the user chose themselves (settings store). */
export interface UserConfig {
  hubUrl: string | null;
  autostart: boolean | null;
  updates: boolean | null;
}

/** Inputs of {@link resolveConfig}, one per source. */
export interface ConfigSources {
  args: Pick<LaunchArgs, 'hubUrl' | 'branch'>;
  machine: MachineConfig;
  branchFile: BranchConfig;
  user: UserConfig;
}

/**
 * Decides the hub address and branch by precedence: command line `--hub` > the machine-wide file >
 * `branch.json` baked into the installer > the user's own last choice. A lock in the machine-wide
 * file is IT's word: a locked hub address ignores the command line and the user, and comes from
 * the machine file or, failing that, `branch.json` (a lock with neither value locks nothing).
 * Autostart and updates default to on; the machine file's value is a default the user may change
 * unless it is locked.
 */
export function resolveConfig({ args, machine, branchFile, user }: ConfigSources): EffectiveConfig {
  const locked = (name: LockableSetting) => machine.locked.includes(name);

  let hubUrl: Resolved<string | null>;
  const itHub = pick<string>([
    [machine.hubUrl, 'machine'],
    [branchFile.hubUrl, 'branch'],
  ]);
  if (locked('hubUrl') && itHub) hubUrl = { ...itHub, locked: true };
  else
    hubUrl = {
      ...(pick<string>([
        [args.hubUrl, 'command-line'],
        [machine.hubUrl, 'machine'],
        [branchFile.hubUrl, 'branch'],
        [user.hubUrl, 'user'],
      ]) ?? { value: null, source: 'default' }),
      locked: false,
    };

  const branch: Resolved<string | null> = {
    ...(pick<string>([
      [args.branch, 'command-line'],
      [machine.branch, 'machine'],
      [branchFile.branch, 'branch'],
    ]) ?? { value: null, source: 'default' }),
    locked: locked('hubUrl') && itHub !== null,
  };

  const flag = (name: 'autostart' | 'updates'): Resolved<boolean> => {
    const it = machine[name];
    if (locked(name)) return { value: it ?? true, source: it === null ? 'default' : 'machine', locked: true };
    const chosen = pick<boolean>([
      [user[name], 'user'],
      [it, 'machine'],
    ]);
    return { ...(chosen ?? { value: true, source: 'default' }), locked: false };
  };

  return { hubUrl, branch, autostart: flag('autostart'), updates: flag('updates'), updatePin: machine.updatePin };
}

function pick<T>(candidates: [T | null, ConfigSource][]): { value: T; source: ConfigSource } | null {
  for (const [value, source] of candidates) if (value !== null) return { value, source };
  return null;
}

/** The deployment defaults the sign-in form shows. */
export function toDeployment(config: EffectiveConfig): Deployment {
  return { hubUrl: config.hubUrl.value, branch: config.branch.value, hubUrlLocked: config.hubUrl.locked };
}
