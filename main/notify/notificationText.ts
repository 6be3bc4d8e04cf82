import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';

const maxChars = 160;

/**
 * Message text (and the names in titles) as a native notification may carry it: one line, no
 * control or bidi characters (see {@link neutraliseBidi}; they could disguise who wrote what), at
 * most 160 characters. On Linux, notification daemons may interpret a subset of HTML in the body
 * (links, images that would be fetched): angle brackets and ampersands are replaced with
 * look-alikes there, as an escape would show literally on daemons without markup.
 */
export function notificationText(text: string, platform: NodeJS.Platform): string {
  // Stripped, not shown as markers like the app does: a notification is one short line.
  let out = neutraliseBidi(text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' '), 'strip')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...out];
  if (chars.length > maxChars)
    out = `${chars
      .slice(0, maxChars - 1)
      .join('')
      .trimEnd()}…`;
  if (platform === 'linux') out = out.replace(/</g, '‹').replace(/>/g, '›').replace(/&/g, '＆');
  return out;
}
