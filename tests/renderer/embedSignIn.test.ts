// The page's side of an embed link: which address fragments carry a one-time code, and what each
// answer of POST /api/v1/embed-links/redeem means for the sign-in form. The whole flow runs in
// Chromium against a real hub in tests/integrations/embedBrowser.test.ts.
import { describe, expect, it } from 'vitest';
import type { User } from '../../common/protocol/model.ts';
import { embedCodeIn, embedRedeemResult } from '../../renderer/backend/embedSignIn.ts';

const code = 'Zr4Xq1_-abcdefghijklmnopqrstuvwxyz012345678';
const user: User = {
  id: 7,
  login: 'ivanov',
  name: 'Иван Иванов',
  branch: null,
  isBot: false,
  isAdmin: false,
  disabled: false,
  presence: 'online',
  lastSeen: null,
};

describe('embed sign-in', () => {
  it('finds exactly a 43-character base64url code after #embed=', () => {
    expect(code).toHaveLength(43);
    expect(embedCodeIn(`#embed=${code}`)).toBe(code);
    for (const hash of [
      '',
      '#',
      `#embed=${code}x`,
      `#embed=${code.slice(1)}`,
      `#embed=${code.slice(0, 42)}=`,
      `#embed=${code.slice(0, 42)}+`,
      `#x=1&embed=${code}`,
      `#embed=${code}&x=1`,
      `#Embed=${code}`,
    ])
      expect(embedCodeIn(hash), hash).toBeNull();
  });

  it('takes a session only from a 200 with a token and a valid user', () => {
    expect(embedRedeemResult(200, { token: 'tok', user })).toEqual({ ok: true, token: 'tok', user });
    expect(embedRedeemResult(200, { token: '', user })).toEqual({ ok: false, reason: 'failed' });
    expect(embedRedeemResult(200, { token: 'tok' })).toEqual({ ok: false, reason: 'failed' });
    expect(embedRedeemResult(200, { token: 'tok', user: { ...user, id: 'x' } })).toEqual({
      ok: false,
      reason: 'failed',
    });
    expect(embedRedeemResult(200, null)).toEqual({ ok: false, reason: 'failed' });
  });

  it('calls a used or expired link expired, a disabled account disabled, anything else a failure', () => {
    const error = (code: string) => ({ error: { code, message: '…' } });
    expect(embedRedeemResult(401, error('unauthorized'))).toEqual({ ok: false, reason: 'expired' });
    expect(embedRedeemResult(403, error('forbidden'))).toEqual({ ok: false, reason: 'expired' });
    expect(embedRedeemResult(410, null)).toEqual({ ok: false, reason: 'expired' });
    expect(embedRedeemResult(403, error('account_disabled'))).toEqual({ ok: false, reason: 'disabled' });
    expect(embedRedeemResult(429, error('rate_limited'))).toEqual({ ok: false, reason: 'failed' });
    expect(embedRedeemResult(500, error('internal'))).toEqual({ ok: false, reason: 'failed' });
    expect(embedRedeemResult(404, null)).toEqual({ ok: false, reason: 'failed' });
  });
});
