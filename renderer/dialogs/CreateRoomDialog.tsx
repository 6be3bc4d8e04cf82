import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { User } from '../../common/protocol/model.ts';
import { createRoom } from '../actions/rooms.ts';
import { t } from '../i18n/t.ts';
import { dialog } from '../state/uiState.ts';
import { Dialog } from './Dialog.tsx';
import { PeoplePicker } from './PeoplePicker.tsx';
import { RoomNameField } from './RoomNameField.tsx';

/** Creates a room: name, topic, open or closed, and the first people to invite. */
export function CreateRoomDialog(): JSX.Element {
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [kind, setKind] = useState<'open' | 'closed'>('open');
  const [people, setPeople] = useState<User[]>([]);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => (dialog.value = null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setError(t('dialog.createRoom.nameRequired'));
      return;
    }
    setBusy(true);
    const room = await createRoom({
      name: name.trim(),
      kind,
      ...(topic.trim() ? { topic: topic.trim() } : {}),
      ...(people.length ? { members: people.map((p) => p.id) } : {}),
    });
    setBusy(false);
    if (room === 'name-taken') setError(t('dialog.createRoom.nameTaken', { name: name.trim() }));
    else if (room) close();
  };

  return (
    <Dialog
      title={t('dialog.createRoom.title')}
      onClose={close}
      footer={
        <>
          <button type="button" class="button" onClick={close}>
            {t('app.cancel')}
          </button>
          <button type="submit" form="create-room" class="button button-brand" disabled={busy}>
            {t('dialog.createRoom.submit')}
          </button>
        </>
      }
    >
      <form id="create-room" class="form" onSubmit={submit} noValidate>
        <RoomNameField
          label={t('dialog.createRoom.name')}
          value={name}
          error={error}
          required
          onInput={(value) => {
            setName(value);
            setError('');
          }}
        />
        <label class="field">
          <span class="field-label">{t('dialog.createRoom.topic')}</span>
          <input value={topic} maxLength={500} onInput={(e) => setTopic(e.currentTarget.value)} />
        </label>
        <fieldset class="field">
          <legend class="field-label">{t('dialog.createRoom.kind')}</legend>
          <label class="radio">
            <input type="radio" name="kind" checked={kind === 'open'} onChange={() => setKind('open')} />
            {t('dialog.createRoom.open')}
          </label>
          <label class="radio">
            <input type="radio" name="kind" checked={kind === 'closed'} onChange={() => setKind('closed')} />
            {t('dialog.createRoom.closed')}
          </label>
        </fieldset>
        <div class="field">
          <span class="field-label">{t('dialog.createRoom.invite')}</span>
          <PeoplePicker
            label={t('dialog.people.search')}
            selected={people}
            onPick={(u) => setPeople([...people, u])}
            onUnpick={(u) => setPeople(people.filter((p) => p.id !== u.id))}
            actionLabel={(u) => t('dialog.people.add', { name: u.name })}
          />
        </div>
      </form>
    </Dialog>
  );
}
