import { isGeneralRoomAlias, roomNameKey } from './roomNameKey.ts';

/** The longest room name, in code points. */
export const maxRoomNameLength = 80;

/** Why a room name is refused; `reserved` is a valid name that only the general room may have. */
export type RoomNameProblem = 'empty' | 'too_long' | 'bidi' | 'invisible' | 'digits' | 'prefix' | 'reserved';

/** A name as the hub stores it and its look-alike key, or why it cannot be a room's name. */
export type RoomNameCheck =
  { ok: true; name: string; key: string } | { ok: false; problem: RoomNameProblem; reason: string };

/** Controls that reorder text (RLO, LRI, …): they can make a name read differently from its letters. */
const bidiControl = /\p{Bidi_Control}/u;

const spaces = /\p{White_Space}+/gu;

/**
 * Checks a room name typed by a person (the hub checks every name; a client may check while the
 * name is typed). Spaces of any kind become one space and the ends are trimmed. Refused: empty,
 * over {@link maxRoomNameLength}, text-direction controls, invisible characters (zero-width space,
 * joiners outside emoji, BOM, soft hyphen, other default-ignorable code points), only digits (the
 * send API reads digits as a room id), a leading `#` or `@` (they address rooms and people), and
 * the general room's aliases unless `general` is set.
 */
export function checkRoomName(input: string, options: { general?: boolean } = {}): RoomNameCheck {
  const bidi = bidiControl.exec(input);
  if (bidi) return refuse('bidi', `a room name cannot contain text-direction controls (${codePoint(bidi[0])})`);
  const hidden = invisibleCharacter(input);
  if (hidden !== undefined)
    return refuse('invisible', `a room name cannot contain invisible characters (${codePoint(hidden)})`);
  const name = input.normalize('NFC').replace(spaces, ' ').trim();
  const key = roomNameKey(name);
  if (name === '' || key === '') return refuse('empty', 'a room needs a name');
  if ([...name].length > maxRoomNameLength)
    return refuse('too_long', `a room name is at most ${maxRoomNameLength} characters`);
  if (/^\d+$/.test(name)) return refuse('digits', 'a room name cannot be only digits (digits name a room by its id)');
  if (/^[#@]/.test(name)) return refuse('prefix', 'a room name cannot start with "#" or "@"');
  if (!options.general && isGeneralRoomAlias(name))
    return refuse('reserved', `the name "${name}" is reserved for the general room`);
  return { ok: true, name, key };
}

/**
 * The first invisible character of a name, if any. The zero-width joiner and variation selectors
 * are part of emoji (🏳️‍🌈, ❤️), so they are allowed right after an emoji; anywhere else they
 * only hide a difference.
 */
function invisibleCharacter(input: string): string | undefined {
  const chars = [...input];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (/[\t\n\v\f\r\u0085]/.test(ch)) continue;
    if (!/[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}]/u.test(ch)) continue;
    const before = chars[i - 1] ?? '';
    const after = chars[i + 1] ?? '';
    const afterEmoji = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u.test(before);
    if ((ch === '\uFE0F' || ch === '\uFE0E') && /\p{Emoji}/u.test(before)) continue;
    if (ch === '\u200D' && afterEmoji && /\p{Extended_Pictographic}/u.test(after)) continue;
    return ch;
  }
  return undefined;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function refuse(problem: RoomNameProblem, reason: string): RoomNameCheck {
  return { ok: false, problem, reason };
}
