import * as v from 'valibot';

/** The hub's configuration schema: every source (file, environment, flags) is checked against it. */
export const HubConfigSchema = v.object({
  /** Address to listen on. 0.0.0.0 to serve branch offices; 127.0.0.1 for local use. */
  host: v.pipe(v.string(), v.minLength(1)),
  /** TCP port; 0 picks a free one (tests). */
  port: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(65535)),
  /** Folder for the database, the admin socket and the lock. */
  dataDir: v.pipe(v.string(), v.minLength(1)),
  /**
   * Where the hub keeps its data: null, the embedded SQLite file in the data folder (the default);
   * `postgres://user@host:5432/db`, a PostgreSQL database (several hub nodes share one). The
   * password belongs in PGPASSWORD or ~/.pgpass of the service, not in this address.
   */
  store: v.nullable(
    v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\/./, 'a PostgreSQL address: postgres://user@host:5432/database')),
  ),
  /** Connections to PostgreSQL one hub process keeps open at most. */
  storePoolSize: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(500)),
  /**
   * Redis that several hub nodes share (`redis://host:6379[/db]`, `rediss://` for TLS): events,
   * presence and limits travel between the nodes through it. Null: a single node. Needs a
   * PostgreSQL `store` (an SQLite file cannot be shared between nodes).
   */
  redis: v.nullable(
    v.pipe(v.string(), v.regex(/^rediss?:\/\/./, 'a Redis address: redis://host:6379 or redis://host:6379/0')),
  ),
  /**
   * This node's name among the nodes of one hub (logs, the event bus, presence in Redis): letters,
   * digits and `.:_-`. Null: `<hostname>:<port>` (with `--port 0`, `<hostname>:pid<pid>`).
   */
  nodeId: v.nullable(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9._:-]{1,64}$/, 'up to 64 letters, digits, dots, colons, dashes or underscores'),
    ),
  ),
  /** PEM certificate and key: when both are set the hub speaks https/wss only. */
  tlsCert: v.nullable(v.string()),
  tlsKey: v.nullable(v.string()),
  /** Browser origins allowed to open the WebSocket besides the hub's own (e.g. a 1C web server). */
  allowedOrigins: v.array(v.string()),
  /** Who may frame the web client (`frame-ancestors`), e.g. a 1C web client's origin; empty = nobody. */
  frameAncestors: v.array(v.string()),
  logLevel: v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  /** scrypt cost N for new password hashes (OWASP: 2^17). Lower only for tests and benchmarks. */
  scryptN: v.pipe(v.number(), v.safeInteger(), v.minValue(2 ** 10)),
  /** Longest message text in UTF-8 bytes. */
  maxTextBytes: v.pipe(v.number(), v.safeInteger(), v.minValue(256), v.maxValue(60000)),
  /** Per-user message rate (token bucket). */
  sendPerSecond: v.pipe(v.number(), v.minValue(0.1)),
  sendBurst: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  /** Per-connection frame rate (token bucket), all frame types. */
  framesPerSecond: v.pipe(v.number(), v.minValue(1)),
  framesBurst: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  /** Outgoing bytes buffered for one socket before ephemeral events are dropped, and before it is cut off. */
  softBufferBytes: v.pipe(v.number(), v.safeInteger(), v.minValue(1024)),
  hardBufferBytes: v.pipe(v.number(), v.safeInteger(), v.minValue(1024)),
  /** Ping interval; a socket that has not answered the previous ping is dropped. */
  heartbeatMs: v.pipe(v.number(), v.safeInteger(), v.minValue(100)),
  /** Presence changes are gathered this long and sent as one frame (morning arrivals, reconnect storms). */
  presenceBatchMs: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(10_000)),
  /** How long a user stays "online" after their last connection closed. */
  presenceGraceMs: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /**
   * The address people's browsers open the hub at (https://chat.corp.local, maybe with a path
   * prefix behind a proxy): whole links the hub hands out (embed links for 1C) are built on it,
   * never on the Host header of the caller's request. Null: as the request came.
   */
  publicUrl: v.nullable(v.pipe(v.string(), v.minLength(1))),
  /** Folder with the built web client (served at /); null: dist/web beside the hub's own files. */
  webRoot: v.nullable(v.string()),
  /** The hub's name shown to clients. */
  name: v.string(),
  /** Cap on the database size in 4 KiB pages (null: none): sends fail with storage_full beyond it. */
  maxDbPages: v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  /** Folder of the uploaded files' blobs; null: `files` in the data folder. */
  filesDir: v.nullable(v.pipe(v.string(), v.minLength(1))),
  /** Folder of the desktop releases served as updates; null: `releases` in the data folder. */
  releasesDir: v.nullable(v.pipe(v.string(), v.minLength(1))),
  /** The largest file accepted, in bytes (answered 413 file_too_large, before the body when it is announced). */
  maxFileBytes: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  /** Bytes one person (or bot) may upload in any 24 hours (413 quota_exceeded beyond). */
  fileQuotaBytesPerDay: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** Bytes all stored files may take together (null: only the disk); uploads past it get 507 storage_full. */
  filesMaxTotalBytes: v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
  /**
   * How long after sending an author may edit a message, in ms (`--edit-window 30m`, `24h`, `7d`;
   * a config file may give a number of ms or such a string); 0: no limit. Later edits: `edit_expired`.
   */
  editWindowMs: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** How many different emoji one message may carry (`too_many_reactions` beyond). */
  maxReactionsPerMessage: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1000)),
  /** Log lines: `pretty` (readable, for a terminal), `json` (one object per line, for collectors); `auto`: pretty on a terminal. */
  logFormat: v.picklist(['auto', 'pretty', 'json']),
  /**
   * Reverse proxies (addresses or CIDR ranges) whose `X-Forwarded-For` is believed: the client's
   * address is then taken from that header (throttling, logs). Empty: the socket's address, always.
   */
  trustProxy: v.array(v.string()),
  /** Folder of the scheduled and pre-migration backups; null: `backups` in the data folder. */
  backupDir: v.nullable(v.pipe(v.string(), v.minLength(1))),
  /** How often a scheduled backup (database and files) is taken, in ms (`--backup-every 6h`); 0: never. */
  backupEveryMs: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  /** How many scheduled backups are kept (older ones are removed once a new one is verified). */
  backupKeep: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  /** Who may read `GET /metrics` besides the hub's own machine: addresses or CIDR ranges. */
  metricsAllow: v.array(v.string()),
  /** A bearer token that also opens `GET /metrics` (from any address); null: none. */
  metricsToken: v.nullable(v.pipe(v.string(), v.minLength(16))),
  /**
   * The directory (LDAP / Active Directory) settings file: server, bind account, base DN, filters,
   * attribute and group→room mappings (hub/identity/ldap/DirectoryConfig.ts). Null: no directory,
   * every account signs in with a local password.
   */
  directoryConfig: v.nullable(v.pipe(v.string(), v.minLength(1))),
  /** A session unused this long ends (ms; `--session-idle 30d`). */
  sessionIdleMs: v.pipe(v.number(), v.safeInteger(), v.minValue(60_000)),
  /** A session ends this long after its sign-in whatever its use (ms; `--session-max 180d`); apps renew theirs silently before. */
  sessionMaxMs: v.pipe(v.number(), v.safeInteger(), v.minValue(60_000)),
  /** How long an invitation link or code stays valid (ms; `--invite-valid 7d`). */
  inviteValidMs: v.pipe(v.number(), v.safeInteger(), v.minValue(60_000)),
  /** The shortest password people may choose (length over composition rules, as OWASP and NIST advise). */
  minPasswordLength: v.pipe(v.number(), v.safeInteger(), v.minValue(8), v.maxValue(64)),
  /**
   * Where calls to bots (callback URLs, issue 18) may go: hosts, `*.suffix`es, addresses or CIDR
   * ranges. Empty: any host, but never a loopback, link-local or private address; a listed
   * address, range or exact host name allows those too (a 1C server on the LAN).
   */
  callbackAllow: v.array(v.string()),
  /** The whole deadline of one call to a bot, in ms (`--callback-timeout 10s`). */
  callbackTimeoutMs: v.pipe(v.number(), v.safeInteger(), v.minValue(100), v.maxValue(120_000)),
});

/** The hub's configuration. */
export type HubConfig = v.InferOutput<typeof HubConfigSchema>;

/** Defaults: production settings, listening on all interfaces at 8080 with data in ./data. */
export const defaultHubConfig: HubConfig = {
  host: '0.0.0.0',
  port: 8080,
  dataDir: './data',
  store: null,
  storePoolSize: 10,
  redis: null,
  nodeId: null,
  tlsCert: null,
  tlsKey: null,
  allowedOrigins: [],
  frameAncestors: [],
  logLevel: 'info',
  scryptN: 2 ** 17,
  maxTextBytes: 16384,
  sendPerSecond: 10,
  sendBurst: 30,
  framesPerSecond: 50,
  framesBurst: 200,
  softBufferBytes: 512 * 1024,
  hardBufferBytes: 4 * 1024 * 1024,
  heartbeatMs: 30_000,
  presenceGraceMs: 5_000,
  presenceBatchMs: 250,
  publicUrl: null,
  webRoot: null,
  name: 'Beseda',
  maxDbPages: null,
  filesDir: null,
  releasesDir: null,
  maxFileBytes: 100 * 1024 * 1024,
  fileQuotaBytesPerDay: 1024 * 1024 * 1024,
  filesMaxTotalBytes: null,
  editWindowMs: 0,
  maxReactionsPerMessage: 20,
  logFormat: 'auto',
  trustProxy: [],
  backupDir: null,
  backupEveryMs: 24 * 3_600_000,
  backupKeep: 7,
  metricsAllow: [],
  metricsToken: null,
  directoryConfig: null,
  sessionIdleMs: 30 * 86_400_000,
  sessionMaxMs: 180 * 86_400_000,
  inviteValidMs: 7 * 86_400_000,
  minPasswordLength: 10,
  callbackAllow: [],
  callbackTimeoutMs: 10_000,
};
