import type { FileDownload } from './FileSaver.ts';

/** How long a started download waits for Electron's `will-download`. */
const claimWithinMs = 60_000;

/**
 * The downloads the app started and Electron has not reported yet. `will-download` asks
 * {@link PendingDownloads.claim} whose a download is: one the app started (by its exact address,
 * and not started by web content) gets its name for the save dialog; anything else — a page's
 * `<a download>`, a navigation to a file — is not the app's and is cancelled.
 */
export class PendingDownloads {
  private pending: { download: FileDownload; at: number }[] = [];

  /** The app is about to start this download. */
  add(download: FileDownload, now: number): void {
    this.drop(now);
    this.pending.push({ download, at: now });
  }

  /**
   * The app's download for `url`, taken off the list, or null. `initiatorOrigin` is the
   * DownloadItem's: empty for `downloadURL`, an origin when web content started it.
   */
  claim(url: string, initiatorOrigin: string, now: number): FileDownload | null {
    this.drop(now);
    if (initiatorOrigin !== '') return null;
    const at = this.pending.findIndex((p) => sameUrl(p.download.url, url));
    if (at < 0) return null;
    return this.pending.splice(at, 1)[0]!.download;
  }

  private drop(now: number): void {
    this.pending = this.pending.filter((p) => now - p.at < claimWithinMs);
  }
}

/** Compared as parsed: Chromium reports a hub named in Cyrillic (`http://хаб.офис`) in punycode. */
function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}
