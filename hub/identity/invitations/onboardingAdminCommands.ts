import * as v from 'valibot';
import type { Hub } from '../../ops/Hub.ts';

const Login = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const ValidMs = v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(60_000), v.maxValue(366 * 86_400_000)));

const command = <S extends v.GenericSchema, R>(args: S, run: (hub: Hub, args: v.InferOutput<S>) => Promise<R>) => ({
  args,
  run,
});

/**
 * Onboarding admin commands (registered in hub/admin/adminCommands.ts): an invitation for one
 * person, and invitations or initial passwords in bulk after a CSV import. Their results hold
 * codes and passwords, which the audit log never records (it keeps ids and counts only).
 */
export const onboardingAdminCommands = {
  /** A new one-time invitation for an account (replacing an unused one); valid `validMs` or `--invite-valid`. */
  'user.invite': command(v.object({ login: Login, validMs: ValidMs }), (hub, a) =>
    hub.invitations.invite(a.login, 'admin', a.validMs),
  ),
  /** Invitations or initial passwords (changed at first sign-in) for accounts nobody has signed in to yet. */
  'user.onboard': command(
    v.object({
      logins: v.pipe(v.array(Login), v.maxLength(100_000)),
      mode: v.picklist(['invite', 'password']),
      validMs: ValidMs,
    }),
    async (hub, a) => ({ people: await hub.invitations.onboard(a.logins, a.mode, 'admin', a.validMs) }),
  ),
};
