import { clipboard, nativeImage } from 'electron';
import type { ClipboardImages } from '../clipboard/ClipboardImages.ts';

/**
 * {@link ClipboardImages} on Electron's clipboard. Electron 45's `clipboard` is the asynchronous
 * API modelled on the W3C one (no `readImage` any more): `read()` lists the items with the MIME
 * types the platform offers — a bitmap (CF_DIB on Windows) is offered as `image/png`. Another
 * image type is re-encoded as PNG through `nativeImage`.
 */
export const electronClipboard: ClipboardImages = {
  async readPng() {
    for (const item of await clipboard.read()) {
      const type = item.types.includes('image/png') ? 'image/png' : item.types.find((t) => t.startsWith('image/'));
      if (!type) continue;
      const blob = (await item.getType(type)) as Blob;
      const bytes = Buffer.from(await blob.arrayBuffer());
      if (type === 'image/png') return new Uint8Array(bytes);
      const image = nativeImage.createFromBuffer(bytes);
      if (!image.isEmpty()) return new Uint8Array(image.toPNG());
    }
    return null;
  },
};
