import type { JSX } from 'preact';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';

const encoder = new TextEncoder();

/** From this share of the hub's limit on, the message box shows how large the message is. */
const showFrom = 0.9;

/** The text as it will be sent (what sendMessage and saveEdit trim), measured as the hub does: UTF-8 bytes. */
export function textBytes(wire: string): number {
  return encoder.encode(wire.replace(/^\s*\n|\s+$/g, '')).length;
}

/**
 * The size of the message and the hub's limit when the text is over the limit (the send is then
 * refused here, with both stated); null when it fits or no limit is known yet.
 */
export function oversize(wire: string): { n: number; max: number } | null {
  const max = client.limits.value?.maxTextBytes;
  if (!max) return null;
  const n = textBytes(wire);
  return n > max ? { n, max } : null;
}

/** A number as the UI language writes it («16 384»). */
export function formatCount(n: number): string {
  return new Intl.NumberFormat(language.value === 'ru' ? 'ru-RU' : 'en-US').format(n);
}

/**
 * «14 900 / 16 384 байт» under the message box once the text passes ~90 % of the hub's
 * `maxTextBytes` (a long message pasted from a document), red over it. Messages are measured in
 * bytes, not letters: a Cyrillic letter takes two.
 */
export function ComposerByteCounter({ wire }: { wire: string }): JSX.Element | null {
  const max = client.limits.value?.maxTextBytes;
  if (!max || wire.length * 3 < max * showFrom) return null;
  const n = textBytes(wire);
  if (n < max * showFrom) return null;
  const params = { n: formatCount(n), max: formatCount(max) };
  const over = n > max;
  return (
    <span
      class={over ? 'composer-bytes over' : 'composer-bytes'}
      aria-label={t('mentions.bytesLabel', params)}
      title={t('mentions.bytesLabel', params)}
    >
      {over ? t('mentions.bytesOver', params) : t('mentions.bytes', params)}
    </span>
  );
}
