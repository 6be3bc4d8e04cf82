const maxChars = 160;

/**
 * Message text as a native notification may carry it: one line, no control or bidi-override
 * characters (they could disguise who wrote what), at most 160 characters. On Linux, notification
 * daemons may interpret a subset of HTML in the body (links, images that would be fetched): angle
 * brackets and ampersands are replaced with look-alikes there, as an escape would show literally
 * on daemons without markup.
 */
export function notificationText(text: string, platform: NodeJS.Platform): string {
  let out = text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
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
