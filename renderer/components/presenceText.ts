import type { User } from '../../common/protocol/model.ts';
import { lastSeenWhen } from '../format/dates.ts';
import { translate } from '../i18n/translate.ts';
import type { Lang } from '../../common/i18n/Lang.ts';

/** A person's presence in words: "в сети", "не беспокоить", "был(а) в сети 5 мин. назад". */
export function presenceText(user: User, now: number, lang: Lang): string {
  if (user.presence !== 'offline') return translate(lang, `presence.${user.presence}`);
  if (user.lastSeen === null) return translate(lang, 'presence.never');
  return translate(lang, 'presence.lastSeen', { when: lastSeenWhen(user.lastSeen, now, lang) });
}
