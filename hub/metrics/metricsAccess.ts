import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { HubConfig } from '../config/HubConfig.ts';
import { ConfigError } from '../config/loadConfig.ts';
import { proxyTrust } from '../server/clientAddress.ts';
import { remoteAddress } from '../server/httpJson.ts';
import { forwardingHeader, isLoopback } from '../server/ownMachine.ts';

/** The answer of a {@link MetricsAccess} check: allowed, or refused with the reason given to the caller. */
export type MetricsDecision = { ok: true } | { ok: false; reason: string; address: string };

/** Decides whether one request may read `/metrics`. */
export type MetricsAccess = (req: IncomingMessage) => MetricsDecision;

/**
 * Who may read `/metrics` (it tells how busy the hub is and when it was last backed up, so not
 * everyone): the hub's own machine (127.0.0.1, ::1) unless the request came through a proxy;
 * the addresses and CIDR ranges of `--metrics-allow`; or anyone sending `Authorization: Bearer`
 * with `--metrics-token`. The address is the client's as `remoteAddress` works it out (from
 * `X-Forwarded-For` only behind a `--trust-proxy`). A wrong `--metrics-allow` entry is a
 * configuration error at start.
 */
export function metricsAccess(config: Pick<HubConfig, 'metricsAllow' | 'metricsToken'>): MetricsAccess {
  const allowed = allowList(config.metricsAllow);
  const token = config.metricsToken === null ? null : digest(config.metricsToken);
  return (req) => {
    const address = remoteAddress(req);
    if (allowed.trusts(address)) return { ok: true };
    const offered = bearer(req);
    if (token !== null && offered !== null && timingSafeEqual(digest(offered), token)) return { ok: true };
    const local = isLoopback(address);
    const forwarded = forwardingHeader(req);
    if (local && forwarded === undefined) return { ok: true };
    if (offered !== null)
      return {
        ok: false,
        address,
        reason:
          token === null ? 'this hub has no --metrics-token' : "the bearer token is not the hub's --metrics-token",
      };
    const why =
      local && forwarded
        ? `a request forwarded by a proxy (${forwarded}) does not count as the hub's own machine`
        : `${address} is not in --metrics-allow`;
    return {
      ok: false,
      address,
      reason: `metrics are for the hub's own machine, --metrics-allow addresses or a bearer --metrics-token: ${why}`,
    };
  };
}

/**
 * The `--metrics-allow` entries as an address matcher (parsed as `--trust-proxy` is), each wrong
 * entry refused under this setting's own name.
 */
function allowList(entries: readonly string[]) {
  for (const entry of entries) {
    try {
      proxyTrust([entry]);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      throw new ConfigError(
        `--metrics-allow (metricsAllow): "${entry}" is not an IP address or CIDR range (e.g. 10.0.5.20, 10.0.6.0/24, fd00::/8)`,
      );
    }
  }
  return proxyTrust(entries);
}

/** The token of `Authorization: Bearer …` (any characters: IT chooses the token), or null. */
function bearer(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match ? match[1]! : null;
}

/** Compared as digests, so the comparison takes the same time whatever the lengths. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
