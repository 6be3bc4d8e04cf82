import type { JSX } from 'preact';
import { backend } from '../backend/currentBackend.ts';
import { t } from '../i18n/t.ts';
import { ChoosePasswordForm } from './ChoosePasswordForm.tsx';
import { passwordErrorText } from './passwordErrorText.ts';

/**
 * The sign-in's second step when IT set the password (a CSV's initial one): the person chooses
 * their own with the short-lived code the hub gave instead of a session; then they are signed in.
 * `expired` sends them back to the sign-in form (the code lasts 15 minutes).
 */
export function ForcedPasswordChange(props: { hub: string; changeCode: string; expired: () => void }): JSX.Element {
  const submit = async (password: string): Promise<string | null> => {
    const result = await backend().setInitialPassword(props.hub, props.changeCode, password);
    if (result.ok) return null;
    if (result.error.code === 'invitation_invalid') {
      props.expired();
      return t('account.forced.expired');
    }
    return passwordErrorText(result.error.code, result.error.message);
  };
  return (
    <div data-forced-change>
      <h2>{t('account.forced.title')}</h2>
      <p class="hint">{t('account.forced.text')}</p>
      <ChoosePasswordForm submitLabel={t('account.password.submit')} submit={submit} />
    </div>
  );
}
