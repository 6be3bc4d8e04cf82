// Live delivery in sequence order across nodes (issue 20): another node's message may reach this
// node after a later one of its own; SeqOrderedSink holds it back until the lower positions came, a
// bounded time, and lets everything through at once while Redis is away.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventSink, HubEvent } from '../../hub/ops/HubEvent.ts';
import { SeqOrderedSink } from '../../hub/server/SeqOrderedSink.ts';

const message = (seq: number): HubEvent =>
  ({
    audience: { to: 'users', userIds: [1] },
    frame: { type: 'message', message: { seq, conversationId: 1, text: `m${seq}` } },
  }) as unknown as HubEvent;
const typing: HubEvent = {
  audience: { to: 'users', userIds: [1] },
  frame: { type: 'typing', conversationId: 1, userId: 2 },
} as unknown as HubEvent;

function recorder(): EventSink & { seqs: (number | string)[] } {
  const seqs: (number | string)[] = [];
  return {
    seqs,
    publish: (e) => seqs.push(e.frame.type === 'message' ? e.frame.message.seq : e.frame.type),
    disconnect: () => seqs.push('disconnect'),
  };
}

describe('SeqOrderedSink', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers positions in order when a lower one arrives late, and events without one at once', () => {
    const out = recorder();
    const sink = new SeqOrderedSink(
      out,
      () => false,
      300,
      () => Date.now(),
    );
    sink.publish(message(10));
    sink.publish(message(11));
    sink.publish(message(13)); // 12 is still on its way from another node
    sink.publish(typing);
    sink.publish(message(14));
    expect(out.seqs).toEqual([10, 11, 'typing']);
    sink.publish(message(12));
    expect(out.seqs).toEqual([10, 11, 'typing', 12, 13, 14]);
    expect(sink.counts).toEqual({ reordered: 2, skipped: 0, late: 0, repeats: 0 });
  });

  it('gives up on a position that never comes after the hold time', () => {
    const out = recorder();
    const sink = new SeqOrderedSink(
      out,
      () => false,
      300,
      () => Date.now(),
    );
    sink.publish(message(1));
    sink.publish(message(3));
    vi.advanceTimersByTime(299);
    expect(out.seqs).toEqual([1]);
    vi.advanceTimersByTime(2);
    expect(out.seqs).toEqual([1, 3]);
    expect(sink.counts.skipped).toBe(1);
    sink.publish(message(2)); // late after all: delivered, nothing waits on it
    sink.publish(message(4));
    expect(out.seqs).toEqual([1, 3, 2, 4]);
  });

  it('lets everything through at once while bypassed (Redis away), held ones first', () => {
    const out = recorder();
    let away = false;
    const sink = new SeqOrderedSink(
      out,
      () => away,
      300,
      () => Date.now(),
    );
    sink.publish(message(1));
    sink.publish(message(3));
    away = true;
    sink.publish(message(5));
    expect(out.seqs).toEqual([1, 3, 5]);
    away = false;
    sink.publish(message(6));
    expect(out.seqs).toEqual([1, 3, 5, 6]);
  });

  it('delivers a position given up on when it turns up (a resend published again), drops repeats, and leaves it to a coming catch-up', () => {
    const out = recorder();
    let coming = false;
    const sink = new SeqOrderedSink(
      out,
      () => false,
      300,
      () => Date.now(),
      () => coming,
    );
    sink.publish(message(10));
    sink.publish(message(12)); // 11 was committed by a node killed before it published
    sink.publish(message(14)); // 13 too
    vi.advanceTimersByTime(400);
    expect(out.seqs).toEqual([10, 12, 14]);
    sink.publish(message(11)); // its sender resent it through another node, which published it again
    sink.publish(message(12)); // a repeat of what was delivered
    expect(out.seqs).toEqual([10, 12, 14, 11]);
    sink.publish(message(11)); // and again: now a repeat
    coming = true; // Redis was lost: the gap's catch-up will bring 13, in order
    sink.publish(message(13));
    expect(out.seqs).toEqual([10, 12, 14, 11]);
    expect(sink.counts).toMatchObject({ skipped: 2, late: 1, repeats: 2 });
  });

  it('passes disconnects straight on', () => {
    const out = recorder();
    const sink = new SeqOrderedSink(out);
    sink.publish(message(1));
    sink.publish(message(3));
    sink.disconnect({ userId: 1 }, 4103, 'disabled');
    expect(out.seqs).toEqual([1, 'disconnect']);
  });
});
