import { effect } from '@preact/signals';
import { isMuted, notifyLevel } from '../../common/client/classifyMessage.ts';
import { language } from '../i18n/language.ts';
import { translate } from '../i18n/translate.ts';
import { client } from '../state/clientState.ts';
import { drawFavicon } from './drawFavicon.ts';
import { badgeText, blinkTitle, unreadTitle } from './titleText.ts';

const blinkEveryMs = 1000;

function iconLink(): HTMLLinkElement {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.appendChild(link);
  }
  return link;
}

/**
 * Web client only (the desktop app has its tray and taskbar): the unread count in the tab title
 * ("(3) Беседа") and on the favicon, and a blinking title when a message arrives while the tab is
 * hidden (not for muted conversations or those set to nothing), until the user comes back.
 */
export function startWebExtras(): void {
  const link = iconLink();
  let normal = document.title;
  let lastLoud = 0;
  let lastIcon = '';
  let blink: ReturnType<typeof setInterval> | null = null;
  let step = 0;

  const stopBlink = () => {
    if (blink !== null) clearInterval(blink);
    blink = null;
    document.title = normal;
  };
  const startBlink = (alert: string) => {
    if (blink !== null) return;
    step = 0;
    document.title = blinkTitle(step, normal, alert);
    blink = setInterval(() => {
      step++;
      document.title = blinkTitle(step, normal, alert);
    }, blinkEveryMs);
  };

  effect(() => {
    const lang = language.value;
    const signedIn = client.me.value !== null;
    const total = signedIn ? client.totalUnread.value : 0;
    const mentions = signedIn ? client.totalMentions.value : 0;
    normal = unreadTitle(total, translate(lang, 'appName'));
    document.documentElement.lang = lang;
    if (blink === null) document.title = normal;
    const iconKey = `${badgeText(total)}|${mentions > 0}`;
    if (iconKey !== lastIcon) {
      lastIcon = iconKey;
      const url = drawFavicon(badgeText(total), mentions > 0);
      if (url) {
        link.type = 'image/png';
        link.href = url;
      }
    }
    // Muted conversations and those set to nothing count, quietly: only the others' unread blinks.
    const at = Date.now();
    const loud = signedIn
      ? Object.values(client.conversations.value).reduce(
          (n, c) => (isMuted(c, at) || notifyLevel(c) === 'none' ? n : n + c.unread),
          0,
        )
      : 0;
    if (loud > lastLoud && document.visibilityState === 'hidden') startBlink(translate(lang, 'web.newMessage'));
    if (total === 0) stopBlink();
    lastLoud = loud;
  });

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') stopBlink();
  });
}
