import type { EffectiveConfig } from '../config/resolveConfig.ts';
import type { DesktopClient } from '../DesktopClient.ts';
import { UpdateManager, type UpdateManagerDeps } from './UpdateManager.ts';

/** What the desktop app hands over: its updater port and its own parts the decisions read. */
export interface AppUpdateParts extends Pick<UpdateManagerDeps, 'clock' | 'log' | 'platform'> {
  updates: Pick<UpdateManagerDeps, 'updater' | 'prefs' | 'firstCheckMs' | 'everyMs'>;
  client: Pick<DesktopClient, 'hubAccess'>;
  /** The effective configuration now (IT's config.json: `updates`, `updatePin`; the branch). */
  config(): EffectiveConfig;
  /** Draw the tray menu again. */
  changed(): void;
}

/** The {@link UpdateManager} of the desktop app: the signed-in session's hub and token, IT's word on updates. */
export function appUpdateManager(parts: AppUpdateParts): UpdateManager {
  return new UpdateManager({
    ...parts.updates,
    clock: parts.clock,
    log: parts.log,
    platform: parts.platform,
    config: () => {
      const config = parts.config();
      return { enabled: config.updates.value, pin: config.updatePin, branch: config.branch.value };
    },
    access: () => parts.client.hubAccess?.() ?? null,
    changed: parts.changed,
  });
}
