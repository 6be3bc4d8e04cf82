import * as v from 'valibot';
import { UserSchema } from '../../common/protocol/model.ts';
import type { User } from '../../common/protocol/model.ts';

/** Why an embed link did not sign anyone in. */
export type EmbedFailure = 'expired' | 'disabled' | 'failed';

/** The hub's answer to a redeemed code: a session, or why not. */
export type EmbedRedeemResult = { ok: true; token: string; user: User } | { ok: false; reason: EmbedFailure };

const codePattern = /^#embed=([A-Za-z0-9_-]{43})$/;
const redeemTimeoutMs = 15_000;

/** The one-time code in a page address's fragment (`#embed=<43 base64url chars>`), if there is one. */
export function embedCodeIn(hash: string): string | null {
  return codePattern.exec(hash)?.[1] ?? null;
}

/**
 * What the hub's reply to `POST /api/v1/embed-links/redeem` means: 401, 403 and 410 say the link
 * is used or expired (a disabled account says so itself); anything else (5xx, 429, an answer that
 * is not a session) is a failure to sign in, not a verdict on the link.
 */
export function embedRedeemResult(status: number, body: unknown): EmbedRedeemResult {
  if (status === 200) {
    const ok = body as { token?: unknown; user?: unknown } | null;
    const user = v.safeParse(UserSchema, ok?.user);
    if (typeof ok?.token === 'string' && ok.token.length > 0 && user.success)
      return { ok: true, token: ok.token, user: user.output };
    return { ok: false, reason: 'failed' };
  }
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  if (code === 'account_disabled') return { ok: false, reason: 'disabled' };
  if (status === 401 || status === 403 || status === 410) return { ok: false, reason: 'expired' };
  return { ok: false, reason: 'failed' };
}

/**
 * Takes the embed code out of this page's address at once (so a reload, a bookmark or the history
 * never holds it) and exchanges it with the hub for a session. Null when the page was not opened
 * through an embed link.
 */
export async function redeemEmbedLink(hub: string): Promise<EmbedRedeemResult | null> {
  const code = embedCodeIn(location.hash);
  if (code === null) return null;
  history.replaceState(null, '', location.pathname + location.search);
  let status: number;
  let body: unknown = null;
  try {
    const res = await fetch(`${hub}/api/v1/embed-links/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
      credentials: 'omit',
      cache: 'no-store',
      signal: AbortSignal.timeout(redeemTimeoutMs),
    });
    status = res.status;
    body = await res.json().catch(() => null);
  } catch {
    return { ok: false, reason: 'failed' };
  }
  return embedRedeemResult(status, body);
}
