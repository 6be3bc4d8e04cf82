import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import type { Message } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { OutboxAction } from './OutboxEntry.ts';

type Request = <T extends RequestType>(type: T, params: ParamsOf<T>) => Promise<ResultMap[T]>;

/** Sends one queued action as its request (`message.edit` …) and resolves with the message as it is after it. */
export async function sendAction(request: Request, a: OutboxAction): Promise<Message> {
  const base = { clientId: a.clientId, seq: a.seq };
  switch (a.kind) {
    case 'edit':
      return (await request('message.edit', { ...base, text: a.text ?? '' })).message;
    case 'delete':
      return (await request('message.delete', base)).message;
    case 'react':
      return (await request('message.react', { ...base, emoji: a.emoji ?? '', on: a.on ?? true })).message;
    case 'pin':
      return (await request('message.pin', { ...base, pinned: a.pinned ?? true })).message;
  }
}
