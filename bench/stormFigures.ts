// The shape of the reconnect storm's breakdown, shared by the storm phase and the report (types
// only, so the report imports no phase).

/** p50 / p99 / max of one storm stage, in seconds, over the clients. */
export interface StageSeconds {
  p50: number;
  p99: number;
  max: number;
}

/** Where the reconnect storm's time goes (all in seconds unless said). */
export interface StormBreakdown {
  /** Hub stop → listening again. */
  restartS: number;
  /** Hub listening → the missed messages posted (the clients' clock stands still meanwhile). */
  awayS: number;
  /** Hub available → a client's first attempt after it: the reconnect back-off the real client waits (common/client/backoffDelay). */
  backoffWait: StageSeconds;
  /** Attempt → hello (TCP, upgrade, token check, hello), the successful attempt only. */
  connect: StageSeconds;
  /** Attempt → HTTP 101: TCP, the upgrade request, the token checked (the rest of `connect` is hello). */
  upgrade?: StageSeconds;
  /** hello → the last sync page. */
  sync: StageSeconds;
  /** Sync requests per client (page size as the real client: min(500, the hub's syncPageMax)). */
  syncRoundTrips: { total: number; max: number; pageSize: number };
  /** Failed attempts after the hub was available again, by reason. */
  failedAttempts: number;
  /** Hub CPU (% of one core) over the storm, and its samples every `sampleMs`. */
  hubCpuPercent: number;
  hubCpuSamples: number[];
  sampleMs: number;
  /**
   * Share of the 20 ms samples of `hubStates` where the hub's main thread slept waiting for work (S)
   * while clients were not all caught up: idle. (Low CPU alone is not idle on a loaded machine.)
   */
  hubIdleShare: number;
  /** Load generators' CPU together (% of one core each). */
  generatorCpuPercent: number;
  /** TCP listen-queue overflows on this machine during the storm (/proc/net/netstat ListenOverflows). */
  listenOverflows: number;
  /** The hub's main thread state sampled every 20 ms: R running, S sleeping (waiting for work), D waiting on the disk. */
  hubStates?: Record<string, number>;
}
