import type { JSX } from 'preact';
import { isMuted, notifyLevel } from '../../common/client/classifyMessage.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import { t } from '../i18n/t.ts';
import { now } from '../state/clock.ts';
import { BellIcon } from './BellIcon.tsx';
import '../styles/notify.css';

/**
 * Whether a conversation is quiet for the user: muted now, or set to notify nothing. Its unread
 * still counts, with a grey badge and a crossed-out bell in the sidebar.
 */
export function isQuiet(conversation: Conversation): boolean {
  return isMuted(conversation, now.value) || notifyLevel(conversation) === 'none';
}

/** The sidebar's crossed-out bell after a quiet conversation's name. */
export function MutedMark({ conversation }: { conversation: Conversation }): JSX.Element | null {
  if (!isQuiet(conversation)) return null;
  const label = isMuted(conversation, now.value) ? t('notify.muted') : t('notify.levelNone');
  return (
    <span class="muted-mark" title={label} data-muted="true">
      <BellIcon off size={14} />
    </span>
  );
}
