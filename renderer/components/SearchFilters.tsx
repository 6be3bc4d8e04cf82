import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { clearFilters, setFilters } from '../actions/search.ts';
import { PeoplePicker } from '../dialogs/PeoplePicker.tsx';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { searchConversationId, searchFilters } from '../state/search.ts';
import { conversationName } from '../state/selectors.ts';
import { Icon } from '../ui/Icon.tsx';
import { Translated, UserText, personLabel } from '../ui/UserText.tsx';

/**
 * The search's filters: in this conversation, from a person (picked from the directory), a date
 * range (local days, both ends included) and «with files». Each change searches again.
 */
export function SearchFilters(): JSX.Element {
  const filters = searchFilters.value;
  const [picking, setPicking] = useState(false);
  const here = searchConversationId.value;
  const conversation = here === null ? undefined : client.conversations.value[here];
  const any = filters.from !== null || filters.since !== '' || filters.until !== '' || filters.hasFiles;
  return (
    <fieldset class="search-filters">
      <legend class="visually-hidden">{t('search.filters')}</legend>
      <label class="search-check">
        <input
          type="checkbox"
          name="here"
          checked={filters.here && conversation !== undefined}
          disabled={conversation === undefined}
          onChange={(e) => setFilters({ here: e.currentTarget.checked })}
        />
        <span>
          {conversation ? (
            <Translated k="search.hereIn" params={{ name: conversationName(conversation, client.users.value) }} />
          ) : (
            t('search.here')
          )}
        </span>
      </label>
      <label class="search-check">
        <input
          type="checkbox"
          name="hasFiles"
          checked={filters.hasFiles}
          onChange={(e) => setFilters({ hasFiles: e.currentTarget.checked })}
        />
        <span>{t('search.hasFiles')}</span>
      </label>
      <div class="search-from">
        <span class="search-filter-label">{t('search.from')}</span>
        {filters.from ? (
          <span class="chip" title={personLabel(filters.from)}>
            <UserText text={filters.from.name} />
            <button
              type="button"
              class="chip-remove"
              aria-label={t('search.fromClear', { name: personLabel(filters.from) })}
              onClick={() => setFilters({ from: null })}
            >
              <Icon name="close" size={14} />
            </button>
          </span>
        ) : (
          <button type="button" class="link-button" aria-expanded={picking} onClick={() => setPicking(!picking)}>
            {t('search.fromAnyone')}
          </button>
        )}
      </div>
      {picking && !filters.from && (
        <div class="search-people">
          <PeoplePicker
            label={t('search.fromPick')}
            autofocus
            actionLabel={(u) => t('search.fromPerson', { name: personLabel(u) })}
            onPick={(u) => {
              setPicking(false);
              setFilters({ from: { id: u.id, name: u.name, login: u.login } });
            }}
          />
        </div>
      )}
      <div class="search-dates">
        <label>
          <span class="search-filter-label">{t('search.since')}</span>
          <input
            type="date"
            name="since"
            value={filters.since}
            max={filters.until || undefined}
            onChange={(e) => setFilters({ since: e.currentTarget.value })}
          />
        </label>
        <label>
          <span class="search-filter-label">{t('search.until')}</span>
          <input
            type="date"
            name="until"
            value={filters.until}
            min={filters.since || undefined}
            onChange={(e) => setFilters({ until: e.currentTarget.value })}
          />
        </label>
      </div>
      {any && (
        <button type="button" class="link-button search-clear" onClick={clearFilters}>
          {t('search.clearFilters')}
        </button>
      )}
    </fieldset>
  );
}
