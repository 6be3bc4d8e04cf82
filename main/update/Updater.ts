/** Where and how to ask for updates: the hub's feed for this install, and the session that may read it. */
export interface UpdateFeed {
  /** `https://hub/updates/stable/win/?branch=…&id=…&version=…` (the folder of `latest.yml`). */
  url: string;
  /** `Authorization: Bearer <session token>`: the hub serves updates to signed-in apps only. */
  headers: Record<string, string>;
  /** A pinned version may be older than this one: installing it is allowed then. */
  allowDowngrade: boolean;
}

/**
 * The app's self-updater (electron-updater's `autoUpdater` with the generic provider, in
 * main/shell/ElectronUpdater.ts). It downloads only when told and verifies every download against
 * the sha512 in the feed: a file that does not match is refused with an error (see {@link isChecksumError}).
 */
export interface Updater {
  /** The version of the running app. */
  readonly currentVersion: string;
  /** Whether this installation can replace itself (a packaged NSIS, AppImage or deb build). */
  readonly supported: boolean;
  /** Asks the feed; resolves the newer (or, allowed, pinned older) version offered, or null. */
  check(feed: UpdateFeed): Promise<{ version: string } | null>;
  /** Downloads the version the last check found; rejects when it fails or does not match its sha512. */
  download(): Promise<void>;
  /** Whether a downloaded update installs when the app quits. */
  setInstallOnQuit(on: boolean): void;
  /** Quits, installs the downloaded update and starts the new version. */
  installNow(): void;
}

/** Whether an updater error says the download did not match the feed's sha512 (electron-updater's ERR_CHECKSUM_MISMATCH). */
export function isChecksumError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'ERR_CHECKSUM_MISMATCH' || /checksum mismatch/i.test(String(e?.message ?? ''));
}
