import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Conversation, Member } from '../../common/protocol/model.ts';
import { transferOwnership } from '../actions/rooms.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { Translated, personLabel } from '../ui/UserText.tsx';
import { userOrPlaceholder } from './userOrPlaceholder.ts';

/**
 * Room settings, for the owner of a room with other members: hand the room to one of them, after a
 * confirmation. `confirming` is shared with leaving (one confirmation open at a time): the dialog
 * keeps it, and `onConfirming(false)` closes whichever is open.
 */
export function OwnerTransferSection(props: {
  conversation: Conversation;
  /** The members other than the user. */
  others: Member[];
  isOwner: boolean;
  confirming: boolean;
  onConfirming: (on: boolean) => void;
  reload: () => void;
}): JSX.Element | null {
  const { conversation, others, isOwner, confirming, onConfirming, reload } = props;
  const users = client.users.value;
  const [newOwner, setNewOwner] = useState<number | null>(null);
  if (!isOwner || others.length === 0) return null;
  return (
    <section class="settings-section" aria-labelledby="settings-transfer">
      <h3 id="settings-transfer">{t('dialog.settings.transfer')}</h3>
      <div class="inline-form">
        <select
          aria-label={t('dialog.settings.transferTo')}
          value={newOwner ?? ''}
          onChange={(e) => {
            setNewOwner(Number(e.currentTarget.value) || null);
            onConfirming(false);
          }}
        >
          <option value="">{t('dialog.settings.chooseMember')}</option>
          {others.map((m) => (
            <option key={m.userId} value={m.userId}>
              {personLabel(userOrPlaceholder(users, m.userId))}
            </option>
          ))}
        </select>
        <button type="button" class="button" disabled={newOwner === null} onClick={() => onConfirming(true)}>
          {t('dialog.settings.transferSubmit')}
        </button>
      </div>
      {confirming && newOwner !== null && (
        <div class="confirm" role="alert">
          <p>
            <Translated
              k="dialog.settings.transferConfirm"
              params={{ name: personLabel(userOrPlaceholder(users, newOwner)) }}
            />
          </p>
          <button
            type="button"
            class="button button-brand"
            onClick={async () => {
              if (await transferOwnership(conversation.id, newOwner)) {
                onConfirming(false);
                setNewOwner(null);
                reload();
              }
            }}
          >
            {t('dialog.settings.transferSubmit')}
          </button>
          <button type="button" class="button" onClick={() => onConfirming(false)}>
            {t('app.cancel')}
          </button>
        </div>
      )}
    </section>
  );
}
