import type { JSX } from 'preact';
import type { Conversation, Member } from '../../common/protocol/model.ts';
import { removeMember } from '../actions/rooms.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { Icon } from '../ui/Icon.tsx';
import { personLabel } from '../ui/UserText.tsx';
import { PersonLine } from './PeoplePicker.tsx';
import { userOrPlaceholder } from './userOrPlaceholder.ts';

/** Room settings: the members (null while loading), the owner marked; the owner may remove the others. */
export function RoomMembersSection(props: {
  conversation: Conversation;
  members: Member[] | null;
  isOwner: boolean;
  meId: number;
  reload: () => void;
}): JSX.Element {
  const { conversation, members, isOwner, meId, reload } = props;
  const users = client.users.value;
  return (
    <section class="settings-section" aria-labelledby="settings-members">
      <h3 id="settings-members">
        {t('dialog.settings.members')} <span class="count">{members ? members.length : '…'}</span>
      </h3>
      <ul class="member-list">
        {(members ?? []).map((m) => {
          const user = userOrPlaceholder(users, m.userId);
          return (
            <li key={m.userId} class="member">
              <PersonLine user={user} />
              {m.role === 'owner' && (
                <span class="tag tag-owner">
                  <Icon name="crown" size={14} />
                  {t('members.owner')}
                </span>
              )}
              {isOwner && m.userId !== meId && (
                <button
                  type="button"
                  class="button button-small"
                  aria-label={t('members.removeNamed', { name: personLabel(user) })}
                  onClick={async () => {
                    if (await removeMember(conversation.id, m.userId)) reload();
                  }}
                >
                  {t('members.remove')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
