import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import { chooseRelease, feedPlatform, type FeedClient } from '../releases/chooseRelease.ts';
import { compareVersions, isVersion } from '../releases/compareVersions.ts';
import {
  discardStaged,
  inspectStaged,
  installStaged,
  isPlainName,
  releaseFilePath,
  removeBuildDir,
  removeReleaseDir,
} from '../releases/ReleaseFolder.ts';
import type { ReleaseRecord, Rollout, UpdatePlatform, VersionCount } from '../store/ReleaseStore.ts';

/** A channel name: `stable`, `beta`, `pilot-kazan` (lower-case letters, digits, `-`, `_`). */
const channelPattern = /^[a-z][a-z0-9_-]{0,31}$/;
/** A branch as the app's branch.json names it (main/config/LaunchArgs.ts normalizeBranch). */
const branchPattern = /^[\p{L}\p{N}_.-]{1,64}$/u;
/** An install id the app makes once: 16–64 hex digits. */
const installIdPattern = /^[0-9a-f]{16,64}$/;
/** Installs not heard from for this long are no longer counted as in use (the app asks every 4 hours). */
export const inUseWindowMs = 30 * 24 * 3600_000;

/** A release as `release list` and the console show it (no feed text). */
export interface ReleaseSummary {
  channel: string;
  version: string;
  rollout: Rollout;
  createdAt: number;
  builds: {
    ymlName: string;
    platform: UpdatePlatform;
    builtFor: string | null;
    files: { name: string; size: number }[];
  }[];
}

/** What the feed route answers: the feed text, or a stand-in that tells the app to stay (`version` = its own). */
export type FeedAnswer = { yml: string; version: string } | null;

/** One file of a release to send: where it is and its identity. */
export interface ServedFile {
  path: string;
  size: number;
  sha512: string;
}

/** Reads and checks a channel name (bad_request when it is not one). */
export function checkChannel(channel: string): string {
  if (!channelPattern.test(channel) || channel === 'incoming')
    throw new HubError(
      'bad_request',
      `channel ${JSON.stringify(channel)}: lower-case letters, digits, "-", "_" (e.g. stable)`,
    );
  return channel;
}

/** Reads a rollout from `--rollout PERCENT` and `--branches a,b`; a new release with neither goes to everyone. */
export function checkRollout(percent: number | undefined, branches: string[] | undefined, base: Rollout): Rollout {
  if (percent !== undefined && (!Number.isInteger(percent) || percent < 0 || percent > 100))
    throw new HubError('bad_request', '--rollout is a whole percentage, 0–100');
  const list = branches?.map((b) => b.trim()).filter((b) => b !== '');
  for (const b of list ?? [])
    if (!branchPattern.test(b))
      throw new HubError('bad_request', `branch ${JSON.stringify(b)}: letters, digits, "-", "_", "."`);
  // A branch list alone means "these branches only": the percentage of the others drops to 0.
  const onlyBranches = percent === undefined && list !== undefined;
  return {
    percent: percent ?? (onlyBranches ? 0 : base.percent),
    branches: list === undefined ? base.branches : list.length ? list : null,
  };
}

/**
 * Desktop releases served as updates (issue 21): IT adds a release's installers and
 * electron-builder's feed files (checked against each other), sets who gets it (a percentage of
 * installs, a list of branches), lists and removes releases; installs ask for the feed
 * (`GET /updates/<channel>/<platform>/<feed>`), which also tells the hub which versions are in use.
 * The files live in `releasesDir` (hub/releases/ReleaseFolder.ts), what they are in `ctx.store.releases`.
 */
export class Releases {
  constructor(
    private readonly ctx: HubContext,
    private readonly releasesDir: string,
  ) {}

  /**
   * Takes the files the CLI staged (`staged`: the folder's name under `releases/incoming`): checks
   * every feed's files by size and sha512, moves them into place and records the release. The staged
   * folder is gone afterwards, taken or refused.
   */
  async add(input: {
    channel: string;
    staged: string;
    rollout?: number;
    branches?: string[];
    builtFor?: string | null;
  }): Promise<{ release: ReleaseSummary; ignored: string[] }> {
    const dir = this.releasesDir;
    try {
      const channel = checkChannel(input.channel);
      const builtFor = input.builtFor ?? null;
      if (builtFor !== null && !branchPattern.test(builtFor))
        throw new HubError('bad_request', `--built-for ${JSON.stringify(builtFor)}: a branch name`);
      const rollout = checkRollout(input.rollout, input.branches, { percent: 100, branches: null });
      let staged;
      try {
        staged = await inspectStaged(dir, input.staged, builtFor);
      } catch (err) {
        throw err instanceof HubError ? err : new HubError('bad_request', (err as Error).message);
      }
      await installStaged(dir, input.staged, channel, staged.version);
      const added = await this.ctx.store.releases
        .addBuilds(channel, staged.version, rollout, staged.builds, this.ctx.clock())
        .catch(async (err: unknown) => {
          await removeBuildDir(dir, channel, staged.version, input.staged);
          throw err;
        });
      if (added === 'exists') {
        await removeBuildDir(dir, channel, staged.version, input.staged);
        const feeds = staged.builds.map((b) => b.ymlName).join(', ');
        throw new HubError(
          'conflict',
          `${channel} ${staged.version} already has ${feeds}${builtFor ? ` built for ${builtFor}` : ''}: remove the release first`,
        );
      }
      const release = (await this.ctx.store.releases.list(channel)).find((r) => r.version === staged.version)!;
      this.ctx.log.info({ channel, version: staged.version, feeds: staged.builds.length }, 'desktop release added');
      return { release: summary(release), ignored: staged.ignored };
    } finally {
      await discardStaged(dir, input.staged).catch(() => undefined);
    }
  }

  /** Releases, newest version first. */
  async list(channel?: string): Promise<ReleaseSummary[]> {
    const all = await this.ctx.store.releases.list(channel === undefined ? undefined : checkChannel(channel));
    return all.sort((a, b) => a.channel.localeCompare(b.channel) || compareVersions(b.version, a.version)).map(summary);
  }

  /** Changes who gets a release (`--rollout`, `--branches`; an empty list clears the branches). */
  async setRollout(input: {
    channel: string;
    version: string;
    rollout?: number;
    branches?: string[];
  }): Promise<{ release: ReleaseSummary }> {
    const channel = checkChannel(input.channel);
    const current = (await this.ctx.store.releases.list(channel)).find((r) => r.version === input.version);
    if (!current) throw new HubError('not_found', `no release ${input.version} on ${channel}`);
    if (input.rollout === undefined && input.branches === undefined)
      throw new HubError('bad_request', 'give --rollout PERCENT and/or --branches LIST');
    const rollout = checkRollout(input.rollout, input.branches, current.rollout);
    await this.ctx.store.releases.setRollout(channel, input.version, rollout);
    return { release: summary({ ...current, rollout }) };
  }

  /** Forgets a release and deletes its files (installs that have it keep it; others are no longer offered it). */
  async remove(input: { channel: string; version: string }): Promise<{ removed: boolean }> {
    const channel = checkChannel(input.channel);
    if (!isVersion(input.version))
      throw new HubError('bad_request', `${JSON.stringify(input.version)} is not a version like 1.2.3`);
    if (!(await this.ctx.store.releases.remove(channel, input.version)))
      throw new HubError('not_found', `no release ${input.version} on ${channel}`);
    await removeReleaseDir(this.releasesDir, channel, input.version);
    return { removed: true };
  }

  /**
   * The feed file for this install (`latest.yml`…): the release {@link chooseRelease} picks for it,
   * or, with nothing to offer, null. Records what the install said (which versions are in use).
   */
  async feed(
    actor: Actor,
    channel: string,
    platform: string,
    ymlName: string,
    client: FeedClient,
  ): Promise<FeedAnswer> {
    const feedOf = this.checkFeed(channel, platform, ymlName);
    await this.record(actor, channel, feedOf, client);
    const chosen = chooseRelease(await this.ctx.store.releases.list(channel), ymlName, client);
    return chosen && { yml: chosen.build.yml, version: chosen.release.version };
  }

  /**
   * A file of a release for this install: looked up among the channel's releases by name (names
   * carry the version and, from `npm run dist`, the branch), preferring the build for its branch.
   */
  async file(channel: string, platform: string, name: string, client: Pick<FeedClient, 'branch'>): Promise<ServedFile> {
    checkChannel(channel);
    if (!['win', 'linux', 'mac'].includes(platform) || !isPlainName(name))
      throw new HubError('not_found', 'no such update file');
    const branch = client.branch?.toLowerCase() ?? null;
    const candidates = (await this.ctx.store.releases.list(channel)).flatMap((r) =>
      r.builds
        .filter((b) => b.platform === platform && (b.builtFor === null || b.builtFor.toLowerCase() === branch))
        .flatMap((b) => b.files.filter((f) => f.name === name).map((f) => ({ r, b, f }))),
    );
    const best = candidates.find((c) => c.b.builtFor !== null) ?? candidates[0];
    if (!best) throw new HubError('not_found', `no update file ${name} on ${channel}`);
    return {
      path: releaseFilePath(this.releasesDir, channel, best.r.version, best.b.dir, name),
      size: best.f.size,
      sha512: best.f.sha512,
    };
  }

  /** Installs heard from in the last 30 days, per version and platform (the console's «Версии приложения»). */
  async versionsInUse(): Promise<{ versions: VersionCount[]; since: number }> {
    const since = this.ctx.clock() - inUseWindowMs;
    return { versions: await this.ctx.store.releases.versionsInUse(since), since };
  }

  private checkFeed(channel: string, platform: string, ymlName: string): UpdatePlatform {
    checkChannel(channel);
    const feedOf = feedPlatform(ymlName);
    if (feedOf === null || feedOf !== platform)
      throw new HubError(
        'not_found',
        `no feed ${ymlName} for ${platform}: latest.yml (win), latest-linux.yml, latest-mac.yml`,
      );
    return feedOf;
  }

  private async record(actor: Actor, channel: string, platform: UpdatePlatform, client: FeedClient): Promise<void> {
    if (client.installId === null || client.version === null) return;
    if (!installIdPattern.test(client.installId) || !isVersion(client.version)) return;
    const branch = client.branch !== null && branchPattern.test(client.branch) ? client.branch : null;
    await this.ctx.store.releases.recordInstall({
      installId: client.installId,
      version: client.version,
      branch,
      platform,
      channel,
      userId: actor.userId,
      seenAt: this.ctx.clock(),
    });
  }
}

function summary(r: ReleaseRecord): ReleaseSummary {
  return {
    channel: r.channel,
    version: r.version,
    rollout: r.rollout,
    createdAt: r.createdAt,
    builds: r.builds.map((b) => ({
      ymlName: b.ymlName,
      platform: b.platform,
      builtFor: b.builtFor,
      files: b.files.map((f) => ({ name: f.name, size: f.size })),
    })),
  };
}
