import * as v from 'valibot';
import { normalizeBranch } from './LaunchArgs.ts';
import { normalizeHubUrl } from './hubUrl.ts';

/** Settings IT may lock in the machine-wide file. */
export const lockableSettings = ['hubUrl', 'autostart', 'updates'] as const;
/** One lockable setting. */
export type LockableSetting = (typeof lockableSettings)[number];

/**
 * The machine-wide file IT deploys (outside the install folder, so upgrades never touch it):
 * `{"hubUrl": "wss://…", "branch": "…", "autostart": true, "updates": false, "updatePin": "1.2.3",
 * "locked": ["hubUrl", "autostart", "updates"]}`. Every key is optional.
 */
export interface MachineConfig {
  hubUrl: string | null;
  branch: string | null;
  autostart: boolean | null;
  updates: boolean | null;
  /** `updatePin: "1.2.3"`: the version this machine runs (updates to it, or back to it, and no further). */
  updatePin: string | null;
  locked: LockableSetting[];
}

/** `branch.json`, written into the installer's resources by `npm run dist -- --branch … --hub …`. */
export interface BranchConfig {
  hubUrl: string | null;
  branch: string | null;
}

const MachineFileSchema = v.object({
  hubUrl: v.optional(v.unknown()),
  branch: v.optional(v.unknown()),
  autostart: v.optional(v.boolean()),
  updates: v.optional(v.boolean()),
  updatePin: v.optional(v.unknown()),
  locked: v.optional(v.array(v.string())),
});

/** An empty machine config (no file). */
export const noMachineConfig: MachineConfig = {
  hubUrl: null,
  branch: null,
  autostart: null,
  updates: null,
  updatePin: null,
  locked: [],
};

/**
 * Parses the machine-wide file's text. A file IT wrote wrongly must not stop the app: bad values
 * are dropped and listed in `problems` (the app logs them), the rest is used.
 */
export function parseMachineConfig(text: string): { config: MachineConfig; problems: string[] } {
  const problems: string[] = [];
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { config: noMachineConfig, problems: [`not valid JSON: ${(err as Error).message}`] };
  }
  const parsed = v.safeParse(MachineFileSchema, json);
  if (!parsed.success)
    return {
      config: noMachineConfig,
      problems: ['expected an object with hubUrl, branch, autostart, updates, updatePin, locked'],
    };
  const raw = parsed.output;
  const config: MachineConfig = { ...noMachineConfig, locked: [] };
  if (raw.hubUrl !== undefined) {
    config.hubUrl = normalizeHubUrl(raw.hubUrl);
    if (!config.hubUrl) problems.push('hubUrl is not an http(s)/ws(s) address');
  }
  if (raw.branch !== undefined) {
    config.branch = normalizeBranch(raw.branch);
    if (!config.branch) problems.push('branch is not a valid name');
  }
  config.autostart = raw.autostart ?? null;
  config.updates = raw.updates ?? null;
  if (raw.updatePin !== undefined) {
    // The same versions the hub's feed carries (semantic versioning).
    const pin = typeof raw.updatePin === 'string' ? raw.updatePin.trim().replace(/^v/, '') : '';
    if (/^\d{1,9}\.\d{1,9}\.\d{1,9}(-[0-9A-Za-z.-]{1,40})?$/.test(pin)) config.updatePin = pin;
    else problems.push('updatePin is not a version like "1.2.3"');
  }
  for (const name of raw.locked ?? []) {
    if ((lockableSettings as readonly string[]).includes(name)) config.locked.push(name as LockableSetting);
    else problems.push(`locked: unknown setting ${JSON.stringify(name).slice(0, 40)}`);
  }
  return { config, problems };
}

/** Parses `branch.json` from the installer's resources; anything unusable reads as absent. */
export function parseBranchConfig(text: string): BranchConfig {
  try {
    const json = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
    if (!json || typeof json !== 'object') return { hubUrl: null, branch: null };
    return { hubUrl: normalizeHubUrl(json.hubUrl), branch: normalizeBranch(json.branch) };
  } catch {
    return { hubUrl: null, branch: null };
  }
}
