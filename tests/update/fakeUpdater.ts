// Stand-ins for the Updater port (main/update/Updater.ts): a recording fake whose answers the test
// sets, and one that does over HTTP what electron-updater's generic provider does (the feed and
// the file under the feed's folder with its query, the sha512 check), so the decisions run against a real hub.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { UpdateFeed, Updater } from '../../main/update/Updater.ts';

const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

/** electron-updater's error for a download whose sha512 is not the feed's. */
export function checksumError(expected: string, actual: string): Error {
  return Object.assign(new Error(`sha512 checksum mismatch, expected ${expected}, got ${actual}`), {
    code: 'ERR_CHECKSUM_MISMATCH',
  });
}

/** Records every call; `offer` is what a check finds, `downloadError` what a download fails with. */
export class RecordingUpdater implements Updater {
  calls: string[] = [];
  feeds: UpdateFeed[] = [];
  offer: { version: string } | null = null;
  downloadError: Error | null = null;
  installOnQuit: boolean | null = null;

  constructor(
    readonly currentVersion = '1.0.0',
    readonly supported = true,
  ) {}

  async check(feed: UpdateFeed): Promise<{ version: string } | null> {
    this.calls.push('check');
    this.feeds.push(feed);
    return this.offer;
  }

  async download(): Promise<void> {
    this.calls.push('download');
    if (this.downloadError) throw this.downloadError;
  }

  setInstallOnQuit(on: boolean): void {
    this.calls.push(`installOnQuit:${on}`);
    this.installOnQuit = on;
  }

  installNow(): void {
    this.calls.push('installNow');
  }
}

interface FeedFile {
  version: string;
  files: { url: string; sha512: string; size: number }[];
}

const parts = (v: string) => v.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
function newer(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return 0;
}

/** The generic provider's work over fetch: what the hub serves is what the decisions get. */
export class HubFeedUpdater implements Updater {
  readonly supported = true;
  installs = 0;
  installOnQuit: boolean | null = null;
  downloaded: Buffer | null = null;
  private pending: { feed: UpdateFeed; file: FeedFile['files'][number] } | null = null;

  constructor(readonly currentVersion: string) {}

  async check(feed: UpdateFeed): Promise<{ version: string } | null> {
    const name = feed.url.includes('/linux/') ? 'latest-linux.yml' : 'latest.yml';
    const res = await fetch(this.under(feed, name), { headers: feed.headers });
    if (!res.ok) throw new Error(`feed: HTTP ${res.status}`);
    const info = load(await res.text()) as FeedFile;
    const order = newer(info.version, this.currentVersion);
    if (order === 0 || (order < 0 && !feed.allowDowngrade)) return null;
    this.pending = { feed, file: info.files[0]! };
    return { version: info.version };
  }

  async download(): Promise<void> {
    const { feed, file } = this.pending!;
    const res = await fetch(this.under(feed, file.url), { headers: feed.headers });
    if (!res.ok) throw new Error(`download: HTTP ${res.status}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const actual = createHash('sha512').update(bytes).digest('base64');
    if (actual !== file.sha512) throw checksumError(file.sha512, actual);
    this.downloaded = bytes;
  }

  setInstallOnQuit(on: boolean): void {
    this.installOnQuit = on;
  }

  installNow(): void {
    this.installs++;
  }

  /** A name under the feed's folder, keeping its query (electron-updater's newUrlFromBase). */
  private under(feed: UpdateFeed, name: string): string {
    const base = new URL(feed.url);
    const url = new URL(encodeURIComponent(name), base);
    url.search = base.search;
    return url.href;
  }
}
