import path from 'node:path';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/HubConfig.ts';
import { backupDirOf } from '../backup/backupFolder.ts';
import type { MigrationReport } from '../backup/MigrationReport.ts';
import { loadDirectorySettings } from '../identity/ldap/DirectorySettings.ts';
import { createHub, type HubOptions } from '../ops/createHub.ts';
import { releasesDirOf } from '../releases/ReleaseFolder.ts';
import type { Hub } from '../ops/Hub.ts';

/**
 * What a node gives the hub core besides its settings: where events go (and, with Redis, what is
 * shared, and the node's id, which gives it a temporary folder of its own in a shared files folder).
 */
export type NodeParts = Pick<HubOptions, 'events' | 'presenceRelay' | 'sharedLimits'> & { nodeId?: string };

/**
 * The hub's operations on the data folder's database (or `--store`), publishing to `parts.events`:
 * the node's own sockets, or the event bus in front of them (startClusterParts).
 */
export function openHub(
  config: HubConfig,
  parts: NodeParts,
  filesDir: string,
  log: Logger,
  onDatabaseOpened: (report: MigrationReport) => void,
): Promise<Hub> {
  const { nodeId, ...shared } = parts;
  return createHub({
    ...shared,
    dbFile: path.join(config.dataDir, 'beseda.db'),
    storeUrl: config.store ?? undefined,
    storePoolSize: config.storePoolSize,
    backupDir: backupDirOf(config),
    onDatabaseOpened,
    log,
    limits: {
      maxTextBytes: config.maxTextBytes,
      maxFileBytes: config.maxFileBytes,
      editWindowMs: config.editWindowMs,
      maxReactionsPerMessage: config.maxReactionsPerMessage,
    },
    files: {
      dir: filesDir,
      quotaBytesPerDay: config.fileQuotaBytesPerDay,
      maxTotalBytes: config.filesMaxTotalBytes,
      ...(nodeId !== undefined ? { node: nodeId } : {}),
    },
    scryptN: config.scryptN,
    presenceGraceMs: config.presenceGraceMs,
    presenceBatchMs: config.presenceBatchMs,
    sendRate: { perSecond: config.sendPerSecond, burst: config.sendBurst },
    directory: config.directoryConfig === null ? null : loadDirectorySettings(config.directoryConfig),
    sessionLifetime: { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs },
    onboarding: { inviteValidMs: config.inviteValidMs, minPasswordLength: config.minPasswordLength },
    callbacks: { allow: config.callbackAllow, timeoutMs: config.callbackTimeoutMs },
    ...(config.maxDbPages !== null ? { maxDbPages: config.maxDbPages } : {}),
    severalNodes: config.redis !== null,
    releasesDir: releasesDirOf(config),
  });
}
