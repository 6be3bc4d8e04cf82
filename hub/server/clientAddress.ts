import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { ConfigError } from '../config/loadConfig.ts';

/** Which socket peers are reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed. */
export interface ProxyTrust {
  /** Whether an address (plain, IPv6 or IPv4-mapped) is one of the trusted proxies. */
  trusts(address: string): boolean;
  /** True when no proxy is trusted: the socket's address is always the client's. */
  readonly none: boolean;
}

/**
 * Parses `--trust-proxy` entries: IPv4 or IPv6 addresses (an IPv4-mapped `::ffff:a.b.c.d` counts
 * as its IPv4 address) and CIDR ranges (`10.0.0.0/8`, `fd00::/8`). A wrong entry is a
 * configuration error: a typo here would silently make every user share the proxy's address.
 */
export function proxyTrust(entries: readonly string[]): ProxyTrust {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const slash = entry.indexOf('/');
    const address = normalizeAddress(slash < 0 ? entry : entry.slice(0, slash));
    const family = isIP(address);
    const prefixText = slash < 0 ? null : entry.slice(slash + 1);
    const prefix = prefixText === null ? null : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    const max = family === 4 ? 32 : 128;
    if (family === 0 || (prefix !== null && !(prefix >= 0 && prefix <= max)))
      throw new ConfigError(
        `--trust-proxy (trustProxy): "${raw}" is not an IP address or CIDR range (e.g. 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8)`,
      );
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === null) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  const none = entries.length === 0;
  return {
    none,
    trusts(address) {
      if (none) return false;
      const plain = normalizeAddress(address);
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** `::ffff:10.1.2.3` → `10.1.2.3`; anything else unchanged. Logs and throttles see one form per client. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped && isIP(mapped[1]!) === 4 ? mapped[1]! : address;
}

/**
 * The client's address for one request. The socket's peer, unless that peer is a trusted proxy:
 * then `X-Forwarded-For` is read right to left (each proxy appends the address it was connected
 * from), trusted hops are skipped and the first untrusted address is the client; when every hop
 * is trusted, the leftmost. Whatever a client put further left is never read. A missing, empty or
 * malformed header (a hop that is not a plain IP address) gives the socket's peer.
 */
export function clientAddressOf(req: IncomingMessage, trust: ProxyTrust): string {
  const peer = normalizeAddress(req.socket.remoteAddress ?? 'unknown');
  if (trust.none || !trust.trusts(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return peer;
  const hops = text.split(',').map((hop) => normalizeAddress(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return peer;
    if (!trust.trusts(hop) || i === 0) return hop;
  }
  return peer;
}

/**
 * Whether the client reached the hub over TLS: the hub's own (`secure`), or, from a trusted
 * proxy, `X-Forwarded-Proto: https` (a proxy terminating TLS; the browser's Origin is then https).
 */
export function forwardedSecure(req: IncomingMessage, trust: ProxyTrust, secure: boolean): boolean {
  if (secure) return true;
  const peer = req.socket.remoteAddress ?? '';
  if (trust.none || !trust.trusts(peer)) return false;
  const proto = req.headers['x-forwarded-proto'];
  const value = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim().toLowerCase();
  return value === 'https';
}

/** Each request's client address, worked out once as it arrives (see {@link rememberClientAddress}). */
const remembered = new WeakMap<IncomingMessage, string>();

/**
 * Works out a request's client address as it arrives and keeps it with the request, so every
 * later reader (`remoteAddress(req)` in throttling, logs, the metrics allowlist) sees the same
 * answer without being handed the server's trust settings.
 */
export function rememberClientAddress(req: IncomingMessage, trust: ProxyTrust): string {
  const address = clientAddressOf(req, trust);
  remembered.set(req, address);
  return address;
}

/** The address {@link rememberClientAddress} found for this request, if it was called. */
export function rememberedClientAddress(req: IncomingMessage): string | undefined {
  return remembered.get(req);
}
