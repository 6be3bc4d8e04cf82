import type { JSX } from 'preact';
import { MenuAction } from '../components/MenuAction.tsx';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { openAdmin } from './adminRoute.ts';

/**
 * «Администрирование» in my status menu, for administrators only (the hub refuses everyone else's
 * `admin` requests anyway; this only keeps the entry out of their sight).
 */
export function AdminMenuItem({ close }: { close: (refocus?: boolean) => void }): JSX.Element | null {
  if (!client.me.value?.isAdmin) return null;
  return <MenuAction icon="gear" label={t('admin.menu')} name="admin" close={close} onPick={() => openAdmin()} />;
}
