import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { UserText, personLabel } from '../ui/UserText.tsx';
import type { Suggestion } from './useMentionPicker.ts';

/**
 * The @mention suggestions above the message box, as a listbox the message box controls (the
 * focus stays in the box; `mention-<login>` ids are its active descendant). A press picks without
 * taking the focus away. People who are not in the conversation (offered after its members, where
 * the user may add them) say so.
 */
export function MentionList(props: {
  suggestions: Suggestion[];
  chosen: number;
  onChoose: (suggestion: Suggestion) => void;
}): JSX.Element {
  const { suggestions, chosen, onChoose } = props;
  return (
    <ul id="mention-list" class="mention-list" role="listbox" aria-label={t('composer.mentions')}>
      {suggestions.map((s, i) => (
        <li
          key={s.login}
          id={`mention-${s.login}`}
          role="option"
          aria-selected={i === chosen}
          class={i === chosen ? 'mention-option active' : 'mention-option'}
          title={s.user ? personLabel(s.user) : undefined}
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(s);
          }}
        >
          {s.user ? (
            <Avatar name={s.user.name} seed={s.user.id} size="sm" presence={s.user.presence} />
          ) : (
            <span class="room-icon" aria-hidden="true">
              <Icon name="users" size={16} />
            </span>
          )}
          <span class="mention-name">{s.user ? <UserText text={s.user.name} /> : t('composer.mentionAll')}</span>
          {!s.member && <span class="tag mention-outsider">{t('mentions.notMember')}</span>}
          <span class="mention-login">@{s.login}</span>
        </li>
      ))}
    </ul>
  );
}
