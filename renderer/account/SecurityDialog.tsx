import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import './account.css';
import { backend } from '../backend/currentBackend.ts';
import { Dialog } from '../dialogs/Dialog.tsx';
import { t } from '../i18n/t.ts';
import { ChoosePasswordForm } from './ChoosePasswordForm.tsx';
import { MySessions } from './MySessions.tsx';
import { errorParts, passwordErrorText } from './passwordErrorText.ts';
import { securityOpen } from './securityOpen.ts';

/** The «Безопасность» dialog, when open: change my password, my sessions. */
export function SecurityDialogHost(): JSX.Element | null {
  return securityOpen.value ? <SecurityDialog /> : null;
}

function SecurityDialog(): JSX.Element {
  const [done, setDone] = useState(false);
  // The list is read again after a change: the other sessions have ended.
  const [reload, setReload] = useState(0);
  const submit = async (next: string, current: string): Promise<string | null> => {
    try {
      await backend().changePassword(current, next);
      setDone(true);
      setReload((n) => n + 1);
      return null;
    } catch (e) {
      setDone(false);
      const { code, message } = errorParts(e);
      return passwordErrorText(code, message);
    }
  };
  return (
    <Dialog title={t('account.title')} onClose={() => (securityOpen.value = false)} size="md">
      <section class="security-section" aria-labelledby="change-password" data-change-password>
        <h3 id="change-password">{t('account.password.title')}</h3>
        {done && (
          <p class="hint" role="status" data-password-changed>
            {t('account.password.done')}
          </p>
        )}
        <ChoosePasswordForm withCurrent submitLabel={t('account.password.submit')} submit={submit} />
      </section>
      <MySessions reload={reload} />
    </Dialog>
  );
}
