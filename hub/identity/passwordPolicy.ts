import { dictionary } from '@zxcvbn-ts/language-common';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { HubError } from '../ops/HubError.ts';

/** The longest password anyone may choose (longer ones only cost hashing time). */
export const maxPasswordLength = 1024;

/**
 * Why a chosen password is refused. Sent to clients as the `weak_password` error's message prefix
 * (`too_short:10: …`), so the app can say it in Russian.
 */
export type PasswordProblem =
  | { reason: 'too_short'; min: number }
  | { reason: 'too_long'; max: number }
  | { reason: 'common' }
  | { reason: 'like_login' };

/** The bundled list of the most common passwords (zxcvbn-ts), folded to lower case, built once. */
let common: ReadonlySet<string> | undefined;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

/** Whether the password (case folded) is on the bundled list of common passwords. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/**
 * OWASP's rule: length over composition. At least `minLength` characters (code points), at most
 * 1024, not on the common list, not the login or the name. No character-class rules: a long
 * phrase of lower-case words is a good password.
 */
export function passwordProblem(
  password: string,
  rules: { minLength: number; login?: string; name?: string },
): PasswordProblem | undefined {
  const length = [...password].length;
  if (length < rules.minLength) return { reason: 'too_short', min: rules.minLength };
  if (password.length > maxPasswordLength) return { reason: 'too_long', max: maxPasswordLength };
  const folded = password.trim().toLowerCase();
  if (isCommonPassword(password) || isCommonPassword(folded)) return { reason: 'common' };
  const same = (other: string | undefined) => other !== undefined && other.trim().toLowerCase() === folded;
  if (same(rules.login) || same(rules.name)) return { reason: 'like_login' };
  return undefined;
}

/** The problem as one English line (the CLI and logs; the apps translate by the reason). */
export function describePasswordProblem(problem: PasswordProblem): string {
  switch (problem.reason) {
    case 'too_short':
      return `a password is at least ${problem.min} characters (a few words make a good one)`;
    case 'too_long':
      return `a password is at most ${problem.max} characters`;
    case 'common':
      return 'this password is on the list of the most common passwords; choose another';
    case 'like_login':
      return 'a password cannot be the login or the name';
  }
}

/** Throws `weak_password` (message `reason[:n]: text`) when the password breaks the policy. */
export function checkPasswordPolicy(password: string, rules: { minLength: number; login?: string; name?: string }) {
  const problem = passwordProblem(password, rules);
  if (!problem) return;
  const key = problem.reason === 'too_short' ? `too_short:${problem.min}` : problem.reason;
  throw new HubError(ErrorCode.WeakPassword, `${key}: ${describePasswordProblem(problem)}`);
}
