import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { ConversationIcon } from '../components/ConversationIcon.tsx';
import { client } from '../state/clientState.ts';
import { conversationName } from '../state/selectors.ts';
import { UserText } from '../ui/UserText.tsx';

/**
 * A filter field over a list of conversations, for a dialog that picks one (Ctrl+K, «Переслать»):
 * type to narrow, arrows to move (round the ends), Enter or a click chooses. A combobox with a
 * listbox in the ARIA sense; the field keeps the focus, the active option is its active descendant.
 */
export function ConversationPicker(props: {
  /** The conversations to offer for what has been typed, in their order. */
  targets: (query: string) => Conversation[];
  /** Prefix of the element ids: `${idPrefix}-list` for the list, `${idPrefix}-<id>` for its options. */
  idPrefix: string;
  filterLabel: string;
  listLabel: string;
  emptyText: string;
  listClass?: string;
  busy?: boolean;
  onChoose: (id: number) => void;
  /** What an option shows after the conversation's name (an unread badge…). */
  after?: (conversation: Conversation) => ComponentChildren;
}): JSX.Element {
  const { targets, idPrefix, filterLabel, listLabel, emptyText, listClass, busy, onChoose, after } = props;
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const users = client.users.value;
  const list = targets(query);
  const active = Math.min(index, Math.max(0, list.length - 1));

  return (
    <>
      <input
        class="switch-input"
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls={`${idPrefix}-list`}
        aria-activedescendant={list[active] ? `${idPrefix}-${list[active].id}` : undefined}
        aria-label={filterLabel}
        placeholder={filterLabel}
        data-autofocus
        value={query}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const step = e.key === 'ArrowDown' ? 1 : -1;
            setIndex((active + step + list.length) % Math.max(1, list.length));
          } else if (e.key === 'Enter' && list[active]) {
            e.preventDefault();
            onChoose(list[active].id);
          }
        }}
      />
      <ul
        id={`${idPrefix}-list`}
        class={listClass ? `switch-list ${listClass}` : 'switch-list'}
        role="listbox"
        aria-label={listLabel}
        aria-busy={busy}
      >
        {list.map((c, i) => (
          <li
            key={c.id}
            id={`${idPrefix}-${c.id}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'switch-item active' : 'switch-item'}
            onMouseDown={(e) => {
              e.preventDefault();
              onChoose(c.id);
            }}
          >
            <ConversationIcon conversation={c} />
            <UserText class="switch-name" text={conversationName(c, users)} />
            {after?.(c)}
          </li>
        ))}
        {list.length === 0 && <li class="empty">{emptyText}</li>}
      </ul>
    </>
  );
}
