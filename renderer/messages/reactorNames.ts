import type { User } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import type { Lang } from '../../common/i18n/Lang.ts';
import { translate } from '../i18n/translate.ts';

/**
 * Who put a reaction, as one line for a chip's hint and accessible name: the user first as «Вы»,
 * then the others by name; past `max` names «… и ещё 3» («Иван Петров, Мария Соколова и ещё 3»).
 * Names are user text: their direction controls are made visible.
 */
export function reactorNames(
  userIds: readonly number[],
  users: Record<number, User>,
  meId: number | undefined,
  lang: Lang,
  max = 3,
): string {
  const ordered =
    meId !== undefined && userIds.includes(meId) ? [meId, ...userIds.filter((id) => id !== meId)] : [...userIds];
  const names = ordered.map((id) =>
    id === meId
      ? translate(lang, 'reactions.you')
      : neutraliseBidi(users[id]?.name ?? translate(lang, 'user.unknown', { id })),
  );
  if (names.length <= max) {
    if (names.length <= 1) return names.join('');
    return translate(lang, 'reactions.and', { names: names.slice(0, -1).join(', '), last: names[names.length - 1]! });
  }
  const shown = Math.max(1, max - 1);
  return translate(lang, 'reactions.andMore', { names: names.slice(0, shown).join(', '), n: names.length - shown });
}
