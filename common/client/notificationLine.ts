import { neutraliseBidi } from '../text/neutraliseBidi.ts';

const maxChars = 160;

/**
 * Text as a notification (native or web) or a toast may carry it: one line, no control or bidi
 * characters (see {@link neutraliseBidi}; they could disguise who wrote what), at most 160
 * characters. Stripped, not shown as markers like the app does: a notification is one short line.
 */
export function notificationLine(text: string): string {
  const out = neutraliseBidi(text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' '), 'strip')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...out];
  if (chars.length <= maxChars) return out;
  return `${chars
    .slice(0, maxChars - 1)
    .join('')
    .trimEnd()}…`;
}
