import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import type { AdminAccount } from './PeopleSection.tsx';
import { FormButtons } from './FormButtons.tsx';
import { runAction } from './runAction.ts';
import { TextField } from './TextField.tsx';

/** Changes a person's name, branch, position and e-mail (`user.update`; an empty field clears it). */
export function EditPersonForm(props: {
  account: AdminAccount;
  onDone: () => void;
  onCancel: () => void;
}): JSX.Element {
  const a = props.account;
  const [name, setName] = useState(a.name);
  const [branch, setBranch] = useState(a.branch ?? '');
  const [position, setPosition] = useState(a.position ?? '');
  const [email, setEmail] = useState(a.email ?? '');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const r = await runAction(
      'user.update',
      { login: a.login, name: name.trim(), branch: branch.trim(), position: position.trim(), email: email.trim() },
      t('admin.saved'),
    );
    setBusy(false);
    if (r) props.onDone();
  };

  return (
    <form class="admin-form" onSubmit={(e) => void submit(e)} aria-label={t('admin.people.editOf', { login: a.login })}>
      <TextField label={t('admin.people.name')} required maxLength={200} value={name} onInput={setName} />
      <TextField label={t('admin.people.branch')} maxLength={200} value={branch} onInput={setBranch} />
      <TextField label={t('admin.people.position')} maxLength={200} value={position} onInput={setPosition} />
      <TextField label={t('admin.people.email')} type="email" maxLength={320} value={email} onInput={setEmail} />
      <FormButtons submit={t('admin.save')} busy={busy} onCancel={props.onCancel} />
    </form>
  );
}
