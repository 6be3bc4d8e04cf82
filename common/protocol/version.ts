/** Protocol versions this build speaks, newest first. */
export const supportedProtocolVersions: readonly number[] = [1];

/** The WebSocket subprotocol name for a protocol version, e.g. `beseda.v1`. */
export function subprotocolFor(version: number): string {
  return `beseda.v${version}`;
}

/**
 * Prefix of the subprotocol entry that carries the session token. Browsers cannot set an
 * `Authorization` header on a WebSocket, and a token in the URL ends up in access logs, so the
 * token travels as a second offered subprotocol, which the hub never echoes or logs.
 */
export const tokenSubprotocolPrefix = 'beseda.token.';

/** The path of the WebSocket endpoint on the hub. */
export const websocketPath = '/ws';

/**
 * Picks the newest protocol version both sides speak from the subprotocols a client offered.
 * Returns undefined when there is none.
 */
export function negotiateVersion(
  offered: Iterable<string>,
  ours: readonly number[] = supportedProtocolVersions,
): number | undefined {
  const offeredSet = new Set(offered);
  return ours.find((v) => offeredSet.has(subprotocolFor(v)));
}
