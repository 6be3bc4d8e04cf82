/** One download the main process starts for the user. */
export interface FileDownload {
  /** The hub's download address (no key in it: the token goes in {@link FileDownload.headers}). */
  url: string;
  headers: Record<string, string>;
  /** The name the save dialog offers: the file's own, made safe for a file system. */
  suggestedName: string;
}

/**
 * Downloads a file into the place the user picks in the save dialog (Electron:
 * `webContents.downloadURL` with the headers, then the download's save dialog).
 */
export interface FileSaver {
  save(download: FileDownload): void;
}
