import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';
import { UserText } from '../ui/UserText.tsx';
import type { AdminRoom } from './RoomsSection.tsx';
import { runAction } from './runAction.ts';
import { useAdminQuery } from './useAdminQuery.ts';

interface ConsoleMember {
  userId: number;
  login: string;
  name: string;
  branch: string | null;
  owner: boolean;
}

/** A room's members (closed rooms too), and handing a room that has an owner to one of them. */
export function RoomMembers(props: { room: AdminRoom; onOwnerChanged: () => void }): JSX.Element {
  const { room } = props;
  const q = useAdminQuery<{ members: ConsoleMember[] }>('room.members', { room: String(room.id) }, String(room.id));
  // The general room and the rooms the hub manages have no owner to hand over.
  const canHandOver = room.kind !== 'general' && room.ownerLogin !== null && !room.archived;
  const handOver = async (m: ConsoleMember) => {
    if (!confirm(t('admin.rooms.ownerConfirm', { room: room.name, name: m.name }))) return;
    if (await runAction('room.owner', { room: String(room.id), login: m.login }, t('admin.saved'))) {
      q.reload();
      props.onOwnerChanged();
    }
  };
  return (
    <div class="admin-members" aria-label={t('admin.rooms.membersOf', { room: room.name })}>
      {q.error && <p class="field-error">{q.error}</p>}
      <ul class="admin-list">
        {(q.data?.members ?? []).map((m) => (
          <li key={m.userId} data-member={m.login}>
            <div>
              <UserText text={m.name} />{' '}
              <span class="admin-sub">
                {m.login}
                {m.branch ? ` · ${m.branch}` : ''}
              </span>
              {m.owner && <span class="admin-badge">{t('admin.rooms.ownerBadge')}</span>}
            </div>
            {canHandOver && !m.owner && (
              <div class="admin-actions">
                <button type="button" class="button button-small" onClick={() => void handOver(m)}>
                  {t('admin.rooms.makeOwner')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
