import { backend } from '../backend/currentBackend.ts';
import { attachFiles } from './attachments.ts';

/**
 * A paste whose event carried neither text nor a file: some programs (1C, older screenshot tools)
 * put only a bitmap on the clipboard, which Chromium does not hand to the page. The desktop's main
 * process reads the clipboard's image itself (`Backend.clipboardImage`, PNG bytes) and it is
 * attached like any pasted screenshot; the web answers null and nothing happens. Resolves whether
 * an image was attached.
 */
export async function pasteHostImage(conversationId: number): Promise<boolean> {
  let png: Uint8Array | null;
  try {
    png = await backend().clipboardImage();
  } catch {
    return false; // an older desktop app without the method, or the clipboard was busy
  }
  if (!png || png.byteLength === 0) return false;
  // Named like the browser names a clipboard image, so that it becomes «Скриншот <date>.png»
  // (a copy: a File takes bytes over a plain ArrayBuffer, which what crossed IPC need not be).
  const file = new File([new Uint8Array(png)], 'image.png', { type: 'image/png' });
  attachFiles(conversationId, [file], 'paste');
  return true;
}
