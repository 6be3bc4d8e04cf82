const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A fresh message client id: 22 base64url characters from the platform's CSPRNG (132 bits), so
 * two devices of one user never pick the same one and the hub's exactly-once check holds.
 */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22));
  let id = '';
  for (const byte of bytes) id += alphabet[byte & 63];
  return id;
}
