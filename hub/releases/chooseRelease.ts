import { createHash } from 'node:crypto';
import type { ReleaseBuild, ReleaseRecord, Rollout, UpdatePlatform } from '../store/ReleaseStore.ts';
import { compareVersions } from './compareVersions.ts';

/** What a desktop install tells the hub when it asks for the feed (the query of `GET /updates/…`). */
export interface FeedClient {
  /** The branch baked into the app (or the machine-wide config.json's); null when it has none. */
  branch: string | null;
  /** The install's own random id; null: only releases rolled out to everyone (or its branch) are offered. */
  installId: string | null;
  /** The version it runs. */
  version: string | null;
  /** The version IT pinned in config.json (`updatePin`): offered whatever the rollout, even when older. */
  pin: string | null;
}

/**
 * The install's place in a release's rollout, 0–99: from a hash of the version and the install id,
 * so the same install gets the same answer on every check (no flapping), and a release's first
 * 10 % are not always the same machines as the previous release's.
 */
export function rolloutBucket(version: string, installId: string): number {
  return createHash('sha256').update(`${version}\n${installId}`).digest().readUInt32BE(0) % 100;
}

/** Whether a rollout admits this install: its branch is listed, or its bucket is under the percentage. */
export function admits(rollout: Rollout, version: string, client: FeedClient): boolean {
  const branch = client.branch?.toLowerCase();
  if (branch && rollout.branches?.some((b) => b.toLowerCase() === branch)) return true;
  if (rollout.percent >= 100) return true;
  return client.installId !== null && rolloutBucket(version, client.installId) < rollout.percent;
}

/**
 * The build of a release for this feed file and branch: the one built for the branch (its
 * installers carry the branch's hub address), else one built for any branch. A build made for
 * another branch is never offered: installing it would move the machine to that branch's hub.
 */
export function buildFor(release: ReleaseRecord, ymlName: string, branch: string | null): ReleaseBuild | undefined {
  const feeds = release.builds.filter((b) => b.ymlName === ymlName);
  const own = branch && feeds.find((b) => b.builtFor?.toLowerCase() === branch.toLowerCase());
  return own || feeds.find((b) => b.builtFor === null);
}

/**
 * Which release and build a client gets from the feed file `ymlName` of a channel: the pinned
 * version if IT pinned one (rollout does not apply: the pin is IT's own decision for that
 * machine), else the newest release whose rollout admits it and that has a build for it. Null:
 * nothing to offer (the client stays where it is).
 */
export function chooseRelease(
  releases: readonly ReleaseRecord[],
  ymlName: string,
  client: FeedClient,
): { release: ReleaseRecord; build: ReleaseBuild } | null {
  if (client.pin !== null) {
    const pinned = releases.find((r) => r.version === client.pin);
    const build = pinned && buildFor(pinned, ymlName, client.branch);
    return pinned && build ? { release: pinned, build } : null;
  }
  const newestFirst = [...releases].sort((a, b) => compareVersions(b.version, a.version));
  for (const release of newestFirst) {
    const build = buildFor(release, ymlName, client.branch);
    if (build && admits(release.rollout, release.version, client)) return { release, build };
  }
  return null;
}

/** The platform whose app asks for a feed file: `latest.yml` Windows, `latest-linux….yml` Linux, `latest-mac.yml` macOS. */
export function feedPlatform(ymlName: string): UpdatePlatform | null {
  if (ymlName === 'latest.yml') return 'win';
  if (/^latest-linux(-[a-z0-9]+)?\.yml$/.test(ymlName)) return 'linux';
  if (ymlName === 'latest-mac.yml') return 'mac';
  return null;
}
