import type { JSX } from 'preact';
import type { Conversation } from '../../common/protocol/model.ts';
import { openGeneral } from '../actions/conversations.ts';
import { leaveRoom } from '../actions/rooms.ts';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';
import { Translated } from '../ui/UserText.tsx';

/**
 * Room settings, last section: leave the room, after a confirmation; once left, the dialog closes
 * (`onLeft`) and the general room opens. `confirming` is the dialog's, as in the owner transfer.
 */
export function LeaveRoomSection(props: {
  conversation: Conversation;
  confirming: boolean;
  onConfirming: (on: boolean) => void;
  onLeft: () => void;
}): JSX.Element {
  const { conversation, confirming, onConfirming, onLeft } = props;
  return (
    <section class="settings-section danger-zone">
      {confirming ? (
        <div class="confirm" role="alert">
          <p>
            <Translated k="dialog.settings.leaveConfirm" params={{ name: conversation.name }} />
          </p>
          <button
            type="button"
            class="button button-danger"
            onClick={async () => {
              if (await leaveRoom(conversation.id)) {
                onLeft();
                openGeneral();
              }
            }}
          >
            {t('dialog.settings.leave')}
          </button>
          <button type="button" class="button" onClick={() => onConfirming(false)}>
            {t('app.cancel')}
          </button>
        </div>
      ) : (
        <button type="button" class="button button-danger-outline" onClick={() => onConfirming(true)}>
          <Icon name="leave" />
          {t('dialog.settings.leave')}
        </button>
      )}
    </section>
  );
}
