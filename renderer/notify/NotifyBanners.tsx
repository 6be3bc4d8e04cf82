import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { openConversation } from '../actions/conversations.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { conversationName } from '../state/selectors.ts';
import { compactLayout, sidebarOpen } from '../state/uiState.ts';
import { UserText } from '../ui/UserText.tsx';
import { BellIcon } from './BellIcon.tsx';
import { MessageToasts } from './MessageToasts.tsx';
import { askBanner, dismissAskBanner, enableDesktopNotifications, urgentDirect } from './webNotifications.ts';
import '../styles/notify.css';

/**
 * The web client's banners at the top of the page: the one-time offer to switch on desktop
 * notifications (after the first message that deserves one, never on page load), and, in the
 * compact layout of a 1C form, a new direct message that cannot be missed (a pulsing bar with
 * the person's name and «Открыть», until that conversation is opened). Also the in-page message
 * notices ({@link MessageToasts}).
 */
export function NotifyBanners(): JSX.Element {
  const urgent = urgentDirect.value;
  const active = client.activeConversationId.value;
  const conversation = urgent ? client.conversations.value[urgent.conversationId] : undefined;
  const seen =
    !!urgent &&
    (!conversation || conversation.unread === 0 || (active === urgent.conversationId && !sidebarOpen.value));
  useEffect(() => {
    if (seen) urgentDirect.value = null;
  }, [seen]);
  const showUrgent = urgent && conversation && !seen && compactLayout.value;
  return (
    <>
      <MessageToasts />
      {(askBanner.value || showUrgent) && (
        <div class="notify-banners">
          {showUrgent && (
            <div class="urgent-dm" role="alert" data-urgent-dm={urgent.conversationId}>
              <span class="urgent-dm-icon" aria-hidden="true">
                ✉
              </span>
              <span class="urgent-dm-text">
                {t('notify.newDirect')} <UserText text={conversationName(conversation, client.users.value)} />
              </span>
              <button type="button" class="urgent-dm-open" onClick={() => openConversation(urgent.conversationId)}>
                {t('notify.open')}
              </button>
              <button
                type="button"
                class="icon-button small"
                aria-label={t('app.close')}
                onClick={() => (urgentDirect.value = null)}
              >
                ×
              </button>
            </div>
          )}
          {askBanner.value && (
            <div class="ask-notify" role="region" aria-label={t('notify.askTitle')}>
              <BellIcon size={18} />
              <span class="ask-notify-text">{t('notify.askTitle')}</span>
              <button
                type="button"
                class="button button-brand button-small"
                onClick={() => void enableDesktopNotifications()}
              >
                {t('notify.enable')}
              </button>
              <button type="button" class="button button-small" onClick={dismissAskBanner}>
                {t('notify.notNow')}
              </button>
            </div>
          )}
        </div>
      )}
    </>
  );
}
