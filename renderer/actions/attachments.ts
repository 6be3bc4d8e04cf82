import type { OutgoingFile } from '../../common/client/Backend.ts';
import type { Lang } from '../../common/i18n/Lang.ts';
import { language } from '../i18n/language.ts';
import { translate } from '../i18n/translate.ts';
import { allComposerFiles, clearComposerFiles, composerFilesFor } from '../state/composerFiles.ts';
import type { ComposerFile } from '../state/composerFiles.ts';
import { fileLimits } from '../state/fileLimits.ts';
import type { FileLimits } from '../state/fileLimits.ts';
import { fileSizeLabel } from '../format/fileSize.ts';

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
};

/** Types the strip shows a thumbnail of (what an `<img>` can show; the hub decides what is an image). */
const thumbnailTypes = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

/** The name of a pasted screenshot, which has none of its own: «Скриншот 2026-12-02 09.31.png». */
export function screenshotName(at: Date, type: string, lang: Lang): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  const time = `${two(at.getHours())}.${two(at.getMinutes())}`;
  return `${translate(lang, 'files.screenshot')} ${day} ${time}.${extensions[type] ?? 'png'}`;
}

/**
 * Whether a pasted file is a bitmap without a name of its own: the browser calls a clipboard
 * image `image.png` (or gives no name); a file copied in Explorer keeps its real name.
 */
export function isUnnamedPaste(file: { name: string; type: string }): boolean {
  return file.type.startsWith('image/') && (file.name === '' || /^image\.(png|jpe?g|gif|webp|bmp)$/i.test(file.name));
}

let nextKey = 1;

/** Adds pasted, dropped or picked files to a conversation's composer. */
export function attachFiles(conversationId: number, files: readonly File[], how: 'paste' | 'drop' | 'pick'): void {
  if (files.length === 0) return;
  const now = new Date();
  const added = files.map((file): ComposerFile => {
    const name = how === 'paste' && isUnnamedPaste(file) ? screenshotName(now, file.type, language.value) : file.name;
    return {
      key: nextKey++,
      blob: file,
      name,
      size: file.size,
      type: file.type,
      previewUrl: thumbnailTypes.has(file.type) ? URL.createObjectURL(file) : null,
    };
  });
  const strip = composerFilesFor(conversationId);
  strip.value = [...strip.value, ...added];
}

/** Removes one attached file from the composer and lets go of its thumbnail. */
export function removeAttachedFile(conversationId: number, key: number): void {
  const strip = composerFilesFor(conversationId);
  const file = strip.value.find((f) => f.key === key);
  if (!file) return;
  release([file]);
  strip.value = strip.value.filter((f) => f.key !== key);
}

/** Lets go of the thumbnails of files that left the composer. */
export function release(files: readonly ComposerFile[]): void {
  for (const file of files) if (file.previewUrl) URL.revokeObjectURL(file.previewUrl);
}

/** Forgets every conversation's attached files (sign-out). */
export function forgetAttachedFiles(): void {
  release(allComposerFiles());
  clearComposerFiles();
}

/** A file the hub would refuse for its size (null: fine, or the limit is not known yet). */
export function isTooLarge(file: { size: number }, limits: FileLimits = fileLimits()): boolean {
  return limits.maxFileBytes !== null && file.size > limits.maxFileBytes;
}

/**
 * Why the attached files cannot be sent as they are, in the UI language (null: they can): a
 * file over the hub's size limit, or more files than one message may carry.
 */
export function attachmentProblem(
  files: readonly { name: string; size: number }[],
  lang: Lang,
  limits: FileLimits = fileLimits(),
): string | null {
  const big = files.filter((f) => isTooLarge(f, limits));
  if (big.length > 0 && limits.maxFileBytes !== null) {
    return translate(lang, 'files.tooLargeToSend', {
      n: big.length,
      limit: fileSizeLabel(limits.maxFileBytes, lang),
    });
  }
  if (limits.maxFilesPerMessage !== null && files.length > limits.maxFilesPerMessage) {
    return translate(lang, 'files.tooMany', { n: limits.maxFilesPerMessage });
  }
  return null;
}

/** Reads an attached file's bytes for sending. */
export async function readAttached(file: ComposerFile): Promise<OutgoingFile> {
  return { name: file.name, type: file.type, bytes: new Uint8Array(await file.blob.arrayBuffer()) };
}
