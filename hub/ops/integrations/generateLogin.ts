import { loginProblem } from '../Accounts.ts';

// Russian (and the Cyrillic letters of Ukrainian, Belarusian and Kazakh names) to Latin, the way
// corporate e-mail and Active Directory logins are usually spelled (й → y, ю → yu, я → ya, ь and ъ
// dropped), not a reversible scheme: the login is only a readable handle.
const cyrillic: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  і: 'i', ї: 'yi', є: 'ye', ґ: 'g', ў: 'u', ә: 'a', ғ: 'g', қ: 'k', ң: 'n', ө: 'o', ұ: 'u', ү: 'u', һ: 'h',
}; // prettier-ignore

const maxLogin = 32;

/** Latin letters, digits and hyphens of one word of a name (accents stripped, Cyrillic transliterated). */
export function transliterate(word: string): string {
  let out = '';
  for (const ch of word.toLowerCase()) {
    const latin = cyrillic[ch];
    if (latin !== undefined) out += latin;
    else out += ch.normalize('NFKD').replace(/[^a-z0-9-]/g, '');
  }
  // A hyphen only between letters («Петров-Водкин»), never doubled or at an end.
  return out.replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * The login a name suggests: the first word (the surname, as 1C writes «Фамилия Имя Отчество»)
 * and the initials of the others, `«Иванов Иван Иванович»` → `ivanov.ii`, `«Ann Lee»` → `ann.l`;
 * `user` when nothing Latin is left of the name.
 */
export function loginBase(name: string): string {
  const words = name
    .split(/[\s,]+/)
    .map(transliterate)
    .filter((w) => w !== '');
  if (words.length === 0) return 'user';
  const [surname, ...rest] = words;
  const initials = rest.map((w) => w.replace(/-/g, '')[0] ?? '').join('');
  // Room for a numeric suffix (up to 4 digits) within the 32 characters.
  const head = surname!.slice(0, maxLogin - 4 - (initials ? initials.length + 1 : 0)).replace(/-+$/, '');
  const base = initials ? `${head}.${initials}` : head;
  return base.length >= 2 ? base : `${base}1`;
}

/**
 * The `attempt`-th login to try for a name (1: the base, then base2, base3…), or null when that
 * one cannot be a login (a reserved word): the store takes the first no account has, inside the
 * write that creates the account, so namesakes never share one.
 */
export function loginCandidate(name: string, attempt: number): string | null {
  const base = loginBase(name);
  const login = attempt === 1 ? base : `${base}${attempt}`;
  return login.length <= maxLogin && loginProblem(login) === undefined ? login : null;
}
