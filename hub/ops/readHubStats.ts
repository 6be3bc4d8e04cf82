import type { Accounts } from './Accounts.ts';
import type { HubContext } from './HubContext.ts';
import type { HubStats } from './HubStats.ts';

/** Reads the counts and sizes of {@link HubStats}: plain counters, and the store's size (through its seam). */
export async function readHubStats(ctx: HubContext, accounts: Accounts): Promise<HubStats> {
  const size = await ctx.store.admin.size();
  const logins = accounts.loginCounts;
  return {
    loginFailures: logins.failed,
    loginsThrottled: logins.refused,
    databaseBytes: size.bytes,
    databaseWalBytes: size.walBytes,
  };
}
