// The pure parts of the files UI: preview words («📎 Скриншот»), sizes in both languages, inline
// image boxes, screenshot names, the composer's limit check and file type icons.
import { describe, expect, it } from 'vitest';
import { fileWords, messageText } from '../../common/client/messageText.ts';
import { attachmentProblem, isTooLarge, isUnnamedPaste, screenshotName } from '../../renderer/actions/attachments.ts';
import { fileSizeLabel } from '../../renderer/format/fileSize.ts';
import { fitImage } from '../../renderer/messages/fitImage.ts';
import { fileTypeOf } from '../../renderer/ui/fileType.ts';

const image = (name: string) => ({ name, kind: 'image' as const });
const file = (name: string) => ({ name, kind: 'file' as const });

describe('messageText with files', () => {
  it('tells an image-only message as a screenshot or an image, a file by its name', () => {
    expect(messageText({ text: '', files: [image('Скриншот 2026-12-02 09.31.png')] })).toBe('📎 Скриншот');
    expect(messageText({ text: '', files: [image('Screenshot 2026-12-02 at 09.31.png')] }, fileWords.en)).toBe(
      '📎 Screenshot',
    );
    expect(messageText({ text: '', files: [image('IMG_0412.jpg')] })).toBe('📎 Изображение');
    expect(messageText({ text: '', files: [image('IMG_0412.jpg')] }, fileWords.en)).toBe('📎 Image');
    expect(messageText({ text: '', files: [file('Счёт №17.pdf')] })).toBe('📎 Счёт №17.pdf');
    expect(messageText({ text: '', files: [file('Счёт №17.pdf')] }, fileWords.en)).toBe('📎 Счёт №17.pdf');
  });

  it('counts the files after the first, and lets a caption win', () => {
    expect(messageText({ text: '', files: [file('Счёт №17.pdf'), file('Акт.docx'), image('a.png')] })).toBe(
      '📎 Счёт №17.pdf +2',
    );
    expect(messageText({ text: '  Посмотри, пожалуйста  ', files: [file('Счёт №17.pdf')] })).toBe(
      'Посмотри, пожалуйста',
    );
    // A word that only starts like "screenshot" is not one.
    expect(messageText({ text: '', files: [image('Скриншоты.png')] })).toBe('📎 Изображение');
    expect(messageText({ text: '', files: [] })).toBe('');
    expect(messageText({ text: '' })).toBe('');
  });
});

describe('fileSizeLabel', () => {
  it('reads sizes in Russian and English', () => {
    expect(fileSizeLabel(512, 'ru')).toBe('512\u00a0Б');
    expect(fileSizeLabel(12 * 1024 + 100, 'ru')).toBe('12\u00a0КБ');
    expect(fileSizeLabel(3.4 * 1024 * 1024, 'ru')).toBe('3,4\u00a0МБ');
    expect(fileSizeLabel(3.4 * 1024 * 1024, 'en')).toBe('3.4\u00a0MB');
    expect(fileSizeLabel(100 * 1024 * 1024, 'ru')).toBe('100\u00a0МБ');
    expect(fileSizeLabel(1024 * 1024 - 10, 'ru')).toBe('1\u00a0МБ');
    expect(fileSizeLabel(0, 'en')).toBe('0\u00a0B');
  });
});

describe('fitImage', () => {
  it('scales down to 360×360 keeping the aspect, never up, with a minimum side', () => {
    expect(fitImage(1920, 1080)).toEqual({ width: 360, height: 203 });
    expect(fitImage(1080, 1920)).toEqual({ width: 203, height: 360 });
    expect(fitImage(200, 100)).toEqual({ width: 200, height: 100 });
    expect(fitImage(4000, 10)).toEqual({ width: 360, height: 48 });
    expect(fitImage(undefined, undefined)).toEqual({ width: 360, height: 270 });
  });
});

describe('attaching files', () => {
  it('names a pasted screenshot after the moment, in the UI language', () => {
    const at = new Date(2026, 11, 2, 9, 5);
    expect(screenshotName(at, 'image/png', 'ru')).toBe('Скриншот 2026-12-02 09.05.png');
    expect(screenshotName(at, 'image/jpeg', 'en')).toBe('Screenshot 2026-12-02 09.05.jpg');
    expect(isUnnamedPaste({ name: 'image.png', type: 'image/png' })).toBe(true);
    expect(isUnnamedPaste({ name: '', type: 'image/png' })).toBe(true);
    expect(isUnnamedPaste({ name: 'Отчёт.png', type: 'image/png' })).toBe(false);
    expect(isUnnamedPaste({ name: 'image.pdf', type: 'application/pdf' })).toBe(false);
  });

  it('says why files cannot be sent: over the size limit, or too many', () => {
    const limits = { maxFileBytes: 10 * 1024 * 1024, maxFilesPerMessage: 2 };
    const small = { name: 'a.pdf', size: 1000 };
    const big = { name: 'b.zip', size: 11 * 1024 * 1024 };
    expect(isTooLarge(big, limits)).toBe(true);
    expect(isTooLarge(small, limits)).toBe(false);
    expect(attachmentProblem([small], 'ru', limits)).toBeNull();
    expect(attachmentProblem([small, big], 'ru', limits)).toBe(
      'Файл больше 10\u00a0МБ: сервер его не примет. Уберите его, чтобы отправить сообщение',
    );
    expect(attachmentProblem([big, big], 'en', limits)).toBe(
      '2 files are over 10\u00a0MB: the server will not accept them. Remove them to send the message',
    );
    expect(attachmentProblem([small, small, small], 'ru', limits)).toBe(
      'В одном сообщении можно отправить не больше 2 файлов',
    );
    // Before the first hello nothing is known: the outbox checks again before it uploads.
    expect(attachmentProblem([big], 'ru', { maxFileBytes: null, maxFilesPerMessage: null })).toBeNull();
  });
});

describe('fileTypeOf', () => {
  it('picks the icon by extension, then by media type', () => {
    expect(fileTypeOf('Счёт №17.PDF', '')).toBe('pdf');
    expect(fileTypeOf('Договор.docx', '')).toBe('doc');
    expect(fileTypeOf('Остатки.xlsx', '')).toBe('xls');
    expect(fileTypeOf('выгрузка.7z', '')).toBe('zip');
    expect(fileTypeOf('снимок', 'image/png')).toBe('image');
    expect(fileTypeOf('data.bin', 'application/octet-stream')).toBe('generic');
    expect(fileTypeOf('report', 'application/pdf')).toBe('pdf');
  });
});
