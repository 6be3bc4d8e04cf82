import type { Attachment, FileRef } from '../protocol/model.ts';

/** The words a preview uses for files that have no telling name of their own (images). */
export interface FileWords {
  /** A screenshot (a pasted image, named so by the composer or by the system's snipping tool). */
  screenshot: string;
  /** Any other image (a photo's file name, `IMG_0412.jpg`, says nothing to the reader). */
  image: string;
}

/** {@link FileWords} in the two UI languages; Russian is the default (common has no language of its own). */
export const fileWords: Readonly<Record<'ru' | 'en', FileWords>> = {
  ru: { screenshot: 'Скриншот', image: 'Изображение' },
  en: { screenshot: 'Screenshot', image: 'Image' },
};

// The composer names a pasted image «Скриншот 2026-12-02 09.31.png» / "Screenshot …"; Windows'
// and macOS' snipping tools use "Screenshot …" / «Снимок экрана …».
const screenshotName = /^(скриншот|screenshot|снимок экрана|screen shot)(?=[\s_.-]|$)/iu;

/**
 * A message's words for a preview or a notification: its text (a caption wins over its files), or,
 * for a message that is only an integration's card, the first card's plain-text `fallback` or else
 * its title, or, for a message that is only files, «📎 Скриншот» for a screenshot, «📎 Изображение»
 * for another image, «📎 Счёт №17.pdf» for a file (with «+2» when more files follow). Trimmed;
 * empty when there is nothing to show.
 */
export function messageText(
  message: {
    text: string;
    attachments?: readonly Attachment[] | undefined;
    files?: readonly Pick<FileRef, 'name' | 'kind'>[] | undefined;
  },
  words: FileWords = fileWords.ru,
): string {
  const first = message.attachments?.[0];
  return (
    message.text.trim() || first?.fallback?.trim() || first?.title?.trim() || filesText(message.files ?? [], words)
  );
}

function filesText(files: readonly Pick<FileRef, 'name' | 'kind'>[], words: FileWords): string {
  const file = files[0];
  if (!file) return '';
  const name = file.name.trim();
  const label =
    file.kind === 'image' ? (screenshotName.test(name) ? words.screenshot : words.image) : name || words.image;
  return `📎 ${label}${files.length > 1 ? ` +${files.length - 1}` : ''}`;
}
