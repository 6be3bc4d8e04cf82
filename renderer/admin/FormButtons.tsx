import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';

/** The submit button of an admin form («Создать», «Сохранить»…) and «Отмена» beside it. */
export function FormButtons(props: { submit: string; busy?: boolean; onCancel: () => void }): JSX.Element {
  return (
    <div class="admin-actions">
      <button type="submit" class="button button-brand" disabled={props.busy}>
        {props.submit}
      </button>
      <button type="button" class="button" onClick={props.onCancel}>
        {t('admin.cancel')}
      </button>
    </div>
  );
}
