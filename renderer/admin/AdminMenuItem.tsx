import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { Icon } from '../ui/Icon.tsx';
import { openAdmin } from './adminRoute.ts';

/**
 * «Администрирование» in my status menu, for administrators only (the hub refuses everyone else's
 * `admin` requests anyway; this only keeps the entry out of their sight).
 */
export function AdminMenuItem({ close }: { close: (refocus?: boolean) => void }): JSX.Element | null {
  if (!client.me.value?.isAdmin) return null;
  return (
    <div class="menu-group">
      <button
        type="button"
        role="menuitem"
        class="menu-item"
        tabIndex={-1}
        data-menu="admin"
        onClick={() => {
          close(false);
          openAdmin();
        }}
      >
        <Icon name="gear" size={16} />
        {t('admin.menu')}
      </button>
    </div>
  );
}
