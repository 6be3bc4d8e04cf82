import '../styles/profile.css';
import type { ComponentChildren, JSX } from 'preact';
import { openProfile } from '../actions/profile.ts';
import { t } from '../i18n/t.ts';

/**
 * A person's name or avatar that opens their profile card when clicked. The avatar's copy is
 * for the mouse only (`decorative`: out of the tab order and hidden from screen readers, the name
 * next to it is the one they reach). Without a `userId` (an integration's display name) the
 * children are shown as they are.
 */
export function ProfileButton({
  userId,
  name,
  decorative,
  children,
}: {
  userId: number | null;
  name: string;
  decorative?: boolean;
  children: ComponentChildren;
}): JSX.Element {
  if (userId === null) return <>{children}</>;
  return (
    <button
      type="button"
      class="profile-button"
      data-profile-user={userId}
      aria-label={decorative ? undefined : t('profile.open', { name })}
      aria-hidden={decorative ? 'true' : undefined}
      tabIndex={decorative ? -1 : undefined}
      onClick={(e) => {
        // The row's own click (focus, menus) must not also run.
        e.stopPropagation();
        openProfile(userId);
      }}
    >
      {children}
    </button>
  );
}
