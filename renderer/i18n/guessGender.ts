import type { Gender } from '../../common/i18n/Entry.ts';

// Russian first names that end in -а/-я but are male.
const maleInA = new Set([
  'никита',
  'илья',
  'кузьма',
  'фома',
  'лука',
  'савва',
  'данила',
  'гаврила',
  'саша',
  'женя',
  'миша',
  'паша',
  'дима',
  'вова',
  'коля',
  'ваня',
  'петя',
  'серёжа',
  'сережа',
  'лёша',
  'леша',
  'витя',
  'слава',
  'юра',
  'толя',
]);

function vote(word: string): { gender: 'm' | 'f'; strong: boolean } | null {
  if (!/^[а-яё-]{2,}$/.test(word)) return null;
  if (/(вна|чна)$/.test(word)) return { gender: 'f', strong: true };
  if (/(вич|ьич|ич)$/.test(word)) return { gender: 'm', strong: true };
  if (/(ова|ева|ёва|ина|ына|ская|цкая)$/.test(word)) return { gender: 'f', strong: true };
  if (/(ов|ев|ёв|ин|ын|ский|цкий)$/.test(word)) return { gender: 'm', strong: true };
  if (/[ая]$/.test(word)) return { gender: maleInA.has(word) ? 'm' : 'f', strong: false };
  if (/[бвгджзйклмнпрстфхцчшщ]$/.test(word)) return { gender: 'm', strong: false };
  return null;
}

/**
 * Guesses the grammatical gender of a Russian full name ("Иван Петров", "Петрова Мария
 * Ивановна") so a system message can say "пригласил" or "пригласила". Patronymics and surnames
 * decide; first names only when nothing else disagrees; anything unsure (or not Cyrillic) is `x`,
 * and the UI then uses the neutral "пригласил(а)".
 */
export function guessGender(fullName: string): Gender {
  const votes = fullName
    .toLowerCase()
    .split(/\s+/)
    .map(vote)
    .filter((v) => v !== null);
  const strong = new Set(votes.filter((v) => v.strong).map((v) => v.gender));
  if (strong.size === 1) return [...strong][0]!;
  if (strong.size > 1) return 'x';
  const weak = new Set(votes.map((v) => v.gender));
  return weak.size === 1 ? [...weak][0]! : 'x';
}
