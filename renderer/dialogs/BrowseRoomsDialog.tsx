import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { browseRooms, joinRoom } from '../actions/rooms.ts';
import { openConversation } from '../actions/conversations.ts';
import { t } from '../i18n/t.ts';
import type { RoomSummary } from '../../common/protocol/model.ts';
import { client } from '../state/clientState.ts';
import { roomMatches } from '../state/selectors.ts';
import { dialog } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { useSearch } from '../ui/useSearch.ts';
import { Dialog } from './Dialog.tsx';
import { UserText } from '../ui/UserText.tsx';

/** Lists open rooms (searchable) to join, and rooms I am in to open. */
export function BrowseRoomsDialog(): JSX.Element {
  const [query, setQuery] = useState('');
  const { results, loading } = useSearch(query, browseRooms);
  const [joining, setJoining] = useState<number | null>(null);
  const close = () => (dialog.value = null);
  // Rooms the user is in that match by the folding rule (name or topic, case and ё/е) join the
  // hub's answer, after it.
  const listed = new Set((results ?? []).map((r) => r.id));
  const mine: RoomSummary[] = Object.values(client.conversations.value)
    .filter((c) => (c.kind === 'open' || c.kind === 'closed') && !c.archived && !listed.has(c.id))
    .filter((c) => query.trim() !== '' && roomMatches(c, query))
    .map((c) => ({
      id: c.id,
      kind: c.kind as RoomSummary['kind'],
      name: c.name,
      topic: c.topic,
      memberCount: c.memberCount,
      joined: true,
    }));
  const rooms = results ? [...results, ...mine] : null;

  return (
    <Dialog title={t('dialog.browse.title')} onClose={close} size="lg">
      <label class="search-field">
        <Icon name="search" />
        <input
          type="search"
          data-autofocus
          value={query}
          aria-label={t('dialog.browse.search')}
          placeholder={t('dialog.browse.search')}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </label>
      <ul class="result-list rooms" aria-busy={loading}>
        {(rooms ?? []).map((room) => (
          <li key={room.id} class="room-result">
            <span class="room-icon" aria-hidden="true">
              <Icon name={room.kind === 'closed' ? 'lock' : 'hash'} />
            </span>
            <span class="person-text">
              <span class="person-name">
                <UserText text={room.name} />
              </span>
              <span class="person-meta">
                {t('conversation.members', { n: room.memberCount })}
                {room.topic && ' · '}
                {room.topic && <UserText text={room.topic} />}
              </span>
            </span>
            {room.joined ? (
              <button
                type="button"
                class="button"
                onClick={() => {
                  openConversation(room.id);
                  close();
                }}
              >
                {t('dialog.browse.open')}
              </button>
            ) : (
              <button
                type="button"
                class="button button-brand"
                disabled={joining === room.id}
                aria-label={t('dialog.browse.joinNamed', { name: neutraliseBidi(room.name) })}
                onClick={async () => {
                  setJoining(room.id);
                  const joined = await joinRoom(room.id);
                  setJoining(null);
                  if (joined) close();
                }}
              >
                {t('dialog.browse.join')}
              </button>
            )}
          </li>
        ))}
        {!loading && rooms && rooms.length === 0 && <li class="empty">{t('app.nothingFound')}</li>}
        {loading && !results && <li class="empty">{t('app.loadingList')}</li>}
      </ul>
    </Dialog>
  );
}
