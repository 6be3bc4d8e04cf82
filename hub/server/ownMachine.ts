import type { IncomingMessage } from 'node:http';
import { remoteAddress } from './httpJson.ts';

/** Whether an address is the hub's own machine (IPv4 and IPv6 loopback, and the IPv4-mapped form). */
export const isLoopback = (address: string | undefined): boolean =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

/** Headers a reverse proxy adds: a request carrying one did not start on the hub's own machine. */
const forwardingHeaders = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/** The first forwarding header a request carries, if any. */
export function forwardingHeader(req: IncomingMessage): string | undefined {
  return forwardingHeaders.find((name) => req.headers[name] !== undefined);
}

/**
 * Whether a request comes from the hub's own machine: the client's address (as `remoteAddress`
 * works it out, from `X-Forwarded-For` only behind a `--trust-proxy`) is loopback and no proxy
 * forwarded it. Without the second half a reverse proxy on the same machine would make every
 * client look local (what `/healthz` and `/metrics` show only to the machine itself).
 */
export function fromOwnMachine(req: IncomingMessage): boolean {
  return isLoopback(remoteAddress(req)) && forwardingHeader(req) === undefined;
}
