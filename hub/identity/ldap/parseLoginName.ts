import type { DirectorySettings } from './DirectorySettings.ts';

/** The directory login a typed sign-in name means, or why it means none here. */
export type ParsedLogin = { ok: true; name: string } | { ok: false; reason: string };

/**
 * Reads a Windows sign-in name in any of its three forms: `ivanov`, `CORP\ivanov` (the NetBIOS
 * domain must be the configured one) and `ivanov@corp.local` (the suffix must be one of
 * `upnSuffixes`). The result is lower-cased: it is the Beseda login as well.
 */
export function parseLoginName(
  typed: string,
  settings: Pick<DirectorySettings, 'netbiosDomain' | 'upnSuffixes'>,
): ParsedLogin {
  const text = typed.trim();
  const slash = text.indexOf('\\');
  if (slash >= 0) {
    const domain = text.slice(0, slash).toUpperCase();
    if (settings.netbiosDomain === undefined || domain !== settings.netbiosDomain)
      return { ok: false, reason: `the domain "${text.slice(0, slash).slice(0, 40)}" is not this hub's` };
    return plain(text.slice(slash + 1));
  }
  const at = text.lastIndexOf('@');
  if (at >= 0) {
    const suffix = text.slice(at + 1).toLowerCase();
    if (!settings.upnSuffixes.includes(suffix))
      return { ok: false, reason: `"@${suffix.slice(0, 60)}" is not one of this hub's sign-in suffixes` };
    return plain(text.slice(0, at));
  }
  return plain(text);
}

function plain(name: string): ParsedLogin {
  const lower = name.trim().toLowerCase();
  if (lower === '' || /[\\@]/.test(lower)) return { ok: false, reason: 'no login name' };
  return { ok: true, name: lower };
}
