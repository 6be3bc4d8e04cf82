import { ErrorCode } from '../protocol/errors.ts';
import type { Limits } from '../protocol/model.ts';
import type { OutboxEntry } from './Outbox.ts';

const encoder = new TextEncoder();

function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Refuses, before asking the hub, what the hub is known to refuse: a text over `maxTextBytes`, or a
 * `send` frame over `maxFrameBytes`. Null: send it (also before the first hello, with no limits known).
 */
export function checkOutgoing(entry: OutboxEntry, limits: Limits | null): { code: string; message: string } | null {
  if (!limits) return null;
  const bytes = utf8Length(entry.text);
  if (bytes > limits.maxTextBytes) {
    return {
      code: ErrorCode.TooLong,
      message: `the message is ${bytes} bytes; the limit is ${limits.maxTextBytes} bytes`,
    };
  }
  const frame = JSON.stringify({
    type: 'send',
    id: 'c0000000000',
    conversationId: entry.conversationId,
    clientId: entry.clientId,
    text: entry.text,
  });
  if (utf8Length(frame) > limits.maxFrameBytes) {
    return { code: ErrorCode.TooLong, message: 'the message is too long to send' };
  }
  return null;
}
