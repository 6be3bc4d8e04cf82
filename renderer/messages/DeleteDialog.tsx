import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { confirmDelete } from '../actions/editing.ts';
import { Dialog } from '../dialogs/Dialog.tsx';
import { guessGender } from '../i18n/guessGender.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { deleteTarget } from '../state/uiState.ts';
import { Translated, UserText } from '../ui/UserText.tsx';

/**
 * «Удалить сообщение?»: the confirmation before deleting a message of the conversation on screen.
 * For someone else's message (a room owner's or an administrator's delete) it names the author and
 * says the message goes for everyone. Cancel is the default focus: Enter alone deletes nothing.
 */
export function DeleteDialog({ conversationId }: { conversationId: number }): JSX.Element | null {
  const target = deleteTarget.value;
  const here = target !== null && target.conversationId === conversationId;
  const message = here ? client.messages.value[conversationId]?.items.find((m) => m.seq === target.seq) : undefined;
  const gone = here && (!message || !!message.deleted);
  // Deleted meanwhile (on another device, by the owner): nothing left to ask about.
  useEffect(() => {
    if (gone) deleteTarget.value = null;
  }, [gone]);
  if (!message || gone) return null;
  const me = client.me.value;
  const close = () => (deleteTarget.value = null);
  const mine = me !== null && message.senderId === me.id && !message.displayName;
  const author =
    message.displayName ?? client.users.value[message.senderId]?.name ?? t('user.unknown', { id: message.senderId });
  return (
    <Dialog
      title={t('msgActions.deleteTitle')}
      onClose={close}
      size="sm"
      footer={
        <>
          <button type="button" class="button" data-autofocus="" onClick={close}>
            {t('app.cancel')}
          </button>
          <button type="button" class="button button-danger" onClick={confirmDelete}>
            {t('msgActions.deleteConfirm')}
          </button>
        </>
      }
    >
      <p class="delete-warning">
        {mine ? (
          t('msgActions.deleteOwn')
        ) : (
          <Translated
            k="msgActions.deleteOthers"
            params={{ name: <UserText text={author} />, gender: guessGender(author) }}
          />
        )}
      </p>
    </Dialog>
  );
}
