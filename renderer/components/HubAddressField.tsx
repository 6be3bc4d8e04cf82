import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';

/** The sign-in hub address: read-only, with a note saying so, when IT locked it in the deployment. */
export function HubAddressField(props: {
  value: string;
  locked: boolean;
  onInput: (value: string) => void;
}): JSX.Element {
  const { value, locked, onInput } = props;
  return (
    <label class="field">
      <span class="field-label">{t('signIn.hub')}</span>
      <input
        name="hub"
        type="url"
        inputMode="url"
        autoComplete="url"
        spellcheck={false}
        value={value}
        readOnly={locked}
        aria-describedby={locked ? 'hub-locked' : undefined}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {locked && (
        <span id="hub-locked" class="field-help">
          <Icon name="lock" size={14} />
          {t('signIn.hubLocked')}
        </span>
      )}
    </label>
  );
}
