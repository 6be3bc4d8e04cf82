/**
 * Room names are addressed by people and by integrations (`bot add --rooms`, `hook add --room`,
 * `"to": "#room"`), so two rooms must never have names that look the same: otherwise anyone could
 * create «Oбщий чaт» (Latin o and a) next to «Общий чат» and receive what was meant for the real
 * one. Uniqueness and look-ups compare this key, not the name as typed.
 */

/** Invisible or ignorable code points: dropped from a key (and refused in a new name). */
const ignorable = /[\p{Default_Ignorable_Code_Point}\p{Cf}]|[^\P{Cc}\t\n\v\f\r\u0085]/gu;

/** Every combining mark except the breve, which makes й (and ў) letters of their own. */
const marks = /(?!\u0306)\p{M}/gu;

/** Runs of any kind of space (no-break, thin, ideographic, tabs, line breaks). */
const spaces = /\p{White_Space}+/gu;

/**
 * Characters folded to one representative because they look alike in common fonts, once
 * lower-cased. Capitals count too, since the key ignores case: Latin B looks like Cyrillic В, so
 * b and в fold together although the small letters differ. Greek capitals that look Latin are
 * included, and the digits 0 (О) and 3 (З); i, l, і, ӏ and | are one (I, l, І, Ӏ).
 */
const lookalikes: ReadonlyMap<string, string> = new Map(
  Object.entries({
    a: 'а',
    α: 'а',
    b: 'в',
    β: 'в',
    c: 'с',
    ϲ: 'с',
    e: 'е',
    ε: 'е',
    h: 'н',
    η: 'н',
    һ: 'н',
    k: 'к',
    κ: 'к',
    m: 'м',
    μ: 'м',
    o: 'о',
    ο: 'о',
    '0': 'о',
    p: 'р',
    ρ: 'р',
    t: 'т',
    τ: 'т',
    x: 'х',
    χ: 'х',
    y: 'у',
    υ: 'у',
    ү: 'у',
    '3': 'з',
    i: 'і',
    l: 'і',
    ı: 'і',
    ι: 'і',
    ӏ: 'і',
    '|': 'і',
    ѕ: 's',
    ј: 'j',
    ԁ: 'd',
    ԛ: 'q',
    ԝ: 'w',
    ɡ: 'g',
    ν: 'n',
    ζ: 'z',
    ß: 'ss',
    ς: 'σ',
    // Dashes and minus signs, quotation marks, apostrophes.
    '\u2010': '-',
    '\u2011': '-',
    '\u2012': '-',
    '\u2013': '-',
    '\u2014': '-',
    '\u2015': '-',
    '\u2212': '-',
    '\u00ab': '"',
    '\u00bb': '"',
    '\u201c': '"',
    '\u201d': '"',
    '\u201e': '"',
    '\u201f': '"',
    '\u2033': '"',
    '\u2018': "'",
    '\u2019': "'",
    '\u201b': "'",
    '\u2032': "'",
    '\u02bc': "'",
    '`': "'",
    '\u00b4': "'",
  }),
);

/**
 * The key two room names share exactly when they look alike: Unicode compatibility forms folded
 * (NFKC: full-width letters, ligatures, mathematical letters), invisible and formatting characters
 * dropped (zero-width space and joiners, BOM, soft hyphen, bidi controls), lower-cased with Russian
 * rules, accents dropped (ё is е; й stays й), Latin/Cyrillic/Greek look-alikes folded to one
 * letter, and every run of spaces made one space, trimmed. Not a full UTS #39 skeleton: letters
 * from other scripts and multi-letter tricks (rn for m) are not folded.
 */
export function roomNameKey(name: string): string {
  const lowered = name.normalize('NFKC').replace(ignorable, '').toLocaleLowerCase('ru');
  const bare = lowered.normalize('NFD').replace(marks, '').normalize('NFC');
  let folded = '';
  for (const ch of bare) folded += lookalikes.get(ch) ?? ch;
  return folded.replace(spaces, ' ').trim();
}

/**
 * Names that always mean the general room, whatever it is called now: `#general`, `general`,
 * `all`, `все` and its first name «Общий чат» (which scripts and bots were configured with). No
 * other room may have a name with one of these keys.
 */
export const generalRoomAliases: readonly string[] = ['general', 'all', 'все', 'Общий чат'];

const aliasKeys = new Set(generalRoomAliases.map(roomNameKey));

/** Whether a name (or its key) is one of {@link generalRoomAliases}, compared by key. */
export function isGeneralRoomAlias(name: string): boolean {
  return aliasKeys.has(roomNameKey(name));
}
