import type { JSX } from 'preact';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { dismissToast } from '../actions/notify.ts';
import { t } from '../i18n/t.ts';
import { toasts } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';

/** Short notices at the bottom: errors are announced at once, the rest politely. */
export function Toasts(): JSX.Element {
  return (
    <div class="toasts" aria-live="polite">
      {toasts.value.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
          <Icon name={toast.tone === 'error' ? 'alert' : 'check'} size={16} />
          <span>{neutraliseBidi(toast.text)}</span>
          <button
            type="button"
            class="icon-button small"
            aria-label={t('app.close')}
            onClick={() => dismissToast(toast.id)}
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
