import '../styles/search.css';
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { closeSearch, loadMoreResults, openResult, setQuery } from '../actions/search.ts';
import { t } from '../i18n/t.ts';
import { searchActiveIndex, searchFocusRequest, searchQuery, searchResults } from '../state/search.ts';
import { Icon } from '../ui/Icon.tsx';
import { SearchFilters } from './SearchFilters.tsx';
import { resultId, SearchResults, shownOrder } from './SearchResults.tsx';

/** Moves the active result by the arrow keys (Home/End too) and keeps it in view. */
function step(key: string, count: number): boolean {
  const current = searchActiveIndex.value;
  let next = current;
  if (key === 'ArrowDown') next = Math.min(count - 1, current + 1);
  else if (key === 'ArrowUp') next = Math.max(0, current - 1);
  else if (key === 'PageDown') next = Math.min(count - 1, current + 5);
  else if (key === 'PageUp') next = Math.max(0, current - 5);
  else return false;
  searchActiveIndex.value = next;
  document.getElementById(resultId(next))?.scrollIntoView({ block: 'nearest' });
  if (key === 'ArrowDown' && next === count - 1 && searchResults.value.more) void loadMoreResults();
  return true;
}

/**
 * Message search (Ctrl+F in this conversation, Ctrl+Shift+F everywhere): the box, the filters and
 * the results grouped by conversation. The arrows move through the results (the box keeps the
 * focus, the result is its active descendant), Enter opens one at its message, Esc closes the panel.
 */
export function SearchPanel(): JSX.Element {
  const input = useRef<HTMLInputElement>(null);
  const results = searchResults.value;
  const focusRequest = searchFocusRequest.value;
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusRequest]);
  const hits = results.hits;
  const ordered = shownOrder(hits);
  const active = Math.min(searchActiveIndex.value, Math.max(0, hits.length - 1));
  const empty = results.searched && !results.loading && !results.failed && hits.length === 0;
  return (
    <aside class="search-panel" aria-labelledby="search-title">
      <header class="panel-header">
        <h2 id="search-title">{t('search.title')}</h2>
        <button
          type="button"
          class="icon-button"
          aria-label={t('search.close')}
          title={t('search.close')}
          onClick={closeSearch}
        >
          <Icon name="close" />
        </button>
      </header>
      <div class="search-box">
        <label class="search-field">
          <Icon name="search" />
          <input
            ref={input}
            type="search"
            name="q"
            role="combobox"
            aria-expanded={hits.length > 0}
            aria-controls="search-results"
            aria-autocomplete="list"
            aria-activedescendant={hits.length > 0 ? resultId(active) : undefined}
            aria-label={t('search.box')}
            placeholder={t('search.box')}
            maxLength={200}
            value={searchQuery.value}
            onInput={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                closeSearch();
              } else if (e.key === 'Enter') {
                e.preventDefault();
                const hit = ordered[active];
                if (hit) openResult(hit);
              } else if (hits.length > 0 && step(e.key, hits.length)) {
                e.preventDefault();
              }
            }}
          />
        </label>
        <p class="search-hint">{t('search.hint')}</p>
      </div>
      <SearchFilters />
      <div class="search-scroll">
        <ul
          id="search-results"
          class="search-results"
          role="listbox"
          aria-label={t('search.results')}
          aria-busy={results.loading}
        >
          <SearchResults hits={hits} />
        </ul>
        {empty && (
          <p class="search-empty" role="status">
            {t('search.nothingFound')}
          </p>
        )}
        {results.loading && (
          <p class="search-loading" role="status">
            {t('app.loadingList')}
          </p>
        )}
        {results.more && !results.loading && (
          <button type="button" class="link-button search-more" onClick={() => void loadMoreResults()}>
            {t('search.more')}
          </button>
        )}
      </div>
    </aside>
  );
}
