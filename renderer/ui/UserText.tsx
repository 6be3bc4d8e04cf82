/** @jsxImportSource preact */
// The pragma repeats tsconfig for vitest, which compiles this file for the unit tests without it.
import { Fragment } from 'preact';
import type { ComponentChildren, JSX } from 'preact';
import type { Gender } from '../../common/i18n/Entry.ts';
import type { Params } from '../../common/i18n/fillEntry.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { language } from '../i18n/language.ts';
import { translateParts } from '../i18n/translate.ts';
import type { MessageKey } from '../i18n/translate.ts';

/**
 * Text other people chose (a name, a room name, a topic, a card field) as it is shown: in a
 * `<bdi>`, so a right-to-left name cannot reorder the words around it, and with its direction
 * controls made visible (`⟨RLO⟩`), so `\u202Egnp.exe` can never read as `exe.png`. Always a text
 * node, never markup.
 */
export function UserText({
  text,
  class: cls,
  title,
}: {
  text: string;
  class?: string | undefined;
  title?: string | undefined;
}): JSX.Element {
  return (
    <bdi class={cls} title={title === undefined ? undefined : neutraliseBidi(title)}>
      {neutraliseBidi(text)}
    </bdi>
  );
}

/**
 * How a person is told apart from a namesake where there is room for only a hint (a `title`):
 * «Иван Иванов · ivanov». Logins are unique; display names are not.
 */
export function personLabel(user: { name: string; login: string }): string {
  const name = neutraliseBidi(user.name);
  return user.login ? `${name} · ${neutraliseBidi(user.login)}` : name;
}

/**
 * Names joined in the UI language's style ("Мария, Пётр и Анна"), each one isolated, with its
 * hover hint (the login, see {@link personLabel}) when given.
 */
export function NameList({ people }: { people: readonly { name: string; title?: string | undefined }[] }): JSX.Element {
  const list = new Intl.ListFormat(language.value, { style: 'long', type: 'conjunction' });
  let next = 0;
  return (
    <>
      {list.formatToParts(people.map((p) => p.name)).map((part, i) => {
        if (part.type !== 'element') return part.value;
        const person = people[next++];
        return <UserText key={i} text={part.value} title={person?.title} />;
      })}
    </>
  );
}

/** Values for {@link Translated}: user text (strings, isolated), numbers, or ready elements. */
export type NodeParams = Record<string, string | number | JSX.Element> & { gender?: Gender };

/**
 * A UI string whose placeholders are filled with user text: each string value becomes a
 * {@link UserText}, so names and room names inside a sentence are isolated and neutralised too.
 */
export function Translated({ k, params }: { k: MessageKey; params: NodeParams }): JSX.Element {
  const plain: Params = {};
  for (const [name, value] of Object.entries(params)) plain[name] = typeof value === 'object' ? '' : value;
  if (params.gender) plain.gender = params.gender;
  const parts = translateParts(language.value, k, plain);
  const nodes: ComponentChildren[] = parts.map((part, i) => {
    if (part.param === undefined) return part.text;
    const value = params[part.param];
    if (typeof value === 'string') return <UserText key={i} text={value} />;
    return typeof value === 'object' ? <Fragment key={i}>{value}</Fragment> : part.text;
  });
  return <>{nodes}</>;
}
