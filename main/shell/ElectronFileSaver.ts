import { app, session } from 'electron';
import type { WebContents } from 'electron';
import path from 'node:path';
import type { FileDownload, FileSaver } from '../files/FileSaver.ts';
import { PendingDownloads } from '../files/PendingDownloads.ts';
import type { Log } from '../log/Log.ts';

/**
 * {@link FileSaver}: the window's `webContents.downloadURL` with the session's token as a header,
 * then Electron's save dialog (no save path is set, so the user picks the place), offering the
 * file's own name in the Downloads folder. Downloads the app did not start (a page's link, a
 * navigation to a file) are cancelled: {@link PendingDownloads} decides whose a download is.
 */
export class ElectronFileSaver implements FileSaver {
  private readonly pending = new PendingDownloads();

  constructor(
    private readonly contents: () => WebContents | null,
    private readonly log: Log,
  ) {
    session.defaultSession.on('will-download', (event, item) => {
      const download = this.pending.claim(item.getURL(), item.getInitiatorOrigin(), Date.now());
      if (!download) {
        event.preventDefault();
        this.log.warn('cancelled a download the app did not start');
        return;
      }
      item.setSaveDialogOptions({ defaultPath: path.join(app.getPath('downloads'), download.suggestedName) });
      item.once('done', (_event, state) => this.log.info('file download ended', { state }));
    });
  }

  save(download: FileDownload): void {
    const contents = this.contents();
    if (!contents || contents.isDestroyed()) throw new Error('no window to download from');
    this.pending.add(download, Date.now());
    contents.downloadURL(download.url, { headers: download.headers });
  }
}
