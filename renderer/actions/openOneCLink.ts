import { t } from '../i18n/t.ts';
import { backend } from '../backend/currentBackend.ts';
import { copyText } from './copyText.ts';

/**
 * What the web client posts to the page that frames it (a 1C form's HTML field in the 1C web
 * client) when a 1C link is clicked: `{ type: 'beseda.open1c', link }`, `link` as written in the
 * message (`e1cib/data/…` or `e1c://server/base/#e1cib/…`). The form opens it with
 * `ПерейтиПоНавигационнойСсылке`. Only pages the hub lets frame the client (its `frame-ancestors`)
 * can be the parent. Documented in docs/protocol.md («Ссылки 1С»).
 */
export interface OpenOneCMessage {
  type: 'beseda.open1c';
  link: string;
}

/**
 * Opens a 1C link clicked in a message. Inside a frame: handed to the framing 1C form
 * ({@link OpenOneCMessage}). In the desktop app: an `e1c://` link goes to the OS (which starts
 * 1C); if the app refuses it, it is copied instead. In a browser tab: an `e1c://` link is left
 * to the browser (the anchor's own `href`, which asks the OS). A bare `e1cib/…` link has no
 * server in it, so outside 1C it is copied, with a notice telling where to paste it.
 */
export function openOneCLink(link: string, href: string | null, event: Event): void {
  if (window.parent !== window) {
    event.preventDefault();
    const message: OpenOneCMessage = { type: 'beseda.open1c', link };
    window.parent.postMessage(message, '*');
    return;
  }
  const desktop = document.documentElement.classList.contains('desktop');
  if (href && !desktop) return;
  event.preventDefault();
  if (!href) {
    void copyText(link, t('onec.copied'));
    return;
  }
  backend()
    .openExternal(href)
    .catch(() => copyText(link, t('onec.copied')));
}
