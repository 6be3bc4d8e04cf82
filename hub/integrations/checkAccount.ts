import { loginPattern, normalizeLogin } from '../ops/Accounts.ts';

/** Logins that would read as something else in a message. */
const reservedLogins = new Set(['all', 'все', 'channel', 'here']);

/** A normalised login, or why it cannot be one. */
export function checkLogin(input: unknown): { ok: true; login: string } | { ok: false; reason: string } {
  if (typeof input !== 'string') return { ok: false, reason: 'a login is required' };
  const login = normalizeLogin(input);
  if (!loginPattern.test(login))
    return {
      ok: false,
      reason: `"${login.slice(0, 40)}" is not a login: 2 to 32 Latin letters, digits, ".", "_" or "-", starting with a letter or digit`,
    };
  if (reservedLogins.has(login)) return { ok: false, reason: `the login "${login}" is reserved` };
  return { ok: true, login };
}

/** A trimmed display name (1–100 characters), or why not. */
export function checkName(input: unknown): { ok: true; name: string } | { ok: false; reason: string } {
  const name = typeof input === 'string' ? input.trim() : '';
  if (name === '') return { ok: false, reason: 'a name is required' };
  if ([...name].length > 100) return { ok: false, reason: 'a name is at most 100 characters' };
  return { ok: true, name };
}
