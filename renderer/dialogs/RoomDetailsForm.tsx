import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Conversation } from '../../common/protocol/model.ts';
import { notify } from '../actions/notify.ts';
import { updateRoom } from '../actions/rooms.ts';
import { t } from '../i18n/t.ts';
import { RoomNameField } from './RoomNameField.tsx';

/** Room settings, first section: name and topic, editable by the owner, read-only for the others. */
export function RoomDetailsForm({
  conversation,
  isOwner,
}: {
  conversation: Conversation;
  isOwner: boolean;
}): JSX.Element {
  const [name, setName] = useState(conversation.name);
  const [topic, setTopic] = useState(conversation.topic);
  const [nameError, setNameError] = useState('');

  const save = async (e: Event) => {
    e.preventDefault();
    const change: { name?: string; topic?: string } = {};
    if (name.trim() && name.trim() !== conversation.name) change.name = name.trim();
    if (topic.trim() !== conversation.topic) change.topic = topic.trim();
    if (Object.keys(change).length === 0) return;
    const result = await updateRoom(conversation.id, change);
    if (result === 'name-taken') setNameError(t('dialog.createRoom.nameTaken', { name: change.name ?? '' }));
    else if (result) notify(t('dialog.settings.saved'));
  };

  return (
    <form class="form" onSubmit={save}>
      {!isOwner && <p class="hint">{t('dialog.settings.ownerOnly')}</p>}
      <RoomNameField
        label={t('dialog.settings.name')}
        value={name}
        error={nameError}
        readOnly={!isOwner}
        onInput={(value) => {
          setName(value);
          setNameError('');
        }}
      />
      <label class="field">
        <span class="field-label">{t('dialog.settings.topic')}</span>
        <textarea
          value={topic}
          rows={2}
          maxLength={500}
          readOnly={!isOwner}
          onInput={(e) => setTopic(e.currentTarget.value)}
        />
      </label>
      {isOwner && (
        <div class="form-actions">
          <button type="submit" class="button button-brand">
            {t('app.save')}
          </button>
        </div>
      )}
    </form>
  );
}
