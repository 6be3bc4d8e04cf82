import { t } from '../i18n/t.ts';

/**
 * What to tell a person whose new password or code the hub refused, in their language: the
 * reason of `weak_password` (`too_short:10: …`), a wrong current password, a directory account,
 * an invitation that cannot be used.
 */
export function passwordErrorText(code: string | undefined, message: string | undefined): string {
  switch (code) {
    case 'weak_password': {
      const reason = /^(too_short|too_long|common|like_login)(?::(\d+))?:/.exec(message ?? '');
      if (!reason) return message ?? t('account.error');
      if (reason[1] === 'too_short') return t('account.weak.too_short', { n: Number(reason[2] ?? 10) });
      return t(`account.weak.${reason[1] as 'too_long' | 'common' | 'like_login'}`);
    }
    case 'bad_credentials':
      return t('account.password.wrongCurrent');
    case 'forbidden':
      return t('account.password.directory');
    case 'invitation_invalid':
      return t('account.invite.invalid');
    case 'rate_limited':
    case 'unreachable':
      return message ?? t('account.error');
    default:
      return t('account.error');
  }
}

/** The code and message of a rejected Backend call (a RequestError, or its copy across IPC). */
export function errorParts(error: unknown): { code?: string; message?: string } {
  const e = error as { code?: unknown; message?: unknown } | null;
  return {
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: typeof e?.message === 'string' ? e.message : undefined,
  };
}
