import type { HubConfig } from './HubConfig.ts';

/** How one setting is documented: in `serve --help`, README's settings table and the runbook. */
export interface SettingDoc {
  /** The command-line flag without `--` (must be the one loadConfig's `flagNames` maps to this key). */
  flag: string;
  /** The environment variable. */
  env: string;
  /** The value's placeholder in `--help` (`N`, `DIR`, `DURATION`, `ADDR,…`). */
  value: string;
  /** The default as IT reads it (`8080`, `DATA/files`, `— (none)`). */
  default: string;
  /** One line: what it does. */
  help: string;
  /** Given more than once (or comma-separated): a list. */
  list?: boolean;
}

/**
 * Every setting of the hub, one entry per {@link HubConfig} key (a test fails when one is missing,
 * and when a flag or environment name here is not what loadConfig reads). `serve --help` and
 * README's settings table (`npm run -s settings-table`) are generated from it, so neither can
 * leave a setting out.
 */
export const settingDocs: Record<keyof HubConfig, SettingDoc> = {
  host: { flag: 'host', env: 'BESEDA_HOST', value: 'ADDR', default: '0.0.0.0', help: 'address to listen on' },
  port: { flag: 'port', env: 'BESEDA_PORT', value: 'N', default: '8080', help: 'TCP port (0: any free one)' },
  dataDir: {
    flag: 'data',
    env: 'BESEDA_DATA',
    value: 'DIR',
    default: './data',
    help: 'database, admin socket, lock (kept private: 0700); serve creates it if its parent exists',
  },
  store: {
    flag: 'store',
    env: 'BESEDA_STORE',
    value: 'URL',
    default: '— (SQLite in DIR)',
    help: 'postgres://user@host:5432/db: keep data in PostgreSQL (password in PGPASSWORD or ~/.pgpass)',
  },
  storePoolSize: {
    flag: 'store-pool',
    env: 'BESEDA_STORE_POOL',
    value: 'N',
    default: '10',
    help: 'connections to PostgreSQL one hub process keeps at most',
  },
  redis: {
    flag: 'redis',
    env: 'BESEDA_REDIS',
    value: 'URL',
    default: '— (one node)',
    help: 'redis://host:6379[/db]: run as one of several nodes sharing this Redis (needs --store postgres://…)',
  },
  nodeId: {
    flag: 'node-id',
    env: 'BESEDA_NODE_ID',
    value: 'NAME',
    default: 'HOSTNAME:PORT',
    help: "this node's name among the hub's nodes (logs, Redis); unique per node",
  },
  tlsCert: {
    flag: 'tls-cert',
    env: 'BESEDA_TLS_CERT',
    value: 'FILE',
    default: '—',
    help: 'PEM certificate: https/wss when given with --tls-key (re-read on SIGHUP)',
  },
  tlsKey: {
    flag: 'tls-key',
    env: 'BESEDA_TLS_KEY',
    value: 'FILE',
    default: '—',
    help: 'PEM private key of --tls-cert',
  },
  allowedOrigins: {
    flag: 'origin',
    env: 'BESEDA_ALLOWED_ORIGINS',
    value: 'URL',
    default: '—',
    help: "browser origins allowed to connect besides the hub's own",
    list: true,
  },
  frameAncestors: {
    flag: 'frame-ancestors',
    env: 'BESEDA_FRAME_ANCESTORS',
    value: 'URL',
    default: '— (nobody)',
    help: 'who may embed the web client in a frame (a 1C web server)',
    list: true,
  },
  logLevel: {
    flag: 'log-level',
    env: 'BESEDA_LOG_LEVEL',
    value: 'LEVEL',
    default: 'info',
    help: 'fatal, error, warn, info, debug, trace or silent; never message text or tokens',
  },
  scryptN: {
    flag: 'scrypt-n',
    env: 'BESEDA_SCRYPT_N',
    value: 'N',
    default: '131072',
    help: 'scrypt cost of new password hashes (2^17); lower only for tests and benchmarks',
  },
  maxTextBytes: {
    flag: 'max-text-bytes',
    env: 'BESEDA_MAX_TEXT_BYTES',
    value: 'N',
    default: '16384',
    help: 'longest message text in UTF-8 bytes (256–60000)',
  },
  sendPerSecond: {
    flag: 'send-per-second',
    env: 'BESEDA_SEND_PER_SECOND',
    value: 'N',
    default: '10',
    help: 'messages one person may send per second, sustained',
  },
  sendBurst: {
    flag: 'send-burst',
    env: 'BESEDA_SEND_BURST',
    value: 'N',
    default: '30',
    help: 'messages one person may send at once before the rate applies',
  },
  framesPerSecond: {
    flag: 'frames-per-second',
    env: 'BESEDA_FRAMES_PER_SECOND',
    value: 'N',
    default: '50',
    help: 'WebSocket frames one connection may send per second, sustained',
  },
  framesBurst: {
    flag: 'frames-burst',
    env: 'BESEDA_FRAMES_BURST',
    value: 'N',
    default: '200',
    help: 'frames one connection may send at once',
  },
  softBufferBytes: {
    flag: 'soft-buffer-bytes',
    env: 'BESEDA_SOFT_BUFFER_BYTES',
    value: 'N',
    default: '524288',
    help: 'bytes queued for a slow connection before typing and presence are dropped for it',
  },
  hardBufferBytes: {
    flag: 'hard-buffer-bytes',
    env: 'BESEDA_HARD_BUFFER_BYTES',
    value: 'N',
    default: '4194304',
    help: 'bytes queued for a slow connection before it is cut off (it reconnects and syncs)',
  },
  heartbeatMs: {
    flag: 'heartbeat-ms',
    env: 'BESEDA_HEARTBEAT_MS',
    value: 'MS',
    default: '30000',
    help: 'ping interval; a connection that missed the previous ping is dropped',
  },
  presenceGraceMs: {
    flag: 'presence-grace-ms',
    env: 'BESEDA_PRESENCE_GRACE_MS',
    value: 'MS',
    default: '5000',
    help: 'how long someone stays online after their last connection closed',
  },
  presenceBatchMs: {
    flag: 'presence-batch-ms',
    env: 'BESEDA_PRESENCE_BATCH_MS',
    value: 'MS',
    default: '250',
    help: 'presence changes gathered into one frame (morning arrivals, reconnect storms)',
  },
  publicUrl: {
    flag: 'public-url',
    env: 'BESEDA_PUBLIC_URL',
    value: 'URL',
    default: "— (the request's address)",
    help: "the address people's browsers open the hub at (https://chat.corp.local): embed links for 1C are built on it",
  },
  webRoot: {
    flag: 'web-root',
    env: 'BESEDA_WEB_ROOT',
    value: 'DIR',
    default: 'dist/web',
    help: "the built web client, served at / (default: beside the hub's own files)",
  },
  name: { flag: 'name', env: 'BESEDA_NAME', value: 'TEXT', default: 'Beseda', help: "the hub's name shown to clients" },
  maxDbPages: {
    flag: 'max-db-pages',
    env: 'BESEDA_MAX_DB_PAGES',
    value: 'N',
    default: '— (disk)',
    help: 'cap on the database size in 4 KiB pages: sends fail with storage_full beyond it',
  },
  filesDir: {
    flag: 'files-dir',
    env: 'BESEDA_FILES_DIR',
    value: 'DIR',
    default: 'DATA/files',
    help: 'uploaded files (screenshots, documents), kept private: 0700',
  },
  releasesDir: {
    flag: 'releases-dir',
    env: 'BESEDA_RELEASES_DIR',
    value: 'DIR',
    default: 'DATA/releases',
    help: 'desktop releases served as updates (release add); several nodes: one shared folder',
  },
  maxFileBytes: {
    flag: 'max-file-bytes',
    env: 'BESEDA_MAX_FILE_BYTES',
    value: 'N',
    default: '104857600',
    help: 'largest file (100 MB): 413 file_too_large',
  },
  fileQuotaBytesPerDay: {
    flag: 'file-quota-bytes',
    env: 'BESEDA_FILE_QUOTA_BYTES_PER_DAY',
    value: 'N',
    default: '1073741824',
    help: 'bytes one person may upload in any 24 h (1 GB): 413 quota_exceeded',
  },
  filesMaxTotalBytes: {
    flag: 'files-max-total-bytes',
    env: 'BESEDA_FILES_MAX_TOTAL_BYTES',
    value: 'N',
    default: '— (disk)',
    help: 'all stored files together: 507 storage_full beyond',
  },
  editWindowMs: {
    flag: 'edit-window',
    env: 'BESEDA_EDIT_WINDOW',
    value: 'DURATION',
    default: '0 (always)',
    help: 'how long after sending an author may edit: 30m, 24h, 7d; 0 = no limit',
  },
  maxReactionsPerMessage: {
    flag: 'max-reactions',
    env: 'BESEDA_MAX_REACTIONS',
    value: 'N',
    default: '20',
    help: 'different emoji on one message',
  },
  logFormat: {
    flag: 'log-format',
    env: 'BESEDA_LOG_FORMAT',
    value: 'FORMAT',
    default: 'auto',
    help: 'pretty (readable), json (one object a line, for collectors); auto = pretty on a terminal',
  },
  trustProxy: {
    flag: 'trust-proxy',
    env: 'BESEDA_TRUST_PROXY',
    value: 'ADDR',
    default: '—',
    help: 'reverse proxies (addresses or CIDR) whose X-Forwarded-For names the client',
    list: true,
  },
  backupDir: {
    flag: 'backup-dir',
    env: 'BESEDA_BACKUP_DIR',
    value: 'DIR',
    default: 'DATA/backups',
    help: 'scheduled and pre-migration backups (better on another disk)',
  },
  backupEveryMs: {
    flag: 'backup-every',
    env: 'BESEDA_BACKUP_EVERY',
    value: 'DURATION',
    default: '24h',
    help: 'how often a verified backup (database and files) is taken: 6h, 1d; 0 = never',
  },
  backupKeep: {
    flag: 'backup-keep',
    env: 'BESEDA_BACKUP_KEEP',
    value: 'N',
    default: '7',
    help: 'how many scheduled backups are kept',
  },
  metricsAllow: {
    flag: 'metrics-allow',
    env: 'BESEDA_METRICS_ALLOW',
    value: 'ADDR',
    default: '— (loopback)',
    help: 'who may read GET /metrics besides this machine: addresses or CIDR',
    list: true,
  },
  metricsToken: {
    flag: 'metrics-token',
    env: 'BESEDA_METRICS_TOKEN',
    value: 'TOKEN',
    default: '—',
    help: 'a bearer token (16+ characters) that opens GET /metrics from anywhere',
  },
  directoryConfig: {
    flag: 'directory',
    env: 'BESEDA_DIRECTORY_CONFIG',
    value: 'FILE',
    default: '— (none)',
    help: 'LDAP / Active Directory settings (JSON): sign-in with the Windows password, directory sync',
  },
  sessionIdleMs: {
    flag: 'session-idle',
    env: 'BESEDA_SESSION_IDLE',
    value: 'DURATION',
    default: '30d',
    help: 'a session unused this long ends (sign in again)',
  },
  sessionMaxMs: {
    flag: 'session-max',
    env: 'BESEDA_SESSION_MAX',
    value: 'DURATION',
    default: '180d',
    help: 'a session ends this long after sign-in; apps in use renew theirs silently',
  },
  inviteValidMs: {
    flag: 'invite-valid',
    env: 'BESEDA_INVITE_VALID',
    value: 'DURATION',
    default: '7d',
    help: 'how long an invitation (user invite) stays valid',
  },
  minPasswordLength: {
    flag: 'min-password-length',
    env: 'BESEDA_MIN_PASSWORD_LENGTH',
    value: 'N',
    default: '10',
    help: 'shortest password people may choose (length, not character classes; common passwords refused)',
  },
  callbackAllow: {
    flag: 'callback-allow',
    env: 'BESEDA_CALLBACK_ALLOW',
    value: 'HOST',
    default: '— (any public host)',
    help: 'where calls to bots may go: hosts, *.suffix, addresses or CIDR; internal addresses only when listed',
    list: true,
  },
  callbackTimeoutMs: {
    flag: 'callback-timeout',
    env: 'BESEDA_CALLBACK_TIMEOUT',
    value: 'DURATION',
    default: '10s',
    help: 'deadline of one call to a bot (connect, send, answer)',
  },
};

/** The settings in README's and `serve --help`'s order (the order of HubConfig). */
export function settingDocList(): Array<SettingDoc & { key: keyof HubConfig }> {
  return (Object.keys(settingDocs) as Array<keyof HubConfig>).map((key) => ({ key, ...settingDocs[key] }));
}

/**
 * README's settings table (Markdown), generated: `npm run -s settings-table` rewrites it between
 * its markers, and a test compares the two.
 */
export function settingsTableMarkdown(): string {
  const rows = settingDocList().map((d) => [
    `\`--${d.flag}\`${d.list ? ' (repeatable)' : ''}`,
    `\`${d.env}\`${d.list ? ' (comma-separated)' : ''}`,
    d.default,
    d.help.replace(/\|/g, '\\|'),
  ]);
  const header = ['flag', 'environment', 'default', 'what it does'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
