import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Deployment, SignInFailure } from '../../common/client/Backend.ts';
import { signIn } from '../actions/session.ts';
import { waitLabel } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { signInNotice } from '../state/uiState.ts';
import { Icon } from '../ui/Icon.tsx';
import { HubAddressField } from './HubAddressField.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { Logo } from './Logo.tsx';
import { PasswordField } from './PasswordField.tsx';
import { ForcedPasswordChange } from '../account/ForcedPasswordChange.tsx';

function failureText(failure: SignInFailure, hub: string, waitMs: number): string {
  switch (failure.code) {
    case 'rate_limited':
      return t('signIn.error.rate_limited', { wait: waitLabel(waitMs, language.value) });
    case 'unreachable':
      return t('signIn.error.unreachable', { hub });
    case 'bad_credentials':
    case 'account_disabled':
    case 'unavailable':
    case 'bad_request':
    case 'internal':
      return t(`signIn.error.${failure.code}`);
    default:
      return failure.message;
  }
}

/**
 * The sign-in form: hub address (pre-filled from the deployment, read-only when IT locked it),
 * login and password, with a clear message for each way sign-in can fail.
 */
export function SignIn({ deployment }: { deployment: Deployment | null }): JSX.Element {
  const [hub, setHub] = useState(client.hubUrl.value ?? deployment?.hubUrl ?? '');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ failure: SignInFailure; hub: string; until: number } | null>(null);
  const [missing, setMissing] = useState(false);
  // A password IT set: the second step, choosing one's own (renderer/account/ForcedPasswordChange.tsx).
  const [changeCode, setChangeCode] = useState<string | null>(null);
  const [tick, setTick] = useState(Date.now());
  const locked = deployment?.hubUrlLocked ?? false;

  useEffect(() => {
    if (!hub && deployment?.hubUrl) setHub(deployment.hubUrl);
  }, [deployment]);

  const waitMs = failure ? failure.until - tick : 0;
  useEffect(() => {
    if (waitMs <= 0) return;
    const timer = setTimeout(() => setTick(Date.now()), Math.min(1000, waitMs));
    return () => clearTimeout(timer);
  }, [waitMs, failure]);
  const throttled = failure?.failure.code === 'rate_limited' && waitMs > 0;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!hub.trim() || !login.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    const result = await signIn(hub, login, password);
    setBusy(false);
    if (result?.code === 'must_change_password' && result.changeCode) {
      setFailure(null);
      setPassword('');
      setChangeCode(result.changeCode);
      return;
    }
    if (result) {
      setTick(Date.now());
      setFailure({ failure: result, hub: hub.trim(), until: Date.now() + (result.retryAfterMs ?? 0) });
      if (result.code === 'bad_credentials') setPassword('');
    }
  };

  const sessionNote = client.connectionError.value;
  const error = missing
    ? t('signIn.required')
    : failure && (failure.failure.code !== 'rate_limited' || waitMs > 0)
      ? failureText(failure.failure, failure.hub, waitMs)
      : '';
  const notice = signInNotice.value;
  const note =
    !error && (sessionNote === 'session_revoked' || sessionNote === 'account_disabled')
      ? t(`connectionError.${sessionNote}` as MessageKey)
      : '';

  return (
    <div class="signin-screen">
      <main class="signin-card">
        <div class="signin-brand">
          <Logo size={48} />
          <div>
            <h1>{t('signIn.title')}</h1>
            <p class="hint">{t('signIn.subtitle')}</p>
          </div>
        </div>
        {changeCode && (
          <ForcedPasswordChange hub={hub.trim()} changeCode={changeCode} expired={() => setChangeCode(null)} />
        )}
        <form
          class="form"
          hidden={changeCode !== null}
          onSubmit={submit}
          noValidate
          aria-describedby={error ? 'signin-error' : undefined}
        >
          {notice && !error && (
            <div class="alert alert-error" role="alert" data-notice={notice}>
              <Icon name="alert" size={18} />
              <span>{t(notice)}</span>
            </div>
          )}
          {(error || note) && (
            <div id="signin-error" class={error ? 'alert alert-error' : 'alert alert-info'} role="alert">
              <Icon name="alert" size={18} />
              <span data-error-code={failure?.failure.code ?? (missing ? 'required' : sessionNote)}>
                {error || note}
              </span>
            </div>
          )}
          <HubAddressField value={hub} locked={locked} onInput={setHub} />
          <label class="field">
            <span class="field-label">{t('signIn.login')}</span>
            <input
              name="login"
              autoComplete="username"
              autoCapitalize="none"
              spellcheck={false}
              value={login}
              autoFocus
              onInput={(e) => setLogin(e.currentTarget.value)}
            />
          </label>
          <PasswordField value={password} onInput={setPassword} />
          <button type="submit" class="button button-brand button-wide" disabled={busy || throttled}>
            {busy ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </form>
        <LanguageSwitch />
      </main>
    </div>
  );
}
