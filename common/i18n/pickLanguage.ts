import type { Lang } from './Lang.ts';

/**
 * The language to show: the first of `preferred` (language tags such as `ru-RU`, or OS locale
 * names such as `ru_RU`; most preferred first) whose base language `known` maps to one of ours,
 * else `fallback`. Each side passes its own map and fallback: the web client reads Russian for
 * anything it does not know, the desktop app English unless the system is Russian-speaking.
 */
export function pickLanguage(
  preferred: readonly string[],
  known: Readonly<Record<string, Lang>>,
  fallback: Lang,
): Lang {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_]/)[0] ?? '';
    // Own keys only: a tag like "constructor" must not find Object's prototype.
    if (Object.hasOwn(known, base)) return known[base]!;
  }
  return fallback;
}
