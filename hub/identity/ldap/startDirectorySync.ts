import type { Hub } from '../../ops/Hub.ts';
import type { HubLog } from '../../ops/HubContext.ts';

/** The periodic directory sync of a running hub; `stop` waits for a sync under way to finish. */
export interface DirectorySyncTimer {
  stop(): Promise<void>;
}

/** The first periodic sync runs this soon after start (or after `syncEvery`, if shorter). */
const firstRunMs = 60_000;

/**
 * Runs directory sync every `syncEvery` (nothing when the hub has no directory or it is 0). A
 * failed run (the directory down) is logged and retried at the next turn; each run that changed
 * something is recorded in the audit log as `hub:schedule`.
 */
export function startDirectorySync(hub: Hub, log: HubLog): DirectorySyncTimer {
  const directory = hub.ldap;
  const every = directory?.settings.syncEveryMs ?? 0;
  if (!directory || every === 0) return { stop: async () => undefined };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = directory
        .sync({ dryRun: false, auditActor: 'hub:schedule' })
        .then(
          () => undefined,
          (err: unknown) =>
            log.warn({ err: (err as Error).message }, 'scheduled directory sync failed; retried next time'),
        )
        .finally(() => {
          running = undefined;
          schedule(every);
        });
    }, ms);
    // A pending sync never keeps the process alive on its own.
    timer.unref();
  };
  schedule(Math.min(firstRunMs, every));
  log.info({ everyMs: every }, 'directory sync scheduled');
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
