import type { BackupStatus } from '../backup/BackupStatus.ts';
import type { Hub } from '../ops/Hub.ts';

/** The backup state of each running hub, for `storage.status` (set by startHubServer). */
const sources = new WeakMap<Hub, () => BackupStatus>();

/** Tells `storage.status` where this running hub's backup state is read (its scheduler). */
export function setBackupStatusSource(hub: Hub, status: () => BackupStatus): void {
  sources.set(hub, status);
}

/** The running hub's backup state; null for a hub the CLI opened itself (no schedule runs there). */
export function backupStatusOf(hub: Hub): BackupStatus | null {
  return sources.get(hub)?.() ?? null;
}
