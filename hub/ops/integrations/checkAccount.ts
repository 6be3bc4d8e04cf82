import { loginProblem, normalizeLogin } from '../Accounts.ts';

/** A normalised login, or why it cannot be one (the same rule and reserved words as every account path). */
export function checkLogin(input: unknown): { ok: true; login: string } | { ok: false; reason: string } {
  if (typeof input !== 'string') return { ok: false, reason: 'a login is required' };
  const login = normalizeLogin(input);
  const problem = loginProblem(login);
  return problem === undefined ? { ok: true, login } : { ok: false, reason: problem };
}

/** A trimmed display name (1–100 characters), or why not. */
export function checkName(input: unknown): { ok: true; name: string } | { ok: false; reason: string } {
  const name = typeof input === 'string' ? input.trim() : '';
  if (name === '') return { ok: false, reason: 'a name is required' };
  if ([...name].length > 100) return { ok: false, reason: 'a name is at most 100 characters' };
  return { ok: true, name };
}
