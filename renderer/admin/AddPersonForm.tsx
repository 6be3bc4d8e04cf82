import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import { CheckField } from './CheckField.tsx';
import { FormButtons } from './FormButtons.tsx';
import { runAction } from './runAction.ts';
import { TextField } from './TextField.tsx';

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
      <TextField label={t('admin.people.login')} required maxLength={64} value={login} onInput={setLogin} />
      <TextField label={t('admin.people.name')} required maxLength={200} value={name} onInput={setName} />
      <TextField label={t('admin.people.branch')} maxLength={200} value={branch} onInput={setBranch} />
      <TextField label={t('admin.people.email')} type="email" maxLength={320} value={email} onInput={setEmail} />
      <CheckField label={t('admin.people.makeAdmin')} checked={admin} onChange={setAdmin} />
      <FormButtons submit={t('admin.create')} busy={busy} onCancel={props.onCancel} />
    </form>
  );
}
