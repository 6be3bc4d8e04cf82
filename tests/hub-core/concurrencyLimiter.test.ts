import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from '../../hub/ops/ConcurrencyLimiter.ts';
import { HubError } from '../../hub/ops/HubError.ts';

/** A task the test finishes by hand, recording when it started. */
function gate(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    task: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish,
  };
}

/** Runs a gated task; resolves to its name, or to the error code it was refused with. */
function submit(limiter: ConcurrencyLimiter, started: string[], name: string, group: string, member = name) {
  const g = gate(started, name);
  const result = limiter.run(g.task, { group, member }).catch((e: HubError) => `refused:${e.code}`);
  return { ...g, result };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimiter', () => {
  it('serves groups round-robin: a newcomer waits behind one of a flood, not all of it', async () => {
    const started: string[] = [];
    const limiter = new ConcurrencyLimiter(1, 8, 4);
    const running = submit(limiter, started, 'a0', 'A');
    const flood = Array.from({ length: 4 }, (_, i) => submit(limiter, started, `a${i + 1}`, 'A'));
    const b = submit(limiter, started, 'b1', 'B');
    for (const t of [running, ...flood, b]) {
      t.finish();
      await tick();
    }
    await Promise.all([running.result, b.result, ...flood.map((f) => f.result)]);
    expect(started).toEqual(['a0', 'a1', 'b1', 'a2', 'a3', 'a4']);
  });

  it('caps one group’s waiters; within a full group the member with the most waiting gives way', async () => {
    const started: string[] = [];
    const limiter = new ConcurrencyLimiter(1, 32, 3);
    const running = submit(limiter, started, 'run', 'X');
    // One login floods an address: three wait, the fourth is refused.
    const flood = Array.from({ length: 4 }, (_, i) => submit(limiter, started, `x${i}`, 'NAT', 'x'));
    expect(await flood[3]!.result).toBe('refused:rate_limited');
    // Another login from the same address pushes out the flood's newest waiter.
    const y = submit(limiter, started, 'y', 'NAT', 'y');
    expect(await flood[2]!.result).toBe('refused:rate_limited');
    // The next newcomer takes from the longest again; then every login has one waiting, and a
    // further newcomer is refused rather than pushing out someone's only attempt.
    const z = submit(limiter, started, 'z', 'NAT', 'z');
    expect(await flood[1]!.result).toBe('refused:rate_limited');
    const w = submit(limiter, started, 'w', 'NAT', 'w');
    expect(await w.result).toBe('refused:rate_limited');
    for (const t of [running, flood[0]!, y, z]) t.finish();
    expect(await Promise.all([flood[0]!.result, y.result, z.result])).toEqual(['x0', 'y', 'z']);
    expect(started).toEqual(['run', 'x0', 'y', 'z']);
  });

  it('when the whole queue is full, the group with the most waiting gives way', async () => {
    const started: string[] = [];
    const limiter = new ConcurrencyLimiter(1, 4, 4);
    const running = submit(limiter, started, 'run', 'X');
    const flood = Array.from({ length: 4 }, (_, i) => submit(limiter, started, `a${i}`, 'A', `a${i}`));
    // A has all four places; B takes A's newest.
    const b = submit(limiter, started, 'b', 'B');
    expect(await flood[3]!.result).toBe('refused:rate_limited');
    const c = submit(limiter, started, 'c', 'C');
    expect(await flood[2]!.result).toBe('refused:rate_limited');
    // Now A has 2, B and C 1 each: B's second would tie with A after admission, so it is refused.
    const b2 = submit(limiter, started, 'b2', 'B');
    expect(await b2.result).toBe('refused:rate_limited');
    for (const t of [running, flood[0]!, flood[1]!, b, c]) t.finish();
    expect(await Promise.all([b.result, c.result])).toEqual(['b', 'c']);
  });

  it('with no queue, refuses at once when every slot is taken; a finished slot is reused', async () => {
    const started: string[] = [];
    const limiter = new ConcurrencyLimiter(1, 0);
    const first = submit(limiter, started, 'first', 'A');
    const second = submit(limiter, started, 'second', 'B');
    const refusal = await limiter.run(async () => 'x').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(HubError);
    expect(refusal).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
    expect(await second.result).toBe('refused:rate_limited');
    first.finish();
    expect(await first.result).toBe('first');
    expect(await limiter.run(async () => 'again')).toBe('again');
  });

  it('a failing task frees its slot', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    await expect(
      limiter.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });
});
