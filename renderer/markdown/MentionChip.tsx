/** @jsxImportSource preact */
// The pragma repeats tsconfig for vitest, which compiles this file for the unit tests without it.
import type { JSX } from 'preact';
import { client } from '../state/clientState.ts';
import { loginMap } from '../state/selectors.ts';
import { userForWord } from '../text/mentions.ts';
import { lookUpLogin } from './lookUpLogin.ts';

/**
 * An `@login` in a message, shown as a chip with the person's current name (`@Иван Петров`; the
 * login in its hint), old messages too: the text on the wire keeps the login, the name is looked
 * up when shown, so a renamed person shows their new name. A login nobody known has (or `@all`)
 * stays as written (the hub's directory is asked about it once; when it knows the login, the chip
 * appears). The reader's own mentions (and `@all`) are marked.
 */
export function MentionChip({
  text,
  login,
  myLogin,
}: {
  text: string;
  login: string;
  myLogin?: string | undefined;
}): JSX.Element {
  const lower = login.toLocaleLowerCase('ru');
  const found = lower === 'all' || lower === 'here' ? null : userForWord(login, loginMap(client.users.value));
  const user = found?.user ?? null;
  const who = (user?.login ?? login).toLocaleLowerCase('ru');
  const me = lower === 'all' || lower === 'here' || who === myLogin?.toLocaleLowerCase('ru');
  const cls = `mention${me ? ' mention-me' : ''}${user ? ' mention-chip' : ''}`;
  if (!user) {
    // Asked while connected only: offline the search would fail (and say so in a notice).
    const online = client.connection.value === 'connected';
    if (lower !== 'all' && lower !== 'here' && online) lookUpLogin(login.replace(/[._-]+$/, ''));
    return <span class={cls}>{text}</span>;
  }
  // Whatever followed the login (a trailing "." the hub does not count) stays after the chip.
  const rest = text.slice(1 + found!.length);
  return (
    <>
      <span class={cls} title={`@${user.login}`} data-login={user.login}>
        <bdi>@{user.name}</bdi>
      </span>
      {rest}
    </>
  );
}
