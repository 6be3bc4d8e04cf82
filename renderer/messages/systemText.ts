import type { SystemEvent } from '../../common/protocol/model.ts';
import { guessGender } from '../i18n/guessGender.ts';
import { translate } from '../i18n/translate.ts';
import type { Lang, MessageKey } from '../i18n/translate.ts';

/** A list of names in the language's style: "Мария, Пётр и Анна". */
export function joinNames(names: readonly string[], lang: Lang): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(names);
}

/**
 * A system message in the UI language, e.g. "Иван Петров пригласил: Мария Иванова". The verb
 * agrees with the actor when the name tells the gender (see {@link guessGender}).
 */
export function systemText(event: SystemEvent, nameOf: (userId: number) => string, lang: Lang): string {
  const actor = nameOf(event.actorId);
  const targets = joinNames((event.targetIds ?? []).map(nameOf), lang);
  const value = event.value ?? '';
  let key: MessageKey = `system.${event.event}`;
  if (event.event === 'topic' && !value.trim()) key = 'system.topicCleared';
  if (event.event === 'created' && !value.trim()) key = 'system.createdPlain';
  return translate(lang, key, { actor, targets, value, gender: guessGender(actor) });
}

/** The typing line under the messages: "Иван печатает…", "Иван и Мария печатают…", "3 человека печатают…". */
export function typingText(names: readonly string[], lang: Lang): string {
  if (names.length === 0) return '';
  if (names.length === 1) return translate(lang, 'typing.one', { a: names[0]! });
  if (names.length === 2) return translate(lang, 'typing.two', { a: names[0]!, b: names[1]! });
  return translate(lang, 'typing.many', { n: names.length });
}
