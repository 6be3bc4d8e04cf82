import path from 'node:path';
import type { Limits } from '../../common/protocol/model.ts';
import type { MigrationReport } from '../backup/MigrationReport.ts';
import { openSqliteStore } from '../store/sqlite/openSqliteStore.ts';
import { openPostgresStore } from '../store/postgres/openPostgresStore.ts';
import { createDirectoryService } from '../identity/ldap/createDirectoryService.ts';
import type { DirectorySettings } from '../identity/ldap/DirectorySettings.ts';
import { Accounts } from './Accounts.ts';
import { AuditLog } from './AuditLog.ts';
import type { Hub } from './Hub.ts';
import type { HubContext, HubLog } from './HubContext.ts';
import type { EventSink } from './HubEvent.ts';
import type { SharedLimits } from './SharedLimits.ts';
import type { PresenceRelay } from './PresenceRelay.ts';
import { Directory } from './Directory.ts';
import { type FileSettings, Files } from './Files.ts';
import { Integrations } from './integrations/Integrations.ts';
import { MessageChanges } from './MessageChanges.ts';
import { Messaging } from './Messaging.ts';
import { Search } from './Search.ts';
import { defaultScryptN } from './passwords.ts';
import { Presence } from './Presence.ts';
import { Receipts } from './Receipts.ts';
import { RoomAdmin } from './RoomAdmin.ts';
import { AdminRights } from './AdminRights.ts';
import { RoomConsole } from './RoomConsole.ts';
import { Rooms } from './Rooms.ts';
import { SendQueue } from './SendQueue.ts';
import { SqliteHub } from './SqliteHub.ts';
import { Typing } from './Typing.ts';
import { defaultSessionLifetime, type SessionLifetime } from '../identity/sessionLifetime.ts';
import { SessionLifetimes } from '../identity/SessionLifetimes.ts';
import { defaultOnboardingOptions, Invitations, type OnboardingOptions } from './Invitations.ts';
import { SelfService } from './SelfService.ts';
import { BotCallbacks } from './callbacks/BotCallbacks.ts';
import { MessageButtons } from './MessageButtons.ts';
import { SlashCommands } from './SlashCommands.ts';
import { Releases } from './Releases.ts';
import { releasesDirOf } from '../releases/ReleaseFolder.ts';
import { type CallbackSettings, defaultCallbackSettings } from './callbacks/SafeBotCaller.ts';

/** Settings of the hub core. */
export interface HubOptions {
  /** SQLite file path, created if missing (its folder must exist). */
  dbFile: string;
  /**
   * `postgres://user@host/db`: keep everything in PostgreSQL instead of the SQLite file (`--store`);
   * `dbFile`'s folder still holds the uploaded files and releases. Undefined: SQLite.
   */
  storeUrl?: string;
  /** Connections to PostgreSQL this process keeps at most; default 10. */
  storePoolSize?: number;
  events: EventSink;
  /** pino-compatible; the core never logs message text or tokens. */
  log: HubLog;
  /**
   * maxTextBytes 16384 (UTF-8 bytes), maxFrameBytes 65536, historyPageMax 200, syncPageMax 1000,
   * editWindowMs 0 (no limit), maxReactionsPerMessage 20 by default.
   */
  limits?: Partial<Limits>;
  /** scrypt cost for new password hashes; default 2^17 (OWASP). Tests pass 2^10. */
  scryptN?: number;
  /** Password hashes computed at once; default 2. Further sign-ins wait in a bounded queue. */
  maxConcurrentHashes?: number;
  /** Sign-ins that may wait for a hashing slot before `rate_limited`; default 32. */
  maxHashQueue?: number;
  /** How long a user stays as they were after their last connection closed; default 5000. */
  presenceGraceMs?: number;
  /** Per-user send limit (token bucket), and the same again for message changes; default 10/s, burst 30. */
  sendRate?: { perSecond: number; burst: number };
  /** Milliseconds since the epoch; default Date.now. */
  clock?: () => number;
  /** Presence changes are gathered this long and sent as one frame; default 0 (at once). */
  presenceBatchMs?: number;
  /** Presence frames per second the hub may send (stretches the batch window); default Presence.ts defaultPresenceFramesPerSecond. */
  presenceFramesPerSecond?: number;
  /** Cap on the database size in pages (StorageAdmin.setMaxPages: SQLite's `max_page_count`); none by default. */
  maxDbPages?: number;
  /**
   * Uploaded files: the blob folder (default `files` beside the database), the per-user daily
   * quota (default 1 GB) and the total limit (default none). The per-file limit is `limits.maxFileBytes`.
   */
  files?: Partial<FileSettings>;
  /** Where the verified copy taken before a schema migration goes; default `backups` beside the database. */
  backupDir?: string;
  /** Sign-in through LDAP / Active Directory and directory sync (`--directory FILE`, loaded); none by default. */
  directory?: DirectorySettings | null;
  /** Told what opening the database did (schema versions, migrations applied, the backup taken first). */
  onDatabaseOpened?: (report: MigrationReport) => void;
  /** Idle and absolute session lifetimes; default 30 days and 180 days (`--session-idle`, `--session-max`). */
  sessionLifetime?: SessionLifetime;
  /** Invitation validity and the shortest password people may choose; default 7 days and 10 (`--invite-valid`, `--min-password-length`). */
  onboarding?: OnboardingOptions;
  /** Calls to bots: allowed hosts and the deadline (`--callback-allow`, `--callback-timeout`); default any public host, 10 s. */
  callbacks?: CallbackSettings;
  /** Desktop releases served as updates; default `releases` beside the database (DATA/releases). */
  releasesDir?: string;
  /**
   * Per-user rate limits and the sign-in back-off shared by every node of the hub
   * (hub/cluster/RedisSharedLimits.ts, `--redis`); none: this process keeps its own.
   */
  sharedLimits?: SharedLimits;
  /**
   * Presence across the hub's nodes (hub/cluster/RedisPresenceRelay.ts, `--redis`): closed by the
   * hub's close. None: this process is the whole truth.
   */
  presenceRelay?: PresenceRelay;
  /**
   * One of several nodes (`--redis`): a resend of a stored message is published again, as the node
   * that stored it may have died before publishing (SendQueue.republish). Default false.
   */
  severalNodes?: boolean;
}

/** The limits announced to clients unless configured otherwise. */
export const defaultLimits: Limits = {
  maxTextBytes: 16384,
  maxFrameBytes: 65536,
  historyPageMax: 200,
  syncPageMax: 1000,
  maxFileBytes: 100 * 1024 * 1024,
  maxFilesPerMessage: 10,
  editWindowMs: 0,
  maxReactionsPerMessage: 20,
};

/**
 * Opens the database (creating and migrating it as needed) and returns the hub's operations.
 * Throws DatabaseVersionError for a database written by a newer hub.
 *
 * The one place in the operations layer that names the storage implementations (SQLite through
 * openSqliteStore, PostgreSQL through openPostgresStore); everything else sees only the Store interface.
 */
export async function createHub(options: HubOptions): Promise<Hub> {
  const clock = options.clock ?? Date.now;
  const store = options.storeUrl
    ? await openPostgresStore(options.storeUrl, { now: clock(), poolSize: options.storePoolSize })
    : openSqliteStore(options.dbFile, {
        now: clock(),
        backupDir: options.backupDir,
        onReport: options.onDatabaseOpened,
      });
  if (options.maxDbPages !== undefined) await store.admin.setMaxPages(options.maxDbPages);
  const ctx: HubContext = {
    store,
    events: options.events,
    log: options.log,
    limits: { ...defaultLimits, ...options.limits },
    clock,
    ...(options.sharedLimits ? { sharedLimits: options.sharedLimits } : {}),
  };
  const presence = new Presence(
    ctx,
    options.presenceGraceMs ?? 5000,
    options.presenceBatchMs ?? 0,
    options.presenceFramesPerSecond,
    options.presenceRelay,
  );
  // A lone hub that was stopped (not killed) a moment ago: the people online then stay so while
  // their clients reconnect. Read (and removed) with a relay too, so a stale one is never left.
  const stopped = await store.accounts.takeStopPresence();
  if (stopped) presence.resumeAfterStop(stopped);
  const accounts = new Accounts(ctx, presence, {
    scryptN: options.scryptN ?? defaultScryptN,
    maxConcurrentHashes: options.maxConcurrentHashes ?? 2,
    maxHashQueue: options.maxHashQueue ?? 32,
    lifetime: options.sessionLifetime ?? defaultSessionLifetime,
  });
  // Calls to bots (issue 18): `callbacks.caller` is the BotCaller for buttons and commands.
  const callbacks = new BotCallbacks(ctx, options.callbacks ?? defaultCallbackSettings);
  const queue = new SendQueue(ctx, () => callbacks.wake(), options.severalNodes ?? false);
  const sendRate = options.sendRate ?? { perSecond: 10, burst: 30 };
  const messaging = new Messaging(ctx, queue, sendRate);
  const rooms = new Rooms(ctx);
  const files = await Files.open(ctx, {
    dir: options.files?.dir ?? path.join(path.dirname(options.dbFile), 'files'),
    quotaBytesPerDay: options.files?.quotaBytesPerDay ?? 1024 * 1024 * 1024,
    maxTotalBytes: options.files?.maxTotalBytes ?? null,
    ...(options.files?.sweepIntervalMs !== undefined ? { sweepIntervalMs: options.files.sweepIntervalMs } : {}),
    ...(options.files?.node !== undefined ? { node: options.files.node } : {}),
    sessionLifetime: options.sessionLifetime ?? defaultSessionLifetime,
  });
  const onboarding = options.onboarding ?? defaultOnboardingOptions;
  const sessionLifetimes = new SessionLifetimes(ctx, options.sessionLifetime ?? defaultSessionLifetime, (sessionId) =>
    accounts.touches.pendingAt(sessionId),
  );
  const changes = new MessageChanges(ctx, files, sendRate);
  return new SqliteHub(ctx, {
    accounts,
    presence,
    queue,
    messaging,
    changes,
    rooms,
    directory: new Directory(ctx, presence),
    search: new Search(ctx),
    typing: new Typing(ctx),
    receipts: new Receipts(ctx, presence),
    integrations: new Integrations({ ctx, accounts, presence, messaging, changes, rooms }),
    files,
    audit: new AuditLog(ctx),
    roomAdmin: new RoomAdmin(ctx),
    adminRights: new AdminRights(ctx),
    roomConsole: new RoomConsole(ctx),
    ldap: options.directory ? createDirectoryService(ctx, options.directory, accounts) : null,
    sessionLifetimes,
    invitations: new Invitations(ctx, accounts, presence, onboarding),
    selfService: new SelfService(ctx, accounts, onboarding.minPasswordLength, sessionLifetimes),
    callbacks,
    buttons: new MessageButtons(ctx, callbacks.caller, changes, sendRate),
    commands: new SlashCommands(ctx, callbacks.caller, messaging, sendRate),
    releases: new Releases(ctx, options.releasesDir ?? releasesDirOf({ dataDir: path.dirname(options.dbFile) })),
  });
}
