/** The platforms of electron-updater's feed files: `latest.yml` (Windows), `latest-linux.yml`, `latest-mac.yml`. */
export type UpdatePlatform = 'win' | 'linux' | 'mac';

/** One file of a build as its feed names it: size and electron-updater's sha512 (base64). */
export interface ReleaseFile {
  name: string;
  size: number;
  sha512: string;
}

/** One electron-builder feed file of a release and the files it lists, for one platform. */
export interface ReleaseBuild {
  platform: UpdatePlatform;
  /** The branch baked into these installers (`npm run dist -- --branch`), or null: fits every branch. */
  builtFor: string | null;
  /** `latest.yml`, `latest-linux.yml`, `latest-mac.yml`. */
  ymlName: string;
  /** The feed file's text exactly as electron-builder wrote it (served as is). */
  yml: string;
  /** Every file the feed names, plus blockmaps given with it. */
  files: ReleaseFile[];
  /** The folder holding the files, under the release's own (`DATA/releases/<channel>/<version>/<dir>`). */
  dir: string;
}

/** Who a release is offered to: a share of installs and/or a list of branches (both: either admits). */
export interface Rollout {
  /** 0–100: installs whose bucket (hash of version and install id) is below it. */
  percent: number;
  /** Branches that get it whatever their bucket; null: no branch list. */
  branches: string[] | null;
}

/** A release on a channel: its version, rollout and builds. */
export interface ReleaseRecord {
  channel: string;
  version: string;
  rollout: Rollout;
  createdAt: number;
  builds: ReleaseBuild[];
}

/** What a desktop install said when it last asked for the feed. */
export interface InstallReport {
  /** The install's own random id (hex). */
  installId: string;
  version: string;
  branch: string | null;
  platform: UpdatePlatform;
  channel: string;
  userId: number;
  seenAt: number;
}

/** How many installs run one version on one platform. */
export interface VersionCount {
  version: string;
  platform: UpdatePlatform;
  installs: number;
  lastSeenAt: number;
}

/**
 * Desktop releases the hub serves as updates (issue 21) and the installs that asked for them.
 * The files' bytes live in the data folder (hub/releases/ReleaseFolder.ts); this keeps what the
 * feed says about them.
 */
export interface ReleaseStore {
  /**
   * Adds builds to the release `channel`/`version`, creating it with `rollout` if new. `exists`
   * (nothing written) when the release already has a feed file of that name for that branch.
   */
  addBuilds(
    channel: string,
    version: string,
    rollout: Rollout,
    builds: ReleaseBuild[],
    now: number,
  ): Promise<'added' | 'exists'>;
  /** The releases, of one channel or all; in no particular order (versions are compared above the store). */
  list(channel?: string): Promise<ReleaseRecord[]>;
  /** Changes who gets a release; false when there is no such release. */
  setRollout(channel: string, version: string, rollout: Rollout): Promise<boolean>;
  /** Forgets a release and its builds; false when there is no such release. */
  remove(channel: string, version: string): Promise<boolean>;
  /** Records (or refreshes) an install's report. */
  recordInstall(report: InstallReport): Promise<void>;
  /** Installs seen since `since`, counted per version and platform. */
  versionsInUse(since: number): Promise<VersionCount[]>;
}
