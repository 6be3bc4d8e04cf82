import { notificationLine } from '../../common/client/notificationLine.ts';

/**
 * Message text (and the names in titles) as a native notification may carry it: the one short
 * line of {@link notificationLine}. On Linux, notification daemons may interpret a subset of HTML
 * in the body (links, images that would be fetched): angle brackets and ampersands are replaced
 * with look-alikes there, as an escape would show literally on daemons without markup.
 */
export function notificationText(text: string, platform: NodeJS.Platform): string {
  const out = notificationLine(text);
  return platform === 'linux' ? out.replace(/</g, '‹').replace(/>/g, '›').replace(/&/g, '＆') : out;
}
