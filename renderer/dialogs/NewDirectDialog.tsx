import type { JSX } from 'preact';
import { openDirect } from '../actions/rooms.ts';
import { t } from '../i18n/t.ts';
import { dialog } from '../state/uiState.ts';
import { Dialog } from './Dialog.tsx';
import { PeoplePicker } from './PeoplePicker.tsx';

/** Starts (or reopens) a direct conversation with someone from the people directory. */
export function NewDirectDialog(): JSX.Element {
  const close = () => (dialog.value = null);
  return (
    <Dialog title={t('dialog.direct.title')} onClose={close} size="lg">
      <PeoplePicker
        autofocus
        label={t('dialog.direct.search')}
        actionLabel={(u) => t('dialog.direct.write', { name: u.name })}
        onPick={async (user) => {
          if (await openDirect(user.id)) close();
        }}
      />
    </Dialog>
  );
}
