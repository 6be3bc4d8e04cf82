import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';

/**
 * A new password typed twice, with the policy's hint; `submit` resolves to the error to show (in
 * the person's language) or null when done. Used by the invitation page, the forced change at
 * sign-in and the Security dialog (with `current`, the present password, first).
 */
export function ChoosePasswordForm(props: {
  submitLabel: string;
  withCurrent?: boolean;
  submit(next: string, current: string): Promise<string | null>;
}): JSX.Element {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (next !== repeat) {
      setError(t('account.password.mismatch'));
      return;
    }
    setBusy(true);
    const problem = await props.submit(next, current);
    setBusy(false);
    setError(problem);
    if (!problem) {
      setCurrent('');
      setNext('');
      setRepeat('');
    }
  };

  const field = (name: string, label: string, value: string, set: (v: string) => void, auto: string) => (
    <label class="field">
      <span class="field-label">{label}</span>
      <input
        name={name}
        type="password"
        autoComplete={auto}
        value={value}
        required
        onInput={(e) => set(e.currentTarget.value)}
      />
    </label>
  );

  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      {error && (
        <div class="alert alert-error" role="alert" data-account-error>
          <Icon name="alert" size={18} />
          <span>{error}</span>
        </div>
      )}
      {props.withCurrent &&
        field('current-password', t('account.password.current'), current, setCurrent, 'current-password')}
      {field('new-password', t('account.password.new'), next, setNext, 'new-password')}
      {field('repeat-password', t('account.password.repeat'), repeat, setRepeat, 'new-password')}
      <p class="hint">{t('account.password.hint')}</p>
      <button
        type="submit"
        class="button button-brand button-wide"
        disabled={busy || !next || !repeat || (props.withCurrent === true && !current)}
      >
        {props.submitLabel}
      </button>
    </form>
  );
}
