import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import type { AdminAccount } from './PeopleSection.tsx';
import { runAction } from './runAction.ts';

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
      <label class="field">
        <span class="field-label">{t('admin.people.name')}</span>
        <input required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field-label">{t('admin.people.branch')}</span>
        <input maxLength={200} value={branch} onInput={(e) => setBranch(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field-label">{t('admin.people.position')}</span>
        <input maxLength={200} value={position} onInput={(e) => setPosition(e.currentTarget.value)} />
      </label>
      <label class="field">
        <span class="field-label">{t('admin.people.email')}</span>
        <input type="email" maxLength={320} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <div class="admin-actions">
        <button type="submit" class="button button-brand" disabled={busy}>
          {t('admin.save')}
        </button>
        <button type="button" class="button" onClick={props.onCancel}>
          {t('admin.cancel')}
        </button>
      </div>
    </form>
  );
}
