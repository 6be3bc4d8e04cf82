import { isPlainMailto } from '../../common/text/isPlainMailto.ts';

/**
 * Schemes a link may open outside the app. `e1c:` is 1C:Enterprise's own link (`e1c://server/base/#e1cib/…`):
 * staff click them in chat to open the document in 1C, which registers the scheme with the OS.
 * `tel:` is a colleague's phone on the profile card (the OS hands it to a softphone).
 */
const allowed = new Set(['http:', 'https:', 'mailto:', 'e1c:', 'tel:']);

/**
 * Checks a link before it goes to the OS (`shell.openExternal`): http, https, mailto, e1c or tel
 * only, a host for web and 1C links, a bare address for mail (no `?attach=`, `?body=`), digits for
 * a phone (an optional leading +, 3 to 20 digits, nothing else), no credentials
 * (`https://bank.ru@evil.example`), and the string the URL parser re-serialises rather than the
 * one given (so odd encodings cannot slip past the check). Returns null for anything else.
 */
export function safeExternalUrl(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 8192) return null;
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if (!allowed.has(url.protocol)) return null;
  if (url.protocol === 'tel:') return /^tel:\+?[0-9]{3,20}$/.test(url.href) ? url.href : null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  if (url.protocol === 'mailto:' && !isPlainMailto(input.trim())) return null;
  if (url.username || url.password) return null;
  const href = url.href;
  // The parser percent-encodes control characters; refuse any that survive regardless.
  if (/[\u0000-\u001f\u007f\s]/.test(href)) return null;
  return href;
}
