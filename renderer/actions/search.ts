import type { SearchParams } from '../../common/client/Backend.ts';
import type { SearchHit } from '../../common/protocol/model.ts';
import { backend } from '../backend/currentBackend.ts';
import { clientSnapshot } from '../state/clientState.ts';
import {
  noFilters,
  searchActiveIndex,
  searchConversationId,
  searchFilters,
  searchFocusRequest,
  searchOpen,
  searchOpened,
  searchQuery,
  searchResults,
  type SearchFilters,
} from '../state/search.ts';
import { compactLayout, jumpRequest, membersPanelOpen } from '../state/uiState.ts';
import { openMessage } from './messageLinks.ts';
import { attempt } from './notify.ts';

/** Hits per page (the hub allows up to 50). */
const pageSize = 20;
/** How long typing pauses before the search is sent. */
const typingDelayMs = 250;

let timer: ReturnType<typeof setTimeout> | undefined;
/** Tells the newest request from older ones: only its answer is shown. */
let generation = 0;

/**
 * Opens the search panel with the focus in its box: `here` (Ctrl+F) searches the open
 * conversation, `everywhere` (Ctrl+Shift+F) every conversation the user may read.
 */
export function openSearch(scope: 'here' | 'everywhere'): void {
  const active = clientSnapshot().activeConversationId;
  const wasOpen = searchOpen.value;
  searchOpen.value = true;
  membersPanelOpen.value = false;
  searchConversationId.value = active;
  const here = scope === 'here' && active !== null;
  if (!wasOpen || searchFilters.value.here !== here) setFilters({ here });
  searchFocusRequest.value += 1;
}

/** Closes the panel (the query and results stay for the next time). */
export function closeSearch(): void {
  searchOpen.value = false;
  clearTimeout(timer);
}

/** The user typed: the search runs once typing pauses. */
export function setQuery(query: string): void {
  searchQuery.value = query;
  clearTimeout(timer);
  timer = setTimeout(() => void runSearch(), typingDelayMs);
}

/** A filter changed: the search runs again at once. */
export function setFilters(change: Partial<SearchFilters>): void {
  searchFilters.value = { ...searchFilters.value, ...change };
  clearTimeout(timer);
  void runSearch();
}

/** Clears every filter but «in this conversation». */
export function clearFilters(): void {
  setFilters({ ...noFilters, here: searchFilters.value.here });
}

/** The hub's request for the query and filters now (null: nothing to search for). */
export function searchParams(
  query: string,
  filters: SearchFilters,
  conversationId: number | null,
  beforeSeq?: number,
): SearchParams | null {
  const q = query.trim();
  if (q.length === 0) return null;
  const since = filters.since ? localDayStart(filters.since, 0) : null;
  const until = filters.until ? localDayStart(filters.until, 1) : null;
  return {
    query: q.slice(0, 200),
    limit: pageSize,
    ...(filters.here && conversationId !== null ? { conversationId } : {}),
    ...(filters.from ? { fromUserId: filters.from.id } : {}),
    ...(since !== null ? { since } : {}),
    ...(until !== null ? { until } : {}),
    ...(filters.hasFiles ? { hasFiles: true } : {}),
    ...(beforeSeq !== undefined ? { beforeSeq } : {}),
  };
}

/** Midnight (local time) of a `YYYY-MM-DD` day plus `addDays` days, in ms; null when not a date. */
function localDayStart(day: string, addDays: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const ts = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays).getTime();
  return Number.isFinite(ts) && ts >= 0 ? ts : null;
}

/** Sends the search for the query and filters now and shows its first page. */
export async function runSearch(): Promise<void> {
  const params = searchParams(searchQuery.value, searchFilters.value, searchConversationId.value);
  const mine = ++generation;
  if (!params) {
    searchActiveIndex.value = 0;
    searchResults.value = { hits: [], more: false, loading: false, searched: false, failed: false };
    return;
  }
  searchResults.value = { ...searchResults.value, loading: true, failed: false };
  const answer = await attempt(() => backend().search(params));
  if (mine !== generation) return;
  // The same hits again (the same query sent once more): the arrows' place stays.
  const before = searchResults.value.hits.map((h) => h.message.seq).join();
  if (!answer || answer.hits.map((h) => h.message.seq).join() !== before) searchActiveIndex.value = 0;
  searchResults.value = answer
    ? { hits: answer.hits, more: answer.more, loading: false, searched: true, failed: false }
    : { hits: [], more: false, loading: false, searched: true, failed: true };
}

/** Loads the next page of results (older hits) after those shown. */
export async function loadMoreResults(): Promise<void> {
  const shown = searchResults.value;
  const last = shown.hits.at(-1);
  if (!shown.more || shown.loading || !last) return;
  const params = searchParams(searchQuery.value, searchFilters.value, searchConversationId.value, last.message.seq);
  if (!params) return;
  const mine = generation;
  searchResults.value = { ...shown, loading: true };
  const answer = await attempt(() => backend().search(params));
  if (mine !== generation) return;
  const now = searchResults.value;
  searchResults.value = answer
    ? { ...now, hits: [...now.hits, ...answer.hits], more: answer.more, loading: false }
    : { ...now, loading: false };
}

/**
 * Opens a result: its conversation, at the message (loaded around it when it is far back), which
 * is highlighted for a moment. In the compact layout the panel closes to make room.
 */
export function openResult(hit: SearchHit): void {
  const { conversationId, seq } = hit.message;
  searchOpened.value = { conversationId, seq };
  if (compactLayout.value) closeSearch();
  // Asked for before the window moves there, so the list shows the message in the same render as
  // the window around it, never first at that window's bottom (where it would load newer pages).
  const held = clientSnapshot().messages[conversationId]?.items.some((m) => m.seq === seq);
  if (!held) jumpRequest.value = { conversationId, seq, nonce: --earlyNonce };
  openMessage({ conversationId, seq });
}

/** Nonces of the early jump requests: negative, never one of messageLinks' own. */
let earlyNonce = 0;
