import { ErrorCode } from '../protocol/errors.ts';
import type { Limits } from '../protocol/model.ts';
import type { OutboxEntry } from './OutboxEntry.ts';
import { sendParams } from './sendParams.ts';

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** A file id as long as the hub's (`f` + 22 characters), to measure the frame before the files are uploaded. */
const sampleFileId = 'f0000000000000000000000';

/**
 * Refuses, before asking the hub (and before uploading anything), what the hub is known to refuse:
 * a text over `maxTextBytes`, more files than `maxFilesPerMessage`, a file over `maxFileBytes`, or
 * a `send` frame over `maxFrameBytes`. Null: send it (also before the first hello, with no limits
 * known: the outbox checks again before it sends).
 */
export function checkOutgoing(entry: OutboxEntry, limits: Limits | null): { code: string; message: string } | null {
  if (!limits) return null;
  const files = entry.files ?? [];
  if (files.length > limits.maxFilesPerMessage) {
    return {
      code: ErrorCode.BadRequest,
      message: `${files.length} files attached; a message may carry at most ${limits.maxFilesPerMessage}`,
    };
  }
  const tooLarge = files.find((f) => f.size > limits.maxFileBytes);
  if (tooLarge) {
    return {
      code: ErrorCode.FileTooLarge,
      message: `«${tooLarge.name}» is ${tooLarge.size} bytes; the limit is ${limits.maxFileBytes} bytes`,
    };
  }
  const bytes = utf8Length(entry.text);
  if (bytes > limits.maxTextBytes) {
    return {
      code: ErrorCode.TooLong,
      message: `the message is ${bytes} bytes; the limit is ${limits.maxTextBytes} bytes`,
    };
  }
  const frame = JSON.stringify({ type: 'send', id: 'c0000000000', ...sendParams(entry, sampleFileId) });
  if (utf8Length(frame) > limits.maxFrameBytes) {
    return { code: ErrorCode.TooLong, message: 'the message is too long to send' };
  }
  return null;
}
