import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';
import { securityOpen } from './securityOpen.ts';

/** «Безопасность» in my status menu: opens the dialog to change my password and see my sessions. */
export function SecurityMenuItem({ close }: { close: (refocus?: boolean) => void }): JSX.Element {
  return (
    <div class="menu-group">
      <button
        type="button"
        role="menuitem"
        class="menu-item"
        tabIndex={-1}
        data-menu="security"
        onClick={() => {
          close(false);
          securityOpen.value = true;
        }}
      >
        <Icon name="lock" size={16} />
        {t('account.menu')}
      </button>
    </div>
  );
}
