import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';

/** The sign-in password, with a button that shows or hides what was typed. */
export function PasswordField({ value, onInput }: { value: string; onInput: (value: string) => void }): JSX.Element {
  const [showPassword, setShowPassword] = useState(false);
  return (
    <label class="field">
      <span class="field-label">{t('signIn.password')}</span>
      <span class="password-field">
        <input
          name="password"
          type={showPassword ? 'text' : 'password'}
          autoComplete="current-password"
          value={value}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
        <button
          type="button"
          class="icon-button small"
          aria-label={showPassword ? t('signIn.hidePassword') : t('signIn.showPassword')}
          aria-pressed={showPassword}
          title={showPassword ? t('signIn.hidePassword') : t('signIn.showPassword')}
          onClick={() => setShowPassword(!showPassword)}
        >
          <Icon name={showPassword ? 'eyeOff' : 'eye'} size={18} />
        </button>
      </span>
    </label>
  );
}
