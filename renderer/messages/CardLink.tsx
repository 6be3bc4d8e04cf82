/** @jsxImportSource preact */
// The pragma repeats tsconfig for vitest, which compiles this file for the unit tests without it.
import type { ComponentChildren, JSX } from 'preact';
import { openLink } from '../actions/messaging.ts';
import { t } from '../i18n/t.ts';
import { checkLink, isSafeExternalUrl } from '../text/linkify.ts';
import { embedMode } from '../web/embedMode.ts';

/**
 * The address a card may link to: an http(s) address the app opens (see checkLink), as it will
 * really be opened; null for anything else (a card then shows the words without a link).
 */
export function cardHref(url: string | undefined): string | null {
  if (!url || !/^https?:\/\//i.test(url) || !isSafeExternalUrl(url)) return null;
  return checkLink(url)?.href ?? null;
}

/**
 * A link in a webhook's or bot's card (a title, an image shown as a link, a link button): opened
 * the way message links are (openLink: the system browser), never inside the app; its hover hint
 * is the address that really opens, and a host imitating another one is written out next to it.
 * Embedded in a 1C form it is a plain anchor with no handler, as message links are (see
 * embedMode): the form's `ПриНажатии` gets the click and its `href`. `href` must come from
 * {@link cardHref}.
 */
export function CardLink({
  href,
  class: cls,
  label,
  children,
}: {
  href: string;
  class?: string;
  /** An accessible name when the visible words are not enough (an image link). */
  label?: string;
  children: ComponentChildren;
}): JSX.Element {
  const target = checkLink(href);
  return (
    <a
      class={cls}
      href={href}
      title={href}
      aria-label={label}
      target="_blank"
      rel="noopener noreferrer"
      onClick={
        embedMode().embedded
          ? undefined
          : (e) => {
              e.preventDefault();
              openLink(href);
            }
      }
    >
      {children}
      {target?.lookalike && (
        <span class="link-real-host">
          {' ('}
          {t('link.realHost', { host: target.host })}
          {')'}
        </span>
      )}
    </a>
  );
}
