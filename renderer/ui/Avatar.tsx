import type { JSX } from 'preact';
import type { PresenceStatus } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { t } from '../i18n/t.ts';
import { avatarColor, initials } from './avatar.ts';

/**
 * A coloured circle with a person's initials; the colour is derived from the user id. `title` is
 * the hover hint (the name with the login, see `personLabel`).
 */
export function Avatar({
  name,
  seed,
  size = 'md',
  presence,
  title,
}: {
  name: string;
  seed: number | string;
  size?: 'sm' | 'md' | 'lg';
  presence?: PresenceStatus | undefined;
  title?: string | undefined;
}): JSX.Element {
  return (
    <span
      class={`avatar avatar-${size} c${avatarColor(seed)}`}
      aria-hidden="true"
      title={title && neutraliseBidi(title)}
    >
      {initials(name)}
      {presence && <PresenceDot status={presence} decorative />}
    </span>
  );
}

/** A small presence dot: green online, amber away, red do-not-disturb, hollow offline. */
export function PresenceDot({ status, decorative }: { status: PresenceStatus; decorative?: boolean }): JSX.Element {
  return decorative ? (
    <span class={`presence presence-${status}`} data-presence={status} />
  ) : (
    <span
      class={`presence presence-${status}`}
      data-presence={status}
      role="img"
      aria-label={t(`presence.${status}`)}
    />
  );
}
