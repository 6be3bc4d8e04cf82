import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import { runAction } from './runAction.ts';

/** The form that creates an account; the hub generates the first password, shown once. */
export function AddPersonForm(props: {
  onDone: (login: string, password: string | undefined) => void;
  onCancel: () => void;
}): JSX.Element {
  const [login, setLogin] = useState('');
  const [name, setName] = useState('');
  const [branch, setBranch] = useState('');
  const [email, setEmail] = useState('');
  const [admin, setAdmin] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const r = await runAction<{ user: { login: string }; generatedPassword?: string }>(
      'user.add',
      { login: login.trim(), name: name.trim(), branch: branch.trim() || null, email: email.trim() || null, admin },
      t('admin.people.added', { name: name.trim() }),
    );
    setBusy(false);
    if (r) props.onDone(r.user.login, r.generatedPassword);
  };

  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.people.add')}>
      <label class="field">
        <span class="field-label">{t('admin.people.login')}</span>
        <input required maxLength={64} value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field-label">{t('admin.people.name')}</span>
        <input required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field-label">{t('admin.people.branch')}</span>
        <input maxLength={200} value={branch} onInput={(e) => setBranch(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field-label">{t('admin.people.email')}</span>
        <input type="email" maxLength={320} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <label class="admin-check">
        <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.currentTarget.checked)} />
        {t('admin.people.makeAdmin')}
      </label>
      <div class="admin-actions">
        <button type="submit" class="button button-brand" disabled={busy}>
          {t('admin.create')}
        </button>
        <button type="button" class="button" onClick={props.onCancel}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}
