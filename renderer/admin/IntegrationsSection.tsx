import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import { UserText } from '../ui/UserText.tsx';
import { BotCallbackForm } from './BotCallbackForm.tsx';
import { hubAddress } from './hubAddress.ts';
import { runAction } from './runAction.ts';
import { SecretOnce } from './SecretOnce.tsx';
import { TextField } from './TextField.tsx';
import { useAdminQuery } from './useAdminQuery.ts';

interface Bot {
  id: number;
  login: string;
  name: string;
  rooms: { id: number; name: string }[];
  active: boolean;
  callbackUrl: string | null;
}

interface Hook {
  id: number;
  name: string;
  roomName: string;
  revoked: boolean;
}

/** Bots (token shown once, new token, revoke) and incoming webhooks (address shown once, revoke). */
export function IntegrationsSection(): JSX.Element {
  const bots = useAdminQuery<{ bots: Bot[] }>('bot.list');
  const hooks = useAdminQuery<{ hooks: Hook[] }>('hook.list');
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [botLogin, setBotLogin] = useState('');
  const [botName, setBotName] = useState('');
  const [botRooms, setBotRooms] = useState('');
  const [hookRoom, setHookRoom] = useState('');
  const [hookName, setHookName] = useState('');
  const [callbackOf, setCallbackOf] = useState<string | null>(null);

  const addBot = async (e: Event) => {
    e.preventDefault();
    const rooms = botRooms
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    const r = await runAction<{ token: string }>('bot.add', {
      login: botLogin.trim(),
      name: botName.trim() || undefined,
      rooms,
    });
    if (!r) return;
    setSecret({ label: t('admin.bots.tokenFor', { login: botLogin.trim() }), value: r.token });
    setBotLogin('');
    setBotName('');
    setBotRooms('');
    bots.reload();
  };
  const newToken = async (bot: Bot) => {
    if (!confirm(t('admin.bots.tokenConfirm', { login: bot.login }))) return;
    const r = await runAction<{ token: string }>('bot.token', { login: bot.login });
    if (!r) return;
    setSecret({ label: t('admin.bots.tokenFor', { login: bot.login }), value: r.token });
    bots.reload();
  };
  const revokeBot = async (bot: Bot) => {
    if (!confirm(t('admin.bots.revokeConfirm', { login: bot.login }))) return;
    if (await runAction('bot.revoke', { login: bot.login }, t('admin.revoked'))) bots.reload();
  };
  const addHook = async (e: Event) => {
    e.preventDefault();
    const r = await runAction<{ secret: string }>('hook.add', {
      room: hookRoom.trim(),
      name: hookName.trim() || undefined,
    });
    if (!r) return;
    setSecret({ label: t('admin.hooks.urlFor', { room: hookRoom.trim() }), value: hubAddress(`/hooks/${r.secret}`) });
    setHookRoom('');
    setHookName('');
    hooks.reload();
  };
  const revokeHook = async (hook: Hook) => {
    if (!confirm(t('admin.hooks.revokeConfirm', { name: hook.name }))) return;
    if (await runAction('hook.revoke', { id: hook.id }, t('admin.revoked'))) hooks.reload();
  };

  return (
    <section class="admin-section" data-section="integrations">
      {secret && <SecretOnce label={secret.label} value={secret.value} onClose={() => setSecret(null)} />}
      <h3>{t('admin.bots.title')}</h3>
      {bots.error && <p class="field-error">{bots.error}</p>}
      <ul class="admin-list">
        {(bots.data?.bots ?? []).map((b) => (
          <li key={b.id} data-bot={b.login} class={b.active ? undefined : 'admin-row-off'}>
            <div>
              <UserText text={b.name} /> <span class="admin-sub">{b.login}</span>
              <div class="admin-sub">
                {b.active ? t('admin.bots.active') : t('admin.bots.revoked')}
                {b.rooms.length > 0 && ` · ${b.rooms.map((r) => r.name).join(', ')}`}
              </div>
              {b.callbackUrl && (
                <div class="admin-sub" data-callback>
                  {t('admin.bots.callsTo', { url: b.callbackUrl })}
                </div>
              )}
              {callbackOf === b.login && (
                <BotCallbackForm
                  login={b.login}
                  url={b.callbackUrl}
                  onSecret={(s) =>
                    setSecret({ label: t('admin.bots.callbackSecretFor', { login: b.login }), value: s })
                  }
                  onDone={() => {
                    setCallbackOf(null);
                    bots.reload();
                  }}
                />
              )}
            </div>
            <div class="admin-actions">
              <button type="button" class="button button-small" onClick={() => void newToken(b)}>
                {t('admin.bots.newToken')}
              </button>
              {b.active && (
                <button
                  type="button"
                  class="button button-small"
                  aria-expanded={callbackOf === b.login}
                  onClick={() => setCallbackOf(callbackOf === b.login ? null : b.login)}
                >
                  {t('admin.bots.callback')}
                </button>
              )}
              {b.active && (
                <button
                  type="button"
                  class="button button-small button-danger-outline"
                  onClick={() => void revokeBot(b)}
                >
                  {t('admin.revoke')}
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <form class="admin-form" onSubmit={(e) => void addBot(e)} aria-label={t('admin.bots.add')}>
        <TextField label={t('admin.bots.login')} required maxLength={64} value={botLogin} onInput={setBotLogin} />
        <TextField label={t('admin.bots.name')} maxLength={200} value={botName} onInput={setBotName} />
        <TextField label={t('admin.bots.rooms')} maxLength={2000} value={botRooms} onInput={setBotRooms} />
        <div class="admin-actions">
          <button type="submit" class="button button-brand">
            {t('admin.bots.add')}
          </button>
        </div>
      </form>

      <h3>{t('admin.hooks.title')}</h3>
      {hooks.error && <p class="field-error">{hooks.error}</p>}
      <ul class="admin-list">
        {(hooks.data?.hooks ?? []).map((h) => (
          <li key={h.id} data-hook={h.name} class={h.revoked ? 'admin-row-off' : undefined}>
            <div>
              <UserText text={h.name} />
              <div class="admin-sub">
                {h.roomName} · {h.revoked ? t('admin.bots.revoked') : t('admin.bots.active')}
              </div>
            </div>
            {!h.revoked && (
              <div class="admin-actions">
                <button
                  type="button"
                  class="button button-small button-danger-outline"
                  onClick={() => void revokeHook(h)}
                >
                  {t('admin.revoke')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <form class="admin-form" onSubmit={(e) => void addHook(e)} aria-label={t('admin.hooks.add')}>
        <TextField label={t('admin.hooks.room')} required maxLength={80} value={hookRoom} onInput={setHookRoom} />
        <TextField label={t('admin.hooks.name')} maxLength={200} value={hookName} onInput={setHookName} />
        <div class="admin-actions">
          <button type="submit" class="button button-brand">
            {t('admin.hooks.add')}
          </button>
        </div>
      </form>
    </section>
  );
}
