import type { JSX } from 'preact';
import { MenuAction } from '../components/MenuAction.tsx';
import { t } from '../i18n/t.ts';
import { securityOpen } from './securityOpen.ts';

/** «Безопасность» in my status menu: opens the dialog to change my password and see my sessions. */
export function SecurityMenuItem({ close }: { close: (refocus?: boolean) => void }): JSX.Element {
  return (
    <MenuAction
      icon="lock"
      label={t('account.menu')}
      name="security"
      close={close}
      onPick={() => {
        securityOpen.value = true;
      }}
    />
  );
}
