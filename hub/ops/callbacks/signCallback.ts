import { createHmac, randomBytes } from 'node:crypto';

/** A new callback secret: 32 random bytes, base64url (shown to IT once). */
export function newCallbackSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The signature headers of one call (docs/protocol.md, "Calls to bots"): HMAC-SHA256 with the
 * secret over `<timestamp>.<raw body bytes>`, so a receiver checks the exact bytes it got and
 * refuses old timestamps (replays).
 */
export function signCallback(
  secret: string,
  deliveryId: string,
  timestampSeconds: number,
  body: Buffer,
): Record<string, string> {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
  return {
    'content-type': 'application/json; charset=utf-8',
    'x-beseda-delivery': deliveryId,
    'x-beseda-timestamp': String(timestampSeconds),
    'x-beseda-signature': `v1=${mac}`,
  };
}
