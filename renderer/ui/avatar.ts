import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';

/** How many avatar colours the stylesheet defines (`.avatar.c0` … `.avatar.c11`). */
export const avatarColorCount = 12;

/** Up to two initials of a name: "Иван Петров" → "ИП", "bot" → "B" (direction controls ignored). */
export function initials(name: string): string {
  const words = neutraliseBidi(name, 'strip')
    .trim()
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  const letters = words.slice(0, 2).map((w) => [...w.replace(/^[^\p{L}\p{N}]+/u, '')][0] ?? '');
  return letters.join('').toUpperCase() || '?';
}

/** A stable colour index for a user, so the same person always gets the same avatar colour. */
export function avatarColor(seed: number | string): number {
  const s = String(seed);
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % avatarColorCount;
}
