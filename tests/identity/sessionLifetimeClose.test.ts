import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../common/protocol/errors.ts';
import { closeWhenSessionEnds } from '../../hub/identity/closeWhenSessionEnds.ts';

function socket() {
  const closes: { code: number; reason: string }[] = [];
  return { closes, close: (code: number, reason: string) => closes.push({ code, reason }) };
}

const until = async (check: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
};

describe('a socket does not outlive its session', () => {
  it('is closed with 4101 when the session ends', async () => {
    const s = socket();
    closeWhenSessionEnds(s, Date.now() + 30);
    await until(() => s.closes.length > 0);
    expect(s.closes).toEqual([{ code: CloseCode.SessionRevoked, reason: 'session expired' }]);
  });

  it('is closed at once when the session has already ended; never for a session without an end', async () => {
    const ended = socket();
    closeWhenSessionEnds(ended, Date.now() - 1);
    expect(ended.closes).toHaveLength(1);
    const endless = socket();
    closeWhenSessionEnds(endless, null);
    expect(endless.closes).toHaveLength(0);
  });

  it('is left alone once the socket closed by itself (the cancel), and a far end does not fire early', async () => {
    const s = socket();
    const cancel = closeWhenSessionEnds(s, Date.now() + 30);
    cancel();
    // 180 days is past setTimeout's limit: a naive timer would fire at once.
    const far = socket();
    const cancelFar = closeWhenSessionEnds(far, Date.now() + 180 * 24 * 3600_000);
    const witness = socket();
    closeWhenSessionEnds(witness, Date.now() + 60);
    await until(() => witness.closes.length > 0);
    expect(witness.closes).toHaveLength(1);
    expect(s.closes).toHaveLength(0);
    expect(far.closes).toHaveLength(0);
    cancelFar();
  });
});
