import type { Attachment, Block, FileRef } from '../protocol/model.ts';
import { markdownPlainText } from '../text/markdownPlainText.ts';

/** The words a preview uses for files that have no telling name of their own (images), and for a deleted message. */
export interface FileWords {
  /** A screenshot (a pasted image, named so by the composer or by the system's snipping tool). */
  screenshot: string;
  /** Any other image (a photo's file name, `IMG_0412.jpg`, says nothing to the reader). */
  image: string;
  /** A deleted message (the same words as the placeholder in its conversation). */
  deleted: string;
}

/** {@link FileWords} in the two UI languages; Russian is the default (common has no language of its own). */
export const fileWords: Readonly<Record<'ru' | 'en', FileWords>> = {
  ru: { screenshot: 'Скриншот', image: 'Изображение', deleted: 'Сообщение удалено' },
  en: { screenshot: 'Screenshot', image: 'Image', deleted: 'Message deleted' },
};

// The composer names a pasted image «Скриншот 2026-12-02 09.31.png» / "Screenshot …"; Windows'
// and macOS' snipping tools use "Screenshot …" / «Снимок экрана …».
const screenshotName = /^(скриншот|screenshot|снимок экрана|screen shot)(?=[\s_.-]|$)/iu;

/**
 * A message's words for a preview or a notification: its text with Markdown read as plain words
 * (`**жирный**` → `жирный`, see {@link markdownPlainText}; a caption wins over its files), or,
 * for a message that is only an integration's blocks or cards, the blocks' header (else the first
 * section's or context's text), else the first card's `fallback`, its title or its own blocks'
 * words (read as plain text too: tools put Slack markup in them), or, for a message that is only files, «📎 Скриншот» for a screenshot, «📎 Изображение»
 * for another image, «📎 Счёт №17.pdf» for a file (with «+2» when more files follow), or
 * «Сообщение удалено» for a deleted message. Trimmed; empty when there is nothing to show.
 */
export function messageText(
  message: {
    text: string;
    deleted?: unknown;
    attachments?: readonly Attachment[] | undefined;
    blocks?: readonly Block[] | undefined;
    files?: readonly Pick<FileRef, 'name' | 'kind'>[] | undefined;
  },
  words: FileWords = fileWords.ru,
): string {
  if (message.deleted) return words.deleted;
  const first = message.attachments?.[0];
  return (
    markdownPlainText(message.text).trim() ||
    blocksText(message.blocks ?? []) ||
    markdownPlainText(first?.fallback ?? '').trim() ||
    markdownPlainText(first?.title ?? '').trim() ||
    blocksText(first?.blocks ?? []) ||
    filesText(message.files ?? [], words)
  );
}

/** The words that stand for a message's blocks: the header, else the first section or context text. */
function blocksText(blocks: readonly Block[]): string {
  const header = blocks.find((b) => b.type === 'header');
  for (const block of header ? [header] : blocks) {
    const text =
      block.type === 'header'
        ? block.text
        : block.type === 'section'
          ? (block.text ?? block.fields?.join('\n') ?? '')
          : block.type === 'context'
            ? block.elements.join(' ')
            : '';
    const plain = markdownPlainText(text).trim();
    if (plain) return plain;
  }
  return '';
}

function filesText(files: readonly Pick<FileRef, 'name' | 'kind'>[], words: FileWords): string {
  const file = files[0];
  if (!file) return '';
  const name = file.name.trim();
  const label =
    file.kind === 'image' ? (screenshotName.test(name) ? words.screenshot : words.image) : name || words.image;
  return `📎 ${label}${files.length > 1 ? ` +${files.length - 1}` : ''}`;
}
