import type { SystemEvent } from '../../common/protocol/model.ts';
import { guessGender } from '../i18n/guessGender.ts';
import { translate } from '../i18n/translate.ts';
import type { Gender } from '../../common/i18n/Entry.ts';
import type { Lang } from '../../common/i18n/Lang.ts';
import type { MessageKey } from '../i18n/translate.ts';

/** A list of names in the language's style: "Мария, Пётр и Анна". */
export function joinNames(names: readonly string[], lang: Lang): string {
  return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(names);
}

/** What a system message says, before it is put into words: the string and its values. */
export interface SystemTemplate {
  key: MessageKey;
  actor: string;
  targets: string[];
  value: string;
  gender: Gender;
}

/** The string a system event is told with and the names and value that go into it. */
export function systemTemplate(event: SystemEvent, nameOf: (userId: number) => string): SystemTemplate {
  const actor = nameOf(event.actorId);
  const value = event.value ?? '';
  let key: MessageKey = `system.${event.event}`;
  if (event.event === 'topic' && !value.trim()) key = 'system.topicCleared';
  if (event.event === 'created' && !value.trim()) key = 'system.createdPlain';
  return { key, actor, targets: (event.targetIds ?? []).map(nameOf), value, gender: guessGender(actor) };
}

/**
 * A system message in the UI language, e.g. "Иван Петров пригласил: Мария Иванова". The verb
 * agrees with the actor when the name tells the gender (see {@link guessGender}).
 */
export function systemText(event: SystemEvent, nameOf: (userId: number) => string, lang: Lang): string {
  const { key, actor, targets, value, gender } = systemTemplate(event, nameOf);
  return translate(lang, key, { actor, targets: joinNames(targets, lang), value, gender });
}

/** The string and names of the typing line, or null when nobody is typing. */
export function typingTemplate(
  names: readonly string[],
): { key: MessageKey; params: Record<string, string | number> } | null {
  if (names.length === 0) return null;
  if (names.length === 1) return { key: 'typing.one', params: { a: names[0]!, n: 1 } };
  if (names.length === 2) return { key: 'typing.two', params: { a: names[0]!, b: names[1]!, n: 2 } };
  return { key: 'typing.many', params: { n: names.length } };
}

/** The typing line under the messages: "Иван печатает…", "Иван и Мария печатают…", "3 человека печатают…". */
export function typingText(names: readonly string[], lang: Lang): string {
  const template = typingTemplate(names);
  return template ? translate(lang, template.key, template.params) : '';
}
