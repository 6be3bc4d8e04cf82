import type { SignInErrorCode, SignInFailure } from '../../common/client/Backend.ts';
import { language } from '../i18n/language.ts';
import { translate } from '../i18n/translate.ts';
import type { Lang } from '../../common/i18n/Lang.ts';

/** What a failed backend call says about itself: a protocol error code (or '') and a message. */
export interface ErrorDetails {
  code: string;
  message: string;
}

/**
 * The code and message of anything a backend call rejected with. The in-page backend throws
 * `RequestError`s; the desktop preload rejects with plain `{name, code, message}` objects (Electron
 * keeps only an Error's message across the bridge), so nothing here relies on `instanceof Error`.
 */
export function errorDetails(error: unknown): ErrorDetails {
  if (typeof error === 'string') return { code: '', message: error };
  if (typeof error !== 'object' || error === null) return { code: '', message: String(error) };
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message =
    typeof e.message === 'string' && e.message ? e.message : typeof e.name === 'string' && e.name ? e.name : code;
  return { code, message };
}

/** The protocol error code of a failed backend call, or '' when it has none. */
export function errorCode(error: unknown): string {
  return errorDetails(error).code;
}

/** The user-facing text for a failed call in `lang`, by the protocol's error code when there is one. */
export function errorTextIn(lang: Lang, error: unknown): string {
  const { code, message } = errorDetails(error);
  if (code === 'forbidden') return translate(lang, 'app.errorForbidden');
  if (code === 'not_found') return translate(lang, 'app.errorNotFound');
  if (['unavailable', 'offline', 'disconnected', 'timeout'].includes(code)) return translate(lang, 'app.errorOffline');
  if (code === 'conflict') return translate(lang, 'app.errorConflict', { message });
  return translate(lang, 'app.error', { message: message || translate(lang, 'app.errorUnknown') });
}

/** The user-facing text for a failed call in the current UI language. */
export function errorText(error: unknown): string {
  return errorTextIn(language.value, error);
}

const signInCodes: readonly string[] = [
  'bad_credentials',
  'rate_limited',
  'account_disabled',
  'unreachable',
  'unavailable',
  'bad_request',
  'internal',
] satisfies SignInErrorCode[];

/**
 * A sign-in call that threw (the desktop bridge rejects with a plain `{code, message}` object) as
 * the failure the form explains: its own code when it is a sign-in one, else `internal`.
 */
export function signInFailureOf(error: unknown): SignInFailure {
  const { code, message } = errorDetails(error);
  return { code: signInCodes.includes(code) ? (code as SignInErrorCode) : 'internal', message };
}
