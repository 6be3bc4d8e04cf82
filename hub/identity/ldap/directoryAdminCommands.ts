import * as v from 'valibot';
import type { Hub } from '../../ops/Hub.ts';
import { HubError } from '../../ops/HubError.ts';
import type { CheckReport, DirectoryService, SyncReport } from './DirectoryService.ts';
import { DirectoryUnavailable } from './DirectoryUnavailable.ts';

const command = <S extends v.GenericSchema, R>(args: S, run: (hub: Hub, args: v.InferOutput<S>) => Promise<R>) => ({
  args,
  run,
});

/** The hub's directory service, or a clear refusal when it runs without `--directory`. */
function directoryOf(hub: Hub): DirectoryService {
  if (!hub.ldap)
    throw new HubError(
      'unavailable',
      'no directory here: the hub must run with --directory FILE (or BESEDA_DIRECTORY_CONFIG), and directory commands go through the running hub',
    );
  return hub.ldap;
}

/** A directory that does not answer becomes `unavailable` with its reason (no stack trace for IT). */
async function reachable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DirectoryUnavailable) throw new HubError('unavailable', err.message);
    throw err;
  }
}

/**
 * Directory admin commands (registered in hub/admin/adminCommands.ts): a sync now (or its plan
 * only), and what the hub finds for one login. A sync is recorded in the audit log with its counts.
 */
export const directoryAdminCommands = {
  'directory.sync': command(v.object({ dryRun: v.optional(v.boolean()) }), (hub, a): Promise<SyncReport> =>
    reachable(() => directoryOf(hub).sync({ dryRun: a.dryRun ?? false })),
  ),
  'directory.check': command(
    v.object({ login: v.pipe(v.string(), v.minLength(1), v.maxLength(300)) }),
    (hub, a): Promise<CheckReport> => reachable(() => directoryOf(hub).check(a.login)),
  ),
};
