import { websocketPath } from '../protocol/version.ts';

/** Where a hub's endpoints are, derived from the address a user typed. */
export interface HubUrls {
  /** The canonical address, e.g. `https://hub.example.ru:8443` (what the client stores and shows). */
  base: string;
  /** The WebSocket endpoint, e.g. `wss://hub.example.ru:8443/ws`. */
  websocket: string;
  /** An HTTP API endpoint, e.g. `api('login')` → `https://hub.example.ru:8443/api/v1/login`. */
  api(name: string): string;
}

const schemes: Record<string, 'http' | 'https'> = { http: 'http', https: 'https', ws: 'http', wss: 'https' };
const defaultPorts: Record<string, number> = { http: 80, https: 443 };

/**
 * Derives a hub's endpoints from what a user types: `hub.example.ru:8443`, `https://hub/`,
 * `http://10.0.0.5:8080`, a pasted web-client link such as `https://hub/#/c/5`, or a hub behind a
 * reverse proxy under a path (`https://intra/beseda`). Returns null for something that is not a
 * hub address (other schemes, credentials in the address, a bad port).
 *
 * Without a scheme it assumes https, except with an explicit port other than 443/8443: an
 * on-premises hub on a LAN port (the default is 8080) usually speaks plain http. It never falls
 * back from https to http on its own, as that would send the password in the clear.
 */
export function parseHubAddress(input: string): HubUrls | null {
  let rest = input.trim();
  if (!rest || /\s/.test(rest)) return null;

  let scheme: 'http' | 'https' | null = null;
  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (schemeMatch) {
    scheme = schemes[schemeMatch[1]!.toLowerCase()] ?? null;
    if (!scheme) return null;
    rest = rest.slice(schemeMatch[0].length);
  }
  rest = rest.replace(/[?#].*$/s, '');
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  let path = slash < 0 ? '' : rest.slice(slash);

  if (authority.includes('@')) return null;
  const hostMatch = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(authority);
  if (!hostMatch) return null;
  const host = hostMatch[1]!.toLowerCase();
  if (
    !host.startsWith('[') &&
    !/^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.?$/u.test(host)
  )
    return null;
  let port = hostMatch[2] === undefined ? null : Number(hostMatch[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;

  scheme ??= port === null || port === 443 || port === 8443 ? 'https' : 'http';
  if (port === defaultPorts[scheme]) port = null;

  if (!/^[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(path)) return null;
  path = path
    .replace(/\/+$/, '')
    .replace(/\/(?:index\.html|ws)$/i, '')
    .replace(/\/+$/, '');

  const authorityOut = port === null ? host : `${host}:${port}`;
  const base = `${scheme}://${authorityOut}${path}`;
  const wsScheme = scheme === 'https' ? 'wss' : 'ws';
  return {
    base,
    websocket: `${wsScheme}://${authorityOut}${path}${websocketPath}`,
    api: (name) => `${base}/api/v1/${name}`,
  };
}
