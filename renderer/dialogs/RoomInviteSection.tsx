import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Conversation, Member, User } from '../../common/protocol/model.ts';
import { invite } from '../actions/rooms.ts';
import { t } from '../i18n/t.ts';
import { PeoplePicker } from './PeoplePicker.tsx';

/**
 * Room settings: invite people (pick them, then invite them all at once). Nothing when the user may
 * not invite; the picked people are kept meanwhile, as the dialog's own state.
 */
export function RoomInviteSection(props: {
  conversation: Conversation;
  members: Member[] | null;
  canInvite: boolean;
  reload: () => void;
}): JSX.Element | null {
  const { conversation, members, canInvite, reload } = props;
  const [toInvite, setToInvite] = useState<User[]>([]);
  if (!canInvite) return null;
  return (
    <section class="settings-section" aria-labelledby="settings-invite">
      <h3 id="settings-invite">{t('dialog.settings.invite')}</h3>
      <PeoplePicker
        label={t('dialog.people.search')}
        selected={toInvite}
        exclude={(members ?? []).map((m) => m.userId)}
        onPick={(u) => setToInvite([...toInvite, u])}
        onUnpick={(u) => setToInvite(toInvite.filter((p) => p.id !== u.id))}
        actionLabel={(u) => t('dialog.people.add', { name: u.name })}
      />
      {toInvite.length > 0 && (
        <div class="form-actions">
          <button
            type="button"
            class="button button-brand"
            onClick={async () => {
              if (
                await invite(
                  conversation.id,
                  toInvite.map((u) => u.id),
                )
              ) {
                setToInvite([]);
                reload();
              }
            }}
          >
            {t('dialog.settings.inviteSubmit')}
          </button>
        </div>
      )}
    </section>
  );
}
