/** The feed's platform folder for a Node platform: `win`, `linux`, `mac` (null: not one the hub serves). */
export function feedPlatform(platform: NodeJS.Platform): 'win' | 'linux' | 'mac' | null {
  return platform === 'win32' ? 'win' : platform === 'linux' ? 'linux' : platform === 'darwin' ? 'mac' : null;
}

/**
 * The hub's feed folder for this install: `<hub>/updates/<channel>/<platform>/?branch=&id=&version=&pin=`.
 * electron-updater keeps the query on every request it makes under it (the feed and the files), so
 * the hub decides the rollout and counts versions from what the app says here.
 */
export function updateFeedUrl(options: {
  /** The hub's HTTP(S) address (the session's `urls.base`). */
  hubBase: string;
  channel: string;
  platform: 'win' | 'linux' | 'mac';
  branch: string | null;
  installId: string;
  version: string;
  pin: string | null;
}): string {
  const url = new URL(
    `updates/${encodeURIComponent(options.channel)}/${options.platform}/`,
    options.hubBase.endsWith('/') ? options.hubBase : `${options.hubBase}/`,
  );
  if (options.branch) url.searchParams.set('branch', options.branch);
  url.searchParams.set('id', options.installId);
  url.searchParams.set('version', options.version);
  if (options.pin) url.searchParams.set('pin', options.pin);
  return url.href;
}
