import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Deployment } from '../../common/client/Backend.ts';
import { backend } from '../backend/currentBackend.ts';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { Logo } from '../components/Logo.tsx';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { ChoosePasswordForm } from './ChoosePasswordForm.tsx';
import { passwordErrorText } from './passwordErrorText.ts';

/** The invitation code in the address (`#invite=<code>`, where `GET /invite/<code>` lands), or null. */
export function invitationCodeInHash(): string | null {
  if (typeof location === 'undefined') return null;
  return /^#invite=([A-Za-z0-9_-]{1,100})$/.exec(location.hash)?.[1] ?? null;
}

/** Takes the code out of the address, so it is not left in the history or a bookmark. */
function forgetCode(): void {
  history.replaceState(null, '', location.pathname + location.search);
}

/**
 * The invitation page: whose invitation it is, and a new password typed twice; saving it signs
 * the person in (the app then shows the chat). A used, replaced or expired link says so.
 */
export function InvitePage({ code, deployment }: { code: string; deployment: Deployment | null }): JSX.Element {
  const hub = client.hubUrl.value ?? deployment?.hubUrl ?? location.origin + location.pathname;
  const [state, setState] = useState<
    { kind: 'checking' } | { kind: 'invalid' } | { kind: 'ok'; name: string; login: string }
  >({ kind: 'checking' });
  useEffect(() => {
    let live = true;
    void backend()
      .checkInvitation(hub, code)
      .then((r) => {
        if (live) setState(r.ok ? { kind: 'ok', name: r.name, login: r.login } : { kind: 'invalid' });
      });
    return () => {
      live = false;
    };
  }, [code]);

  const submit = async (password: string): Promise<string | null> => {
    const result = await backend().redeemInvitation(hub, code, password);
    if (!result.ok) {
      if (result.error.code === 'invitation_invalid') setState({ kind: 'invalid' });
      return passwordErrorText(result.error.code, result.error.message);
    }
    forgetCode();
    return null;
  };

  return (
    <div class="signin-screen">
      <main class="signin-card" data-invite-page={state.kind}>
        <div class="signin-brand">
          <Logo size={48} />
          <div>
            <h1>{t('account.invite.title')}</h1>
            {state.kind === 'ok' && (
              <p class="hint">{t('account.invite.for', { name: state.name, login: state.login })}</p>
            )}
          </div>
        </div>
        {state.kind === 'checking' && <p class="hint">{t('account.invite.checking')}</p>}
        {state.kind === 'invalid' && (
          <div class="alert alert-error" role="alert" data-invite-invalid>
            <span>{t('account.invite.invalid')}</span>
          </div>
        )}
        {state.kind === 'ok' && (
          <>
            <p>{t('account.invite.choose')}</p>
            <ChoosePasswordForm submitLabel={t('account.invite.submit')} submit={submit} />
          </>
        )}
        <LanguageSwitch />
      </main>
    </div>
  );
}
