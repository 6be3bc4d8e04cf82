import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Conversation, User } from '../../common/protocol/model.ts';
import { notify } from '../actions/notify.ts';
import { invite, leaveRoom, removeMember, transferOwnership, updateRoom } from '../actions/rooms.ts';
import { openGeneral } from '../actions/conversations.ts';
import { useMembers } from '../components/useMembers.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { dialog } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { Translated, personLabel } from '../ui/UserText.tsx';
import { Dialog } from './Dialog.tsx';
import { RoomNameField } from './RoomNameField.tsx';
import { PeoplePicker, PersonLine } from './PeoplePicker.tsx';

function userOrPlaceholder(users: Record<number, User>, id: number): User {
  return (
    users[id] ?? {
      id,
      login: '',
      name: t('user.unknown', { id }),
      branch: null,
      isBot: false,
      isAdmin: false,
      disabled: false,
      presence: 'offline',
      lastSeen: null,
    }
  );
}

/** Room settings: name and topic, members (invite, remove), ownership transfer, leaving. */
export function RoomSettingsDialog({ conversation }: { conversation: Conversation }): JSX.Element {
  const me = client.me.value!;
  const users = client.users.value;
  const isOwner = conversation.ownerId === me.id;
  const canInvite = isOwner || conversation.kind === 'open';
  const { list, reload } = useMembers(conversation.id, conversation.memberCount);
  const [name, setName] = useState(conversation.name);
  const [topic, setTopic] = useState(conversation.topic);
  const [toInvite, setToInvite] = useState<User[]>([]);
  const [newOwner, setNewOwner] = useState<number | null>(null);
  const [confirm, setConfirm] = useState<'leave' | 'transfer' | null>(null);
  const [nameError, setNameError] = useState('');
  const close = () => (dialog.value = null);
  const others = (list ?? []).filter((m) => m.userId !== me.id);

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
    <Dialog
      title={<Translated k="dialog.settings.title" params={{ name: conversation.name }} />}
      onClose={close}
      size="lg"
    >
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

      <section class="settings-section" aria-labelledby="settings-members">
        <h3 id="settings-members">
          {t('dialog.settings.members')} <span class="count">{list ? list.length : '…'}</span>
        </h3>
        <ul class="member-list">
          {(list ?? []).map((m) => {
            const user = userOrPlaceholder(users, m.userId);
            return (
              <li key={m.userId} class="member">
                <PersonLine user={user} />
                {m.role === 'owner' && (
                  <span class="tag tag-owner">
                    <Icon name="crown" size={14} />
                    {t('members.owner')}
                  </span>
                )}
                {isOwner && m.userId !== me.id && (
                  <button
                    type="button"
                    class="button button-small"
                    aria-label={t('members.removeNamed', { name: personLabel(user) })}
                    onClick={async () => {
                      if (await removeMember(conversation.id, m.userId)) reload();
                    }}
                  >
                    {t('members.remove')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </section>

      {canInvite && (
        <section class="settings-section" aria-labelledby="settings-invite">
          <h3 id="settings-invite">{t('dialog.settings.invite')}</h3>
          <PeoplePicker
            label={t('dialog.people.search')}
            selected={toInvite}
            exclude={(list ?? []).map((m) => m.userId)}
            onPick={(u) => setToInvite([...toInvite, u])}
            onUnpick={(u) => setToInvite(toInvite.filter((p) => p.id !== u.id))}
            actionLabel={(u) => t('dialog.people.add', { name: u.name })}
          />
          {toInvite.length > 0 && (
            <div class="form-actions">
              <button
                type="button"
                class="button button-brand"
                onClick={async () => {
                  if (
                    await invite(
                      conversation.id,
                      toInvite.map((u) => u.id),
                    )
                  ) {
                    setToInvite([]);
                    reload();
                  }
                }}
              >
                {t('dialog.settings.inviteSubmit')}
              </button>
            </div>
          )}
        </section>
      )}

      {isOwner && others.length > 0 && (
        <section class="settings-section" aria-labelledby="settings-transfer">
          <h3 id="settings-transfer">{t('dialog.settings.transfer')}</h3>
          <div class="inline-form">
            <select
              aria-label={t('dialog.settings.transferTo')}
              value={newOwner ?? ''}
              onChange={(e) => {
                setNewOwner(Number(e.currentTarget.value) || null);
                setConfirm(null);
              }}
            >
              <option value="">{t('dialog.settings.chooseMember')}</option>
              {others.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {personLabel(userOrPlaceholder(users, m.userId))}
                </option>
              ))}
            </select>
            <button type="button" class="button" disabled={newOwner === null} onClick={() => setConfirm('transfer')}>
              {t('dialog.settings.transferSubmit')}
            </button>
          </div>
          {confirm === 'transfer' && newOwner !== null && (
            <div class="confirm" role="alert">
              <p>
                <Translated
                  k="dialog.settings.transferConfirm"
                  params={{ name: personLabel(userOrPlaceholder(users, newOwner)) }}
                />
              </p>
              <button
                type="button"
                class="button button-brand"
                onClick={async () => {
                  if (await transferOwnership(conversation.id, newOwner)) {
                    setConfirm(null);
                    setNewOwner(null);
                    reload();
                  }
                }}
              >
                {t('dialog.settings.transferSubmit')}
              </button>
              <button type="button" class="button" onClick={() => setConfirm(null)}>
                {t('app.cancel')}
              </button>
            </div>
          )}
        </section>
      )}

      <section class="settings-section danger-zone">
        {confirm === 'leave' ? (
          <div class="confirm" role="alert">
            <p>
              <Translated k="dialog.settings.leaveConfirm" params={{ name: conversation.name }} />
            </p>
            <button
              type="button"
              class="button button-danger"
              onClick={async () => {
                if (await leaveRoom(conversation.id)) {
                  close();
                  openGeneral();
                }
              }}
            >
              {t('dialog.settings.leave')}
            </button>
            <button type="button" class="button" onClick={() => setConfirm(null)}>
              {t('app.cancel')}
            </button>
          </div>
        ) : (
          <button type="button" class="button button-danger-outline" onClick={() => setConfirm('leave')}>
            <Icon name="leave" />
            {t('dialog.settings.leave')}
          </button>
        )}
      </section>
    </Dialog>
  );
}
