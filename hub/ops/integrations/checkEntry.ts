import type { DirectoryEntry, ExternalEntry } from '../IntegrationTypes.ts';
import { checkLogin, checkName } from './checkAccount.ts';

/** A directory entry with every field checked and normalised; undefined means "leave as it is". */
export interface CheckedEntry {
  login: string;
  name: string;
  branch: string | null | undefined;
  email: string | null | undefined;
  position: string | null | undefined;
  phone: string | null | undefined;
  active: boolean | undefined;
  password: string | undefined;
}

const maxBranch = 80;
const maxPosition = 120;
// Digits with the usual separators, a leading +, an extension («доб. 123», «ext 12»).
const phonePattern = /^[+]?[0-9()\-.\s]{3,40}(?:\s*(?:доб\.?|ext\.?|x)\s*[0-9]{1,6})?$/i;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An external id (1C: the infobase user's UUID): 1–200 of A-Z a-z 0-9 . _ : { } -. */
export const externalIdPattern = /^[A-Za-z0-9._:{}-]{1,200}$/;

/** Checks one person from a directory (HTTP or CSV); returns the entry or every reason it is wrong. */
export function checkEntry(
  input: DirectoryEntry,
): { ok: true; entry: CheckedEntry } | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  const login = checkLogin(input.login);
  if (!login.ok) reasons.push(login.reason);
  const fields = checkFields(input, reasons);
  if (!fields || !login.ok) return { ok: false, reasons };
  return { ok: true, entry: { login: login.login, ...fields } };
}

/**
 * Checks a person addressed by external id: the same fields as {@link checkEntry}, the login
 * optional (an existing account to link) and the external id's form.
 */
export function checkExternalEntry(
  input: ExternalEntry,
):
  | { ok: true; entry: Omit<CheckedEntry, 'login'> & { login?: string; externalId: string } }
  | { ok: false; reasons: string[] } {
  const reasons: string[] = [];
  if (typeof input.externalId !== 'string' || !externalIdPattern.test(input.externalId))
    reasons.push('an external id is 1 to 200 of A-Z a-z 0-9 . _ : { } -');
  const login = input.login === undefined ? undefined : checkLogin(input.login);
  if (login && !login.ok) reasons.push(login.reason);
  const fields = checkFields(input, reasons);
  if (!fields || reasons.length > 0) return { ok: false, reasons };
  return {
    ok: true,
    entry: { ...fields, externalId: input.externalId, ...(login?.ok ? { login: login.login } : {}) },
  };
}

/** Every field but the login; undefined (with the reasons pushed) when one is wrong. */
function checkFields(input: Omit<DirectoryEntry, 'login'>, reasons: string[]): Omit<CheckedEntry, 'login'> | undefined {
  const start = reasons.length;
  const name = checkName(input.name);
  if (!name.ok) reasons.push(name.reason);

  let branch: string | null | undefined;
  if (input.branch === undefined) branch = undefined;
  else if (input.branch === null) branch = null;
  else if (typeof input.branch !== 'string') reasons.push('"branch" must be text');
  else {
    branch = input.branch.trim() || null;
    if (branch !== null && [...branch].length > maxBranch)
      reasons.push(`a branch name is at most ${maxBranch} characters`);
  }

  let email: string | null | undefined;
  if (input.email === undefined) email = undefined;
  else if (input.email === null) email = null;
  else if (typeof input.email !== 'string') reasons.push('"email" must be text');
  else {
    email = input.email.trim() || null;
    if (email !== null && (email.length > 254 || !emailPattern.test(email)))
      reasons.push(`"${email.slice(0, 60)}" is not an e-mail address`);
  }

  const position = optionalText(input.position, 'position', reasons);
  if (position && [...position].length > maxPosition) reasons.push(`a position is at most ${maxPosition} characters`);
  const phone = optionalText(input.phone, 'phone', reasons);
  if (phone && !phonePattern.test(phone)) reasons.push(`"${phone.slice(0, 40)}" is not a phone number`);

  if (input.active !== undefined && typeof input.active !== 'boolean') reasons.push('"active" must be true or false');
  const password = input.password;
  if (password !== undefined && (typeof password !== 'string' || password.length < 8 || password.length > 1024))
    reasons.push('a password is 8 to 1024 characters');

  if (reasons.length > start || !name.ok) return undefined;
  return { name: name.name, branch, email, position, phone, active: input.active, password };
}

/** An optional text field: undefined leaves it, null or blank clears it, else trimmed. */
function optionalText(value: unknown, field: string, reasons: string[]): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string') {
    reasons.push(`"${field}" must be text`);
    return undefined;
  }
  return value.trim() || null;
}
