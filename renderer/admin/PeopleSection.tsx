import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import { fullDateTime } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { client } from '../state/clientState.ts';
import { hubAddress } from './hubAddress.ts';
import { UserText } from '../ui/UserText.tsx';
import { AddPersonForm } from './AddPersonForm.tsx';
import { AdminTableHead } from './AdminTableHead.tsx';
import { EditPersonForm } from './EditPersonForm.tsx';
import { runAction } from './runAction.ts';
import { SecretOnce } from './SecretOnce.tsx';
import { useAdminQuery } from './useAdminQuery.ts';

/** An account as `user.list` answers it. */
export interface AdminAccount {
  id: number;
  login: string;
  name: string;
  branch: string | null;
  position?: string;
  email: string | null;
  isAdmin: boolean;
  isBot: boolean;
  disabled: boolean;
}

/** Whether a person matches the search text (name, login, branch, position). */
function matches(a: AdminAccount, query: string): boolean {
  const q = query.trim().toLocaleLowerCase('ru');
  if (!q) return true;
  return [a.name, a.login, a.branch ?? '', a.position ?? ''].some((f) => f.toLocaleLowerCase('ru').includes(q));
}

/** People: search, add, change a card, reset a password, disable and enable. */
export function PeopleSection(): JSX.Element {
  const list = useAdminQuery<{ users: AdminAccount[] }>('user.list');
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);

  const people = (list.data?.users ?? []).filter((a) => !a.isBot && matches(a, query));
  const resetPassword = async (login: string) => {
    if (!confirm(t('admin.people.resetConfirm', { login }))) return;
    const r = await runAction<{ generatedPassword?: string }>('user.passwd', { login });
    if (r?.generatedPassword)
      setSecret({ label: t('admin.people.passwordFor', { login }), value: r.generatedPassword });
  };
  const setDisabled = async (a: AdminAccount, disabled: boolean) => {
    if (disabled && !confirm(t('admin.people.disableConfirm', { name: a.name }))) return;
    const done = t(disabled ? 'admin.people.disabledDone' : 'admin.people.enabledDone', { name: a.name });
    if (await runAction(disabled ? 'user.disable' : 'user.enable', { login: a.login }, done)) list.reload();
  };

  const setAdmin = async (a: AdminAccount, admin: boolean) => {
    if (!confirm(t(admin ? 'admin.people.grantConfirm' : 'admin.people.revokeConfirm', { name: a.name }))) return;
    if (await runAction('user.setAdmin', { login: a.login, admin }, t('admin.saved'))) list.reload();
  };
  const invite = async (a: AdminAccount) => {
    const r = await runAction<{ code: string; expiresAt: number }>('user.invite', { login: a.login });
    if (r)
      setSecret({
        label: t('admin.people.inviteFor', { login: a.login, until: fullDateTime(r.expiresAt, language.value) }),
        value: hubAddress(`/invite/${r.code}`),
      });
  };
  const me = client.me.value?.login;

  return (
    <section class="admin-section" data-section="people">
      <div class="admin-toolbar">
        <label class="field admin-search">
          <span class="field-label">{t('admin.people.search')}</span>
          <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </label>
        <button type="button" class="button button-brand" onClick={() => setAdding(!adding)} aria-expanded={adding}>
          {t('admin.people.add')}
        </button>
      </div>
      {adding && (
        <AddPersonForm
          onDone={(login, password) => {
            setAdding(false);
            if (password) setSecret({ label: t('admin.people.passwordFor', { login }), value: password });
            list.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {secret && <SecretOnce label={secret.label} value={secret.value} onClose={() => setSecret(null)} />}
      {list.error && <p class="field-error">{list.error}</p>}
      <div class="admin-table-wrap">
        <table class="admin-table">
          <AdminTableHead
            columns={[
              t('admin.people.name'),
              t('admin.people.branch'),
              t('admin.people.position'),
              t('admin.people.state'),
            ]}
          />
          <tbody>
            {people.map((a) =>
              editing === a.login ? (
                <tr key={a.id}>
                  <td colSpan={5}>
                    <EditPersonForm
                      account={a}
                      onDone={() => {
                        setEditing(null);
                        list.reload();
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={a.id} data-login={a.login} class={a.disabled ? 'admin-row-off' : undefined}>
                  <td>
                    <UserText text={a.name} />
                    <div class="admin-sub">{a.login}</div>
                  </td>
                  <td>{a.branch ?? '—'}</td>
                  <td>{a.position ?? '—'}</td>
                  <td>
                    {a.disabled ? t('admin.people.disabled') : t('admin.people.active')}
                    {a.isAdmin && <span class="admin-badge">{t('admin.people.admin')}</span>}
                  </td>
                  <td>
                    <div class="admin-actions">
                      <button type="button" class="button button-small" onClick={() => setEditing(a.login)}>
                        {t('admin.edit')}
                      </button>
                      {!a.disabled && (
                        <button type="button" class="button button-small" onClick={() => void invite(a)}>
                          {t('admin.people.invite')}
                        </button>
                      )}
                      <button type="button" class="button button-small" onClick={() => void resetPassword(a.login)}>
                        {t('admin.people.resetPassword')}
                      </button>
                      <button
                        type="button"
                        class={a.disabled ? 'button button-small' : 'button button-small button-danger-outline'}
                        onClick={() => void setDisabled(a, !a.disabled)}
                      >
                        {a.disabled ? t('admin.people.enable') : t('admin.people.disable')}
                      </button>
                      {a.login !== me && (
                        <button type="button" class="button button-small" onClick={() => void setAdmin(a, !a.isAdmin)}>
                          {a.isAdmin ? t('admin.people.revokeAdmin') : t('admin.people.grantAdmin')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
        {list.data && people.length === 0 && <p class="admin-empty">{t('admin.people.none')}</p>}
      </div>
    </section>
  );
}
