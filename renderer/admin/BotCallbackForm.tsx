import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import { runAction } from './runAction.ts';
import { TextField } from './TextField.tsx';

/**
 * A bot's outgoing callback URL in the admin console (issue 18): set or change it (the signing
 * secret comes back once, for the caller to show), or turn calls off. The hub checks the address
 * against `--callback-allow` and answers the reason, which runAction shows.
 */
export function BotCallbackForm(props: {
  login: string;
  url: string | null;
  onSecret: (secret: string) => void;
  onDone: () => void;
}): JSX.Element {
  const [url, setUrl] = useState(props.url ?? '');
  const save = async (e: Event) => {
    e.preventDefault();
    const r = await runAction<{ secret?: string }>('bot.callback', { login: props.login, url: url.trim() });
    if (!r) return;
    if (r.secret) props.onSecret(r.secret);
    props.onDone();
  };
  const off = async () => {
    if (await runAction('bot.callback', { login: props.login, off: true }, t('admin.bots.callbackOff'))) props.onDone();
  };
  return (
    <form class="admin-form" onSubmit={(e) => void save(e)} aria-label={t('admin.bots.callback')}>
      <TextField label={t('admin.bots.callbackUrl')} required maxLength={2048} value={url} onInput={setUrl} />
      <div class="admin-actions">
        <button type="submit" class="button button-small button-brand">
          {t('admin.bots.callbackSave')}
        </button>
        {props.url && (
          <button type="button" class="button button-small button-danger-outline" onClick={() => void off()}>
            {t('admin.bots.callbackOff')}
          </button>
        )}
      </div>
    </form>
  );
}
