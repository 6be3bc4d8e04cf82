/** The most a clipboard image may weigh as PNG to cross to the page (a 4K screenshot is ~2–10 MB). */
export const clipboardImageMaxBytes = 64 * 1024 * 1024;

/** The system clipboard's image (Electron's `clipboard`, in main/shell). */
export interface ClipboardImages {
  /** The clipboard's image encoded as PNG, or null when it holds none. */
  readPng(): Promise<Uint8Array | null>;
}
