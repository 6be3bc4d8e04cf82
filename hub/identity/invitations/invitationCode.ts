import { hashToken, isWellFormedToken, newToken } from '../../ops/tokens.ts';

/**
 * A new invitation code: 32 bytes from the CSPRNG (base64url, 43 characters, like a session
 * token), and the SHA-256 that is stored. A database copy does not let anyone redeem it.
 */
export function newInvitationCode(): { code: string; hash: Buffer } {
  const { token, hash } = newToken();
  return { code: token, hash };
}

/** The stored hash of a code as typed or pasted, or undefined when it cannot be one of ours. */
export function invitationCodeHash(code: string): Buffer | undefined {
  const trimmed = code.trim();
  return isWellFormedToken(trimmed) ? hashToken(trimmed) : undefined;
}

/** The link people open: `<hub>/invite/<code>` (the web client takes the code from the fragment). */
export function invitationLink(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/invite/${code}`;
}
