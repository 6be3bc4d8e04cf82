import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { User } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { searchUsers } from '../actions/rooms.ts';
import { presenceText } from '../components/presenceText.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { applyStatePatch, client } from '../state/clientState.ts';
import { now } from '../state/clock.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { personMatches } from '../state/selectors.ts';
import { useSearch } from '../ui/useSearch.ts';
import { UserText, personLabel } from '../ui/UserText.tsx';

async function search(query: string): Promise<User[] | undefined> {
  const users = await searchUsers(query);
  // Directory answers carry live presence: keep them so names and dots elsewhere are current too.
  if (users?.length) applyStatePatch({ users: Object.fromEntries(users.map((u) => [u.id, u])) });
  return users;
}

/**
 * One person in a list: avatar with presence, name with the login (namesakes are told apart by it:
 * «Иван Иванов · ivanov»), department and presence in words.
 */
export function PersonLine({ user }: { user: User }): JSX.Element {
  const presence = presenceText(user, now.value, language.value);
  return (
    <>
      <Avatar name={user.name} seed={user.id} presence={user.presence} title={personLabel(user)} />
      <span class="person-text">
        <span class="person-name" title={personLabel(user)}>
          <UserText text={user.name} />
          {user.login && (
            <span class="person-login">
              {' · '}
              <UserText text={user.login} />
            </span>
          )}
          {user.isBot && <span class="tag">{t('status.bot')}</span>}
        </span>
        <span class="person-meta">
          {user.branch && <UserText text={user.branch} />}
          {user.branch && presence && ' · '}
          {presence}
        </span>
      </span>
    </>
  );
}

/**
 * Searches the people directory. With `selected` it is a multi-select with removable chips;
 * without, each result is a button that calls `onPick`.
 */
export function PeoplePicker({
  onPick,
  selected,
  onUnpick,
  exclude = [],
  label,
  autofocus,
  actionLabel,
}: {
  onPick: (user: User) => void;
  selected?: readonly User[];
  onUnpick?: (user: User) => void;
  exclude?: readonly number[];
  label: string;
  autofocus?: boolean;
  actionLabel: (user: User) => string;
}): JSX.Element {
  const [query, setQuery] = useState('');
  const { results, loading } = useSearch(query, search);
  const me = client.me.value;
  const hidden = new Set([...exclude, ...(selected ?? []).map((u) => u.id), ...(me ? [me.id] : [])]);
  const users = client.users.value;
  // People the page knows who match by the folding rule («федорова» finds «Фёдорова») join the
  // hub's answer, after it.
  const found = new Set((results ?? []).map((u) => u.id));
  const known = query.trim() ? Object.values(users).filter((u) => !found.has(u.id) && personMatches(u, query)) : [];
  const shown = [...(results ?? []), ...known].filter((u) => !hidden.has(u.id) && !u.disabled);
  return (
    <div class="picker">
      {selected && selected.length > 0 && (
        <ul class="chips" aria-label={t('dialog.people.selected')}>
          {selected.map((u) => (
            <li key={u.id} class="chip" title={personLabel(u)}>
              <Avatar name={u.name} seed={u.id} size="sm" />
              <UserText text={u.name} />
              <button
                type="button"
                class="chip-remove"
                aria-label={t('dialog.people.removeChip', { name: personLabel(u) })}
                onClick={() => onUnpick?.(u)}
              >
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <label class="search-field">
        <Icon name="search" />
        <input
          type="search"
          value={query}
          aria-label={label}
          placeholder={label}
          data-autofocus={autofocus ? '' : undefined}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </label>
      <ul class="result-list" aria-busy={loading}>
        {shown.map((u) => {
          const live = users[u.id] ?? u;
          return (
            <li key={u.id}>
              <button
                type="button"
                class="result"
                aria-label={neutraliseBidi(actionLabel(live))}
                onClick={() => onPick(live)}
              >
                <PersonLine user={live} />
                <Icon name={selected ? 'plus' : 'message'} class="result-action" />
              </button>
            </li>
          );
        })}
        {!loading && results && shown.length === 0 && <li class="empty">{t('app.nothingFound')}</li>}
        {loading && !results && <li class="empty">{t('app.loadingList')}</li>}
      </ul>
    </div>
  );
}
