import { Fragment, type JSX } from 'preact';
import { useState } from 'preact/hooks';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { fullDateTime } from '../format/dates.ts';
import { UserText } from '../ui/UserText.tsx';
import { AdminTableHead } from './AdminTableHead.tsx';
import { CheckField } from './CheckField.tsx';
import { FormButtons } from './FormButtons.tsx';
import { RoomMembers } from './RoomMembers.tsx';
import { runAction } from './runAction.ts';
import { TextField } from './TextField.tsx';
import { useAdminQuery } from './useAdminQuery.ts';

/** A room as `room.list` answers it. */
export interface AdminRoom {
  id: number;
  kind: 'general' | 'open' | 'closed';
  name: string;
  ownerLogin: string | null;
  memberCount: number;
  lastMessageAt: number | null;
  archived: boolean;
}

/** Rooms: the list (or the archive), create, rename, archive and bring back. */
export function RoomsSection(): JSX.Element {
  const [archived, setArchived] = useState(false);
  const list = useAdminQuery<{ rooms: AdminRoom[] }>('room.list', { archived }, String(archived));
  const [adding, setAdding] = useState(false);
  const [open, setOpen] = useState<number | null>(null);

  const archive = async (room: AdminRoom, on: boolean) => {
    if (on && !confirm(t('admin.rooms.archiveConfirm', { name: room.name }))) return;
    const done = t(on ? 'admin.rooms.archived' : 'admin.rooms.unarchived', { name: room.name });
    if (await runAction(on ? 'room.archive' : 'room.unarchive', { room: String(room.id) }, done)) list.reload();
  };
  // An inline form, not prompt(): Electron has no prompt() (the desktop app shows this console too).
  const [renaming, setRenaming] = useState<number | null>(null);
  const rename = async (room: AdminRoom, name: string) => {
    if (!name || name === room.name) return setRenaming(null);
    if (await runAction('room.rename', { room: String(room.id), name }, t('admin.saved'))) {
      setRenaming(null);
      list.reload();
    }
  };

  return (
    <section class="admin-section" data-section="rooms">
      <div class="admin-toolbar">
        <CheckField label={t('admin.rooms.showArchive')} checked={archived} onChange={setArchived} />
        <button type="button" class="button button-brand" onClick={() => setAdding(!adding)} aria-expanded={adding}>
          {t('admin.rooms.add')}
        </button>
      </div>
      {adding && (
        <AddRoomForm
          onDone={() => {
            setAdding(false);
            list.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {list.error && <p class="field-error">{list.error}</p>}
      <div class="admin-table-wrap">
        <table class="admin-table">
          <AdminTableHead
            columns={[t('admin.rooms.name'), t('admin.rooms.owner'), t('admin.rooms.members'), t('admin.rooms.last')]}
          />
          <tbody>
            {(list.data?.rooms ?? []).map((r) => (
              <Fragment key={r.id}>
                <tr data-room={r.name}>
                  <td>
                    <UserText text={r.name} />
                    <div class="admin-sub">{t(`admin.rooms.kind.${r.kind}`)}</div>
                  </td>
                  <td>{r.ownerLogin ?? t('admin.rooms.managed')}</td>
                  <td>{r.memberCount}</td>
                  <td>{r.lastMessageAt === null ? '—' : fullDateTime(r.lastMessageAt, language.value)}</td>
                  <td>
                    <div class="admin-actions">
                      <button
                        type="button"
                        class="button button-small"
                        aria-expanded={open === r.id}
                        onClick={() => setOpen(open === r.id ? null : r.id)}
                      >
                        {t('admin.rooms.showMembers')}
                      </button>
                      {r.kind !== 'general' && !r.archived && (
                        <button type="button" class="button button-small" onClick={() => setRenaming(r.id)}>
                          {t('admin.rooms.rename')}
                        </button>
                      )}
                      {r.kind !== 'general' && (
                        <button
                          type="button"
                          class={r.archived ? 'button button-small' : 'button button-small button-danger-outline'}
                          onClick={() => void archive(r, !r.archived)}
                        >
                          {r.archived ? t('admin.rooms.unarchive') : t('admin.rooms.archive')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
                {renaming === r.id && (
                  <tr>
                    <td colSpan={5}>
                      <RenameForm
                        room={r}
                        onRename={(name) => void rename(r, name)}
                        onCancel={() => setRenaming(null)}
                      />
                    </td>
                  </tr>
                )}
                {open === r.id && (
                  <tr>
                    <td colSpan={5}>
                      <RoomMembers room={r} onOwnerChanged={list.reload} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
        {list.data?.rooms.length === 0 && <p class="admin-empty">{t('admin.rooms.none')}</p>}
      </div>
    </section>
  );
}

/** Creates a room with an owner (a login) or none (a room the hub manages), open or closed. */
function AddRoomForm(props: { onDone: () => void; onCancel: () => void }): JSX.Element {
  const [name, setName] = useState('');
  const [topic, setTopic] = useState('');
  const [owner, setOwner] = useState('');
  const [closed, setClosed] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const args: Record<string, unknown> = { name: name.trim(), topic: topic.trim(), closed };
    if (owner.trim()) args.owner = owner.trim();
    if (await runAction('room.add', args, t('admin.rooms.added', { name: name.trim() }))) props.onDone();
  };
  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.rooms.add')}>
      <TextField label={t('admin.rooms.name')} required maxLength={80} value={name} onInput={setName} />
      <TextField label={t('admin.rooms.topic')} maxLength={500} value={topic} onInput={setTopic} />
      <TextField label={t('admin.rooms.ownerLogin')} maxLength={64} value={owner} onInput={setOwner} />
      <CheckField label={t('admin.rooms.closed')} checked={closed} onChange={setClosed} />
      <FormButtons submit={t('admin.create')} onCancel={props.onCancel} />
    </form>
  );
}

/** The new name of a room, typed in place. */
function RenameForm(props: { room: AdminRoom; onRename: (name: string) => void; onCancel: () => void }): JSX.Element {
  const [name, setName] = useState(props.room.name);
  return (
    <form
      class="admin-form"
      aria-label={t('admin.rooms.renameOf', { room: props.room.name })}
      onSubmit={(e) => {
        e.preventDefault();
        props.onRename(name.trim());
      }}
    >
      <TextField label={t('admin.rooms.renamePrompt')} required maxLength={80} value={name} onInput={setName} />
      <FormButtons submit={t('admin.save')} onCancel={props.onCancel} />
    </form>
  );
}
