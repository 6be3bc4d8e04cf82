import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import type { SearchHit } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { SearchParams } from './Backend.ts';

/** What a search needs from the client core. */
export interface SearchRequestParts {
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]>;
  /** Looks up the senders the client does not know yet (their names show on the results). */
  loadUnknownUsers(ids: readonly number[]): Promise<void> | null;
}

/**
 * Full-text search through the hub (`search`): the hits as the hub ranks them (newest first),
 * their senders looked up before the answer so the results show names at once.
 */
export async function searchMessages(
  parts: SearchRequestParts,
  params: SearchParams,
): Promise<{ hits: SearchHit[]; more: boolean }> {
  const result = await parts.request('search', params);
  const hits = result.hits ?? [];
  await parts.loadUnknownUsers([...new Set(hits.map((h) => h.message.senderId))]);
  return { hits, more: result.more === true };
}
