import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LaunchArgs } from './LaunchArgs.ts';
import { machineConfigPath } from './machineConfigPath.ts';
import { noMachineConfig, parseBranchConfig, parseMachineConfig } from './MachineConfig.ts';
import { resolveConfig } from './resolveConfig.ts';
import type { EffectiveConfig, UserConfig } from './resolveConfig.ts';

/** The file name of the branch defaults inside the installer's resources. */
export const branchFileName = 'branch.json';

/** What {@link loadDeploymentConfig} reads from. */
export interface DeploymentInputs {
  args: LaunchArgs;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  /** `process.resourcesPath` of a packaged app; null in development. */
  resourcesPath: string | null;
  user: UserConfig;
  /** Overrides the machine-wide file's location (tests). */
  machineFile?: string;
}

/**
 * Reads the machine-wide file and `branch.json` (either may be missing) and resolves the
 * effective configuration. Problems with IT's files are returned for the log, never thrown.
 */
export function loadDeploymentConfig(inputs: DeploymentInputs): {
  config: EffectiveConfig;
  problems: string[];
  machineFile: string;
} {
  const problems: string[] = [];
  const machineFile = inputs.machineFile ?? machineConfigPath(inputs.platform, inputs.env);
  let machine = noMachineConfig;
  const machineText = readIfPresent(machineFile, problems);
  if (machineText !== null) {
    const parsed = parseMachineConfig(machineText);
    machine = parsed.config;
    problems.push(...parsed.problems.map((p) => `${machineFile}: ${p}`));
  }
  let branchFile = { hubUrl: null as string | null, branch: null as string | null };
  if (inputs.resourcesPath) {
    const text = readIfPresent(path.join(inputs.resourcesPath, branchFileName), problems);
    if (text !== null) branchFile = parseBranchConfig(text);
  }
  const config = resolveConfig({ args: inputs.args, machine, branchFile, user: inputs.user });
  return { config, problems, machineFile };
}

function readIfPresent(file: string, problems: string[]): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') problems.push(`${file}: cannot read (${code ?? 'error'})`);
    return null;
  }
}
