import { signal } from '@preact/signals';
import type { SearchHit } from '../../common/protocol/model.ts';

/** The filters of message search, as the panel shows them. */
export interface SearchFilters {
  /** Only the conversation the search was opened in ({@link searchConversationId}). */
  here: boolean;
  /** Only messages from this person (id and name, as picked). */
  from: { id: number; name: string; login: string } | null;
  /** Sent on or after this local day (`YYYY-MM-DD`, '' for no bound). */
  since: string;
  /** Sent on or before this local day (`YYYY-MM-DD`, '' for no bound). */
  until: string;
  /** Only messages carrying files. */
  hasFiles: boolean;
}

/** What a search answered: hits newest first, whether there are more, and where it stands. */
export interface SearchResultsState {
  hits: readonly SearchHit[];
  more: boolean;
  /** A request is on its way (the first page or more). */
  loading: boolean;
  /** An answer for the current query and filters has arrived (so an empty list means nothing found). */
  searched: boolean;
  /** The last request failed (a notice said why). */
  failed: boolean;
}

/** No filters: everything the user may read. */
export const noFilters: SearchFilters = { here: false, from: null, since: '', until: '', hasFiles: false };

/** Whether the search panel is shown. */
export const searchOpen = signal(false);

/** The text typed into the search box. */
export const searchQuery = signal('');

/** The filters chosen in the panel. */
export const searchFilters = signal<SearchFilters>(noFilters);

/** The conversation «in this conversation» means: the one open when the search was opened. */
export const searchConversationId = signal<number | null>(null);

/** The results on screen. */
export const searchResults = signal<SearchResultsState>({
  hits: [],
  more: false,
  loading: false,
  searched: false,
  failed: false,
});

/** The result the arrow keys are on (index into the hits). */
export const searchActiveIndex = signal(0);

/** The result last opened (its row stays marked), by conversation and seq. */
export const searchOpened = signal<{ conversationId: number; seq: number } | null>(null);

/** Incremented to put the focus into the search box (opening the panel, Ctrl+F again). */
export const searchFocusRequest = signal(0);
