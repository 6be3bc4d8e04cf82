import type { JSX } from 'preact';
import { cancelEdit } from '../actions/editing.ts';
import { t } from '../i18n/t.ts';
import { previewText } from '../text/previewText.ts';
import type { EditTarget } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';
import { MenuIcon } from '../messages/MenuIcon.tsx';

/**
 * Above the message box in edit mode: «Изменение сообщения» with the text as it was, and × to
 * leave edit mode without saving (Esc in the box does the same).
 */
export function ComposerEditBar({
  conversationId,
  target,
  onCancel,
}: {
  conversationId: number;
  target: EditTarget;
  onCancel: () => void;
}): JSX.Element {
  return (
    <div class="composer-bar edit-bar" role="group" aria-label={t('msgActions.editing')}>
      <span class="composer-bar-icon">
        <MenuIcon name="edit" />
      </span>
      <span class="composer-bar-body">
        <span class="composer-bar-title">{t('msgActions.editing')}</span>
        <UserText class="composer-bar-text" text={previewText({ text: target.original })} />
      </span>
      <button
        type="button"
        class="icon-button"
        aria-label={t('msgActions.cancelEdit')}
        title={t('msgActions.cancelEdit')}
        onClick={() => {
          cancelEdit(conversationId);
          onCancel();
        }}
      >
        <Icon name="close" size={18} />
      </button>
    </div>
  );
}
