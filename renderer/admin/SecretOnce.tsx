import type { JSX } from 'preact';
import { copyText } from '../actions/copyText.ts';
import { t } from '../i18n/t.ts';

/**
 * A password, token or webhook address the hub returns only once: shown in a read-only field
 * with a copy button and the warning that it will not be shown again.
 */
export function SecretOnce(props: { label: string; value: string; onClose: () => void }): JSX.Element {
  return (
    <div class="admin-secret" role="status">
      <label class="field">
        <span class="field-label">{props.label}</span>
        <input type="text" readOnly value={props.value} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <p class="field-help">{t('admin.secretOnce')}</p>
      <div class="admin-actions">
        <button type="button" class="button button-small" onClick={() => void copyText(props.value, t('admin.copied'))}>
          {t('admin.copy')}
        </button>
        <button type="button" class="button button-small" onClick={props.onClose}>
          {t('admin.secretDone')}
        </button>
      </div>
    </div>
  );
}
