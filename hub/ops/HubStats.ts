/** Counts and sizes of the hub core that `/metrics` reads at each scrape. */
export interface HubStats {
  /** Sign-in attempts with a wrong login or password, since start. */
  loginFailures: number;
  /** Sign-in attempts refused to wait by the back-off (rate_limited), since start. */
  loginsThrottled: number;
  /** The database's size in bytes (its pages, free ones included). */
  databaseBytes: number;
  /** Its write-ahead log on disk, in bytes (0 when none). */
  databaseWalBytes: number;
}
