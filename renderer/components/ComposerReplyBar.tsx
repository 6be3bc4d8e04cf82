import type { JSX } from 'preact';
import { cancelReply } from '../actions/editing.ts';
import { t } from '../i18n/t.ts';
import { replyTargetFor } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { MenuIcon } from '../messages/MenuIcon.tsx';
import { QuoteBody } from '../messages/ReplyQuote.tsx';

/**
 * Above the message box while a reply is being written: whom and what it answers (the author, the
 * first lines as plain text, an image's thumbnail) and × to write an ordinary message instead
 * (Esc in the box does the same).
 */
export function ComposerReplyBar({
  conversationId,
  onCancel,
}: {
  conversationId: number;
  onCancel: () => void;
}): JSX.Element | null {
  const quote = replyTargetFor(conversationId).value;
  if (!quote) return null;
  return (
    <div class="composer-bar reply-bar" role="group" aria-label={t('msgActions.replyingTo')}>
      <span class="composer-bar-icon">
        <MenuIcon name="reply" />
      </span>
      <span class="composer-bar-body">
        <span class="composer-bar-title">{t('msgActions.replyingTo')}</span>
        <span class="composer-bar-quote">
          <QuoteBody quote={quote} />
        </span>
      </span>
      <button
        type="button"
        class="icon-button"
        aria-label={t('msgActions.cancelReply')}
        title={t('msgActions.cancelReply')}
        onClick={() => {
          cancelReply(conversationId);
          onCancel();
        }}
      >
        <Icon name="close" size={18} />
      </button>
    </div>
  );
}
