import type { JSX } from 'preact';
import type { User } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { Dialog } from '../dialogs/Dialog.tsx';
import { t } from '../i18n/t.ts';

/**
 * Asked on sending a message that mentions people who are not in the room: «Иван Петров не в
 * этой комнате. Пригласить?» (Пригласить / Отправить без приглашения / Отмена); where the user may
 * not add people (a closed room of someone else, a direct conversation): that they will not see
 * it (Всё равно отправить / Отмена). Esc cancels and the text stays in the box.
 */
export function MentionInvitePrompt({
  people,
  canInvite,
  onInvite,
  onSend,
  onCancel,
}: {
  people: readonly User[];
  canInvite: boolean;
  onInvite: () => void;
  onSend: () => void;
  onCancel: () => void;
}): JSX.Element {
  const names = people.map((u) => neutraliseBidi(u.name)).join(', ');
  const many = people.length > 1;
  const text = canInvite
    ? t(many ? 'mentions.invite.many' : 'mentions.invite.one', { names })
    : t(many ? 'mentions.unseen.many' : 'mentions.unseen.one', { names });
  return (
    <Dialog
      title={canInvite ? t('mentions.invite.title') : t('mentions.unseen.title')}
      onClose={onCancel}
      size="md"
      footer={
        <>
          <button type="button" class="button" onClick={onCancel}>
            {t('app.cancel')}
          </button>
          <button type="button" class="button" onClick={onSend} data-autofocus={canInvite ? undefined : ''}>
            {canInvite ? t('mentions.invite.sendAnyway') : t('mentions.unseen.send')}
          </button>
          {canInvite && (
            <button type="button" class="button button-brand" onClick={onInvite} data-autofocus>
              {t('mentions.invite.invite')}
            </button>
          )}
        </>
      }
    >
      <p class="mention-prompt-text" dir="auto">
        {text}
      </p>
    </Dialog>
  );
}
