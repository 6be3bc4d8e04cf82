import { BlockList, isIP } from 'node:net';

/**
 * Where the hub may send calls to bots (issue 18, "Safety"): the `callbackAllow` setting parsed.
 * Entries are host names (`onec.corp.local`), suffixes (`*.corp.local`), addresses or CIDR ranges
 * (`10.1.2.3`, `10.1.0.0/16`, `fd00::/8`).
 */
export interface CallbackRules {
  /** Whether a callback URL's host may be called at all (always true when the list is empty). */
  hostAllowed(host: string): boolean;
  /**
   * Whether a resolved address may be connected to for a URL of this host: loopback, link-local,
   * private and unspecified addresses only when the address's range or the exact host is listed.
   */
  addressAllowed(address: string, host: string): boolean;
  /** A URL's problem in words, or null when it may be stored and called. */
  checkUrl(url: string): string | null;
}

/**
 * Addresses a callback never reaches unless listed: the hub's own machine, link-local (cloud
 * metadata at 169.254.169.254), private networks, "this host". They are what SSRF aims at.
 */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fe80::', 10],
  ['fc00::', 7],
] as const)
  internal.addSubnet(net, prefix, 'ipv6');

/** An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is checked as the IPv4 address it is. */
function plain(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const unbracketed = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unbracketed);
  const a = mapped ? mapped[1]! : unbracketed;
  const kind = isIP(a);
  return kind === 0 ? null : { address: a, family: kind === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether an address is loopback, link-local, private or unspecified. */
export function isInternalAddress(address: string): boolean {
  const p = plain(address);
  return p === null ? true : internal.check(p.address, p.family);
}

/** Parses `callbackAllow`; throws Error naming a bad entry. */
export function callbackRules(allow: readonly string[]): CallbackRules {
  const names = new Set<string>();
  const suffixes: string[] = [];
  const ranges = new BlockList();
  let hasRanges = false;
  for (const raw of allow) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    const [net, bits] = entry.split('/');
    const p = plain(net!);
    if (p) {
      const max = p.family === 'ipv4' ? 32 : 128;
      const prefix = bits === undefined ? max : Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max)
        throw new Error(`callbackAllow: "${raw}" is not an address or CIDR range`);
      ranges.addSubnet(p.address, prefix, p.family);
      hasRanges = true;
    } else if (entry.startsWith('*.') && /^[a-z0-9.-]+$/.test(entry.slice(2))) suffixes.push(entry.slice(1));
    else if (/^[a-z0-9.-]+$/.test(entry) && bits === undefined) names.add(entry);
    else throw new Error(`callbackAllow: "${raw}" is not a host, *.suffix, address or CIDR range`);
  }
  const listed = names.size > 0 || suffixes.length > 0 || hasRanges;
  const inRanges = (address: string) => {
    const p = plain(address);
    return p !== null && hasRanges && ranges.check(p.address, p.family);
  };
  const hostAllowed = (host: string) => {
    const h = host.toLowerCase().replace(/^\[|\]$/g, '');
    if (!listed) return true;
    if (plain(h)) return inRanges(h);
    return names.has(h) || suffixes.some((s) => h.endsWith(s));
  };
  return {
    hostAllowed,
    addressAllowed(address, host) {
      if (!isInternalAddress(address)) return true;
      // Listed explicitly: the address's own range, or this exact host name (never by a suffix).
      return inRanges(address) || names.has(host.toLowerCase());
    },
    checkUrl(value) {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return 'not a URL';
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'only http and https URLs';
      if (url.username || url.password) return 'no user or password in the URL';
      if (url.hash) return 'no #fragment in the URL';
      if (!hostAllowed(url.hostname)) return `host ${url.hostname} is not in callbackAllow`;
      const literal = plain(url.hostname);
      if (literal && !this.addressAllowed(literal.address, url.hostname))
        return `address ${literal.address} is internal (loopback, link-local or private) and not in callbackAllow`;
      return null;
    },
  };
}
