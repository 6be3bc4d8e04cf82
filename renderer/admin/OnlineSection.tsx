import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';
import { PresenceDot } from '../ui/Avatar.tsx';
import { UserText } from '../ui/UserText.tsx';
import { useAdminQuery } from './useAdminQuery.ts';

interface OnlinePerson {
  id: number;
  login: string;
  name: string;
  branch: string | null;
  presence: 'online' | 'away' | 'dnd';
}

/** Who is connected now (online, away, do not disturb), by name. */
export function OnlineSection(): JSX.Element {
  const q = useAdminQuery<{ users: OnlinePerson[] }>('online.list');
  const people = [...(q.data?.users ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  return (
    <section class="admin-section" data-section="online">
      <div class="admin-toolbar">
        <p>{q.data ? t('admin.online.count', { n: people.length }) : ''}</p>
        <button type="button" class="button button-small" onClick={q.reload}>
          {t('admin.refresh')}
        </button>
      </div>
      {q.error && <p class="field-error">{q.error}</p>}
      <ul class="admin-list">
        {people.map((p) => (
          <li key={p.id} data-online={p.login}>
            <div class="admin-person">
              <PresenceDot status={p.presence} />
              <UserText text={p.name} />
              <span class="admin-sub">
                {p.login} · {p.branch ?? '—'} · {t(`status.${p.presence}`)}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
