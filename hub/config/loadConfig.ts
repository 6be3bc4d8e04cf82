import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describeIssues } from '../../common/protocol/clientFrame.ts';
import { defaultHubConfig, HubConfigSchema, type HubConfig } from './HubConfig.ts';
import { parseDuration } from './parseDuration.ts';
import { callbackRules } from '../ops/callbacks/callbackRules.ts';

/** A configuration problem, reported to IT as one line. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Raw = Partial<Record<keyof HubConfig, unknown>>;

/** Environment variable for each setting (BESEDA_PORT, BESEDA_DATA, ...). */
const envNames: Record<keyof HubConfig, string> = {
  host: 'BESEDA_HOST',
  port: 'BESEDA_PORT',
  dataDir: 'BESEDA_DATA',
  store: 'BESEDA_STORE',
  storePoolSize: 'BESEDA_STORE_POOL',
  redis: 'BESEDA_REDIS',
  nodeId: 'BESEDA_NODE_ID',
  tlsCert: 'BESEDA_TLS_CERT',
  tlsKey: 'BESEDA_TLS_KEY',
  allowedOrigins: 'BESEDA_ALLOWED_ORIGINS',
  frameAncestors: 'BESEDA_FRAME_ANCESTORS',
  logLevel: 'BESEDA_LOG_LEVEL',
  scryptN: 'BESEDA_SCRYPT_N',
  maxTextBytes: 'BESEDA_MAX_TEXT_BYTES',
  sendPerSecond: 'BESEDA_SEND_PER_SECOND',
  sendBurst: 'BESEDA_SEND_BURST',
  framesPerSecond: 'BESEDA_FRAMES_PER_SECOND',
  framesBurst: 'BESEDA_FRAMES_BURST',
  softBufferBytes: 'BESEDA_SOFT_BUFFER_BYTES',
  hardBufferBytes: 'BESEDA_HARD_BUFFER_BYTES',
  heartbeatMs: 'BESEDA_HEARTBEAT_MS',
  presenceGraceMs: 'BESEDA_PRESENCE_GRACE_MS',
  presenceBatchMs: 'BESEDA_PRESENCE_BATCH_MS',
  publicUrl: 'BESEDA_PUBLIC_URL',
  webRoot: 'BESEDA_WEB_ROOT',
  name: 'BESEDA_NAME',
  maxDbPages: 'BESEDA_MAX_DB_PAGES',
  filesDir: 'BESEDA_FILES_DIR',
  releasesDir: 'BESEDA_RELEASES_DIR',
  maxFileBytes: 'BESEDA_MAX_FILE_BYTES',
  fileQuotaBytesPerDay: 'BESEDA_FILE_QUOTA_BYTES_PER_DAY',
  filesMaxTotalBytes: 'BESEDA_FILES_MAX_TOTAL_BYTES',
  editWindowMs: 'BESEDA_EDIT_WINDOW',
  maxReactionsPerMessage: 'BESEDA_MAX_REACTIONS',
  logFormat: 'BESEDA_LOG_FORMAT',
  trustProxy: 'BESEDA_TRUST_PROXY',
  backupDir: 'BESEDA_BACKUP_DIR',
  backupEveryMs: 'BESEDA_BACKUP_EVERY',
  backupKeep: 'BESEDA_BACKUP_KEEP',
  metricsAllow: 'BESEDA_METRICS_ALLOW',
  metricsToken: 'BESEDA_METRICS_TOKEN',
  directoryConfig: 'BESEDA_DIRECTORY_CONFIG',
  sessionIdleMs: 'BESEDA_SESSION_IDLE',
  sessionMaxMs: 'BESEDA_SESSION_MAX',
  inviteValidMs: 'BESEDA_INVITE_VALID',
  minPasswordLength: 'BESEDA_MIN_PASSWORD_LENGTH',
  callbackAllow: 'BESEDA_CALLBACK_ALLOW',
  callbackTimeoutMs: 'BESEDA_CALLBACK_TIMEOUT',
};

/** Command-line flag for each setting (--port, --data, ...). */
export const flagNames: Record<string, keyof HubConfig> = {
  host: 'host',
  port: 'port',
  data: 'dataDir',
  store: 'store',
  'store-pool': 'storePoolSize',
  redis: 'redis',
  'node-id': 'nodeId',
  'tls-cert': 'tlsCert',
  'tls-key': 'tlsKey',
  origin: 'allowedOrigins',
  'frame-ancestors': 'frameAncestors',
  'log-level': 'logLevel',
  'scrypt-n': 'scryptN',
  'max-text-bytes': 'maxTextBytes',
  'send-per-second': 'sendPerSecond',
  'send-burst': 'sendBurst',
  'frames-per-second': 'framesPerSecond',
  'frames-burst': 'framesBurst',
  'soft-buffer-bytes': 'softBufferBytes',
  'hard-buffer-bytes': 'hardBufferBytes',
  'heartbeat-ms': 'heartbeatMs',
  'presence-grace-ms': 'presenceGraceMs',
  'presence-batch-ms': 'presenceBatchMs',
  'public-url': 'publicUrl',
  'web-root': 'webRoot',
  name: 'name',
  'max-db-pages': 'maxDbPages',
  'files-dir': 'filesDir',
  'releases-dir': 'releasesDir',
  'max-file-bytes': 'maxFileBytes',
  'file-quota-bytes': 'fileQuotaBytesPerDay',
  'files-max-total-bytes': 'filesMaxTotalBytes',
  'edit-window': 'editWindowMs',
  'max-reactions': 'maxReactionsPerMessage',
  'log-format': 'logFormat',
  'trust-proxy': 'trustProxy',
  'backup-dir': 'backupDir',
  'backup-every': 'backupEveryMs',
  'backup-keep': 'backupKeep',
  'metrics-allow': 'metricsAllow',
  'metrics-token': 'metricsToken',
  directory: 'directoryConfig',
  'session-idle': 'sessionIdleMs',
  'session-max': 'sessionMaxMs',
  'invite-valid': 'inviteValidMs',
  'min-password-length': 'minPasswordLength',
  'callback-allow': 'callbackAllow',
  'callback-timeout': 'callbackTimeoutMs',
};

const numeric = new Set<keyof HubConfig>([
  'port',
  'storePoolSize',
  'scryptN',
  'maxTextBytes',
  'sendPerSecond',
  'sendBurst',
  'framesPerSecond',
  'framesBurst',
  'softBufferBytes',
  'hardBufferBytes',
  'heartbeatMs',
  'presenceGraceMs',
  'presenceBatchMs',
  'maxDbPages',
  'maxFileBytes',
  'fileQuotaBytesPerDay',
  'filesMaxTotalBytes',
  'maxReactionsPerMessage',
  'backupKeep',
  'minPasswordLength',
]);
/** Settings given as a duration (`30m`, `24h`, `7d`, `0`), kept in milliseconds. */
const durations = new Set<keyof HubConfig>([
  'editWindowMs',
  'backupEveryMs',
  'sessionIdleMs',
  'sessionMaxMs',
  'inviteValidMs',
  'callbackTimeoutMs',
]);
const lists = new Set<keyof HubConfig>([
  'allowedOrigins',
  'frameAncestors',
  'trustProxy',
  'metricsAllow',
  'callbackAllow',
]);

/** Turns a string from the environment or a flag into the setting's type. */
function fromString(key: keyof HubConfig, value: string): unknown {
  if (durations.has(key)) {
    const ms = parseDuration(value);
    if (ms === null)
      throw new ConfigError(
        `${key}: "${value}" is not a duration (a number with ms, s, m, h or d, e.g. 30m, 24h, 7d; 0 for none)`,
      );
    return ms;
  }
  if (numeric.has(key)) {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`${key}: "${value}" is not a number`);
    return n;
  }
  if (lists.has(key))
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return value;
}

/**
 * Builds the configuration from, lowest precedence first: defaults, a JSON config file
 * (`--config FILE` or BESEDA_CONFIG), environment variables, command-line flags.
 */
export function loadConfig(
  flags: Record<string, string | string[]>,
  env: Record<string, string | undefined>,
): HubConfig {
  const merged: Raw = { ...defaultHubConfig };
  const file = (flags.config as string | undefined) ?? env.BESEDA_CONFIG;
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ConfigError(`config file ${file} must hold a JSON object`);
    for (const [key, value] of Object.entries(parsed)) {
      if (!(key in defaultHubConfig)) throw new ConfigError(`config file ${file}: unknown setting "${key}"`);
      merged[key as keyof HubConfig] =
        durations.has(key as keyof HubConfig) && typeof value === 'string'
          ? fromString(key as keyof HubConfig, value)
          : value;
    }
  }
  for (const [key, name] of Object.entries(envNames) as [keyof HubConfig, string][]) {
    const value = env[name];
    if (value !== undefined && value !== '') merged[key] = fromString(key, value);
  }
  for (const [flag, value] of Object.entries(flags)) {
    if (flag === 'config') continue;
    const key = flagNames[flag];
    if (!key) throw new ConfigError(`unknown option --${flag}`);
    merged[key] = Array.isArray(value)
      ? value.flatMap((item) => fromString(key, item) as unknown[])
      : fromString(key, value);
  }
  const result = v.safeParse(HubConfigSchema, merged);
  if (!result.success) throw new ConfigError(`invalid configuration: ${describeIssues(result.issues)}`);
  const config = result.output;
  if ((config.tlsCert === null) !== (config.tlsKey === null))
    throw new ConfigError('TLS needs both a certificate (--tls-cert) and a key (--tls-key)');
  if (config.hardBufferBytes < config.softBufferBytes)
    throw new ConfigError('hardBufferBytes must be at least softBufferBytes');
  if (config.publicUrl !== null) config.publicUrl = checkPublicUrl(config.publicUrl);
  try {
    callbackRules(config.callbackAllow);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  return config;
}

/**
 * Refuses settings a serving node cannot run with together (checked when a hub starts, not by
 * {@link loadConfig}: commands that read only the data folder's settings must not trip on them).
 */
export function checkNodeSettings(config: Pick<HubConfig, 'redis' | 'store'>): void {
  if (config.redis !== null && config.store === null)
    throw new ConfigError(
      'redis (--redis) joins this hub to other nodes, which needs a shared PostgreSQL store: give --store postgres://… too (an SQLite file cannot be shared between nodes)',
    );
}

/** An http(s) address without query, fragment or credentials; kept without its trailing slash. */
function checkPublicUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password)
    throw new ConfigError(
      `publicUrl (--public-url): "${value.slice(0, 100)}" is not an http(s) address like https://chat.corp.local`,
    );
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
