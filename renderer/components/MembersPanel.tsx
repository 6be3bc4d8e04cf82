import type { JSX } from 'preact';
import type { Conversation } from '../../common/protocol/model.ts';
import { openProfile } from '../actions/profile.ts';
import { PersonLine } from '../dialogs/PeoplePicker.tsx';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { membersPanelOpen } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { personLabel } from '../ui/UserText.tsx';
import { useMembers } from './useMembers.ts';

const presenceOrder = { online: 0, dnd: 1, away: 2, offline: 3 } as const;

/** The members of the open room with live presence; clicking a person opens their profile card («Написать» there). */
export function MembersPanel({ conversation }: { conversation: Conversation }): JSX.Element {
  const { list } = useMembers(conversation.id, conversation.memberCount);
  const users = client.users.value;
  const me = client.me.value;
  const sorted = (list ?? [])
    .map((m) => ({ member: m, user: users[m.userId] }))
    .sort(
      (a, b) =>
        Number(b.member.role === 'owner') - Number(a.member.role === 'owner') ||
        presenceOrder[a.user?.presence ?? 'offline'] - presenceOrder[b.user?.presence ?? 'offline'] ||
        (a.user?.name ?? '').localeCompare(b.user?.name ?? ''),
    );
  return (
    <aside class="members-panel" aria-labelledby="members-title">
      <header class="panel-header">
        <h2 id="members-title">
          {t('members.title')} <span class="count">{list ? list.length : '…'}</span>
        </h2>
        <button
          type="button"
          class="icon-button"
          aria-label={t('members.close')}
          title={t('members.close')}
          onClick={() => (membersPanelOpen.value = false)}
        >
          <Icon name="close" />
        </button>
      </header>
      <ul class="member-list">
        {sorted.map(({ member, user }) => (
          <li key={member.userId}>
            {user && user.id === me?.id ? (
              <span class="member">
                <PersonLine user={user} />
                {member.role === 'owner' && (
                  <span class="owner-mark" title={t('members.owner')}>
                    <Icon name="crown" size={16} />
                    <span class="visually-hidden">{t('members.owner')}</span>
                  </span>
                )}
              </span>
            ) : user ? (
              <button
                type="button"
                class="member member-button"
                data-user-id={user.id}
                aria-label={t('profile.open', { name: personLabel(user) })}
                onClick={() => openProfile(user.id)}
              >
                <PersonLine user={user} />
                {member.role === 'owner' && (
                  <span class="owner-mark" title={t('members.owner')}>
                    <Icon name="crown" size={16} />
                    <span class="visually-hidden">{t('members.owner')}</span>
                  </span>
                )}
              </button>
            ) : (
              <span class="member">{t('user.unknown', { id: member.userId })}</span>
            )}
          </li>
        ))}
        {!list && <li class="empty">{t('app.loadingList')}</li>}
      </ul>
    </aside>
  );
}
