import type { ComponentChildren, JSX } from 'preact';
import { isMuted, notifyLevel } from '../../common/client/classifyMessage.ts';
import type { Conversation, NotifyLevel } from '../../common/protocol/model.ts';
import { setConversationNotify } from '../actions/notifySettings.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { now } from '../state/clock.ts';
import { MenuChoice } from '../ui/MenuChoice.tsx';
import { MenuGroup } from '../ui/MenuGroup.tsx';
import { menuKeyDown } from '../ui/menuKeyDown.ts';
import { useMenuButton } from '../ui/useMenuButton.ts';
import { BellIcon } from './BellIcon.tsx';
import { hourMs, muteEndText, tomorrowMorning } from '../../common/client/muteTimes.ts';
import { setSoundOn, soundOn } from './notifySound.ts';
import { enableDesktopNotifications, notifyPermission, webNotificationsActive } from './webNotifications.ts';
import '../styles/notify.css';

const levels: NotifyLevel[] = ['all', 'mentions', 'none'];
const levelKey = { all: 'notify.levelAll', mentions: 'notify.levelMentions', none: 'notify.levelNone' } as const;

/** What the header's bell says about a conversation now: «Без звука до 15:00», «Только упоминания»… */
export function notifySummary(conversation: Conversation, at: number): string {
  if (isMuted(conversation, at))
    return conversation.mutedUntil == null
      ? t('notify.muted')
      : t('notify.mutedUntil', { time: muteEndText(conversation.mutedUntil, at, language.value) });
  return t(levelKey[notifyLevel(conversation)]);
}

/**
 * The conversation header's bell: a menu of the user's notification settings for this
 * conversation, stored on the hub (every device and browser follows): the level (all messages /
 * only mentions and direct messages / nothing) and a mute (1 h, 8 h, until tomorrow 08:00,
 * until unmuted) or unmute. In the web client, also this browser's sound switch and, while the
 * browser has not been asked, «Включить уведомления на рабочем столе». Arrows, Home/End, Escape.
 */
export function NotifyMenu({ conversation }: { conversation: Conversation }): JSX.Element {
  const { open, setOpen, menuRef, buttonRef, close } = useMenuButton();
  const at = now.value;
  const muted = isMuted(conversation, at);
  const level = notifyLevel(conversation);
  const summary = notifySummary(conversation, at);

  const pick = (change: Parameters<typeof setConversationNotify>[1]) => {
    close();
    void setConversationNotify(conversation.id, change);
  };
  const onKeyDown = (e: KeyboardEvent) => menuKeyDown(e, menuRef.current!, close, () => close(false));

  return (
    <div class="notify-menu-wrap">
      <button
        ref={buttonRef}
        type="button"
        class={muted || level === 'none' ? 'icon-button notify-button quiet' : 'icon-button notify-button'}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`${t('notify.menu')}: ${summary}`}
        title={`${t('notify.menu')}: ${summary}`}
        data-notify-summary={summary}
        onClick={() => setOpen(!open)}
      >
        <BellIcon off={muted || level === 'none'} />
      </button>
      {open && (
        <div ref={menuRef} class="menu notify-menu" role="menu" aria-label={t('notify.menu')} onKeyDown={onKeyDown}>
          <MenuGroup label={t('notify.levelHeading')}>
            {/* A direct conversation is all addressed to the user: mentions-only would mean the same as all. */}
            {levels
              .filter((l) => conversation.kind !== 'direct' || l !== 'mentions')
              .map((l) => (
                <MenuChoice key={l} checked={level === l} label={t(levelKey[l])} onPick={() => pick({ notify: l })} />
              ))}
          </MenuGroup>
          <MenuGroup label={muted ? summary : t('notify.muteHeading')}>
            {muted && (
              <Item onPick={() => pick({ mutedUntil: 0 })}>
                <BellIcon size={16} />
                {t('notify.unmute')}
              </Item>
            )}
            <Item onPick={() => pick({ mutedUntil: Date.now() + hourMs })}>{t('notify.muteHour')}</Item>
            <Item onPick={() => pick({ mutedUntil: Date.now() + 8 * hourMs })}>{t('notify.mute8Hours')}</Item>
            <Item onPick={() => pick({ mutedUntil: tomorrowMorning(Date.now()) })}>{t('notify.muteTomorrow')}</Item>
            <Item onPick={() => pick({ mutedUntil: null })}>{t('notify.muteForever')}</Item>
          </MenuGroup>
          {webNotificationsActive.value && (
            <MenuGroup label={t('notify.browserHeading')}>
              <MenuChoice
                role="menuitemcheckbox"
                checked={soundOn.value}
                label={t('notify.sound')}
                onPick={() => setSoundOn(!soundOn.value)}
              />
              {notifyPermission.value === 'default' && (
                <Item
                  onPick={() => {
                    close();
                    void enableDesktopNotifications();
                  }}
                >
                  {t('notify.enableDesktop')}
                </Item>
              )}
              {(notifyPermission.value === 'denied' || notifyPermission.value === 'unsupported') && (
                <p class="menu-note">
                  {t(notifyPermission.value === 'denied' ? 'notify.blocked' : 'notify.unsupported')}
                </p>
              )}
            </MenuGroup>
          )}
        </div>
      )}
    </div>
  );
}

function Item({ onPick, children }: { onPick: () => void; children: ComponentChildren }): JSX.Element {
  return (
    <button type="button" role="menuitem" class="menu-item" tabIndex={-1} onClick={onPick}>
      {children}
    </button>
  );
}
