import type { JSX } from 'preact';
import { setReadReceipts } from '../actions/profile.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { Icon } from '../ui/Icon.tsx';

/**
 * The read-receipts switch of my status menu («Отчёты о прочтении»): a menu checkbox. Off hides
 * from others when I have read their direct messages and hides theirs from me; every device of
 * mine follows (the hub's `settings` frame).
 */
export function ReceiptsMenuItem({ close }: { close: (refocus?: boolean) => void }): JSX.Element {
  const on = client.settings.value?.readReceipts ?? true;
  return (
    <div class="menu-group" role="group" aria-label={t('receipts.group')}>
      <div class="menu-heading" aria-hidden="true">
        {t('receipts.group')}
      </div>
      <button
        type="button"
        role="menuitemcheckbox"
        aria-checked={on}
        class="menu-item"
        tabIndex={-1}
        title={t('receipts.settingHint')}
        data-setting="read-receipts"
        onClick={() => {
          void setReadReceipts(!on);
          close();
        }}
      >
        <Icon name={on ? 'eye' : 'eyeOff'} size={16} />
        {t('receipts.setting')}
        {on && <Icon name="check" size={16} class="menu-check" />}
      </button>
    </div>
  );
}
