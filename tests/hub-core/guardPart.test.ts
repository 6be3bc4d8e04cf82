import { describe, expect, it } from 'vitest';
import { guardPart } from '../../hub/ops/guardPart.ts';

class Part {
  #secret = 2;
  calls = 0;
  twice(n: number): number {
    this.calls++;
    return n * this.#secret;
  }
  async full(): Promise<void> {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  }
  explode(): void {
    throw new Error('boom');
  }
}

describe('guardPart', () => {
  const seen: string[] = [];
  const fail = (op: string, err: unknown) => {
    seen.push(op);
    return new Error(`mapped ${op}: ${(err as Error).message}`);
  };
  const part = new Part();
  const guarded = guardPart(part, 'part', fail);

  it('keeps synchronous methods synchronous, with the part (and its private fields) as this', () => {
    expect(guarded.twice(21)).toBe(42);
    expect(part.calls).toBe(1);
    expect(guarded.calls).toBe(1);
  });

  it('passes a rejected promise and a thrown error through fail, naming the operation', async () => {
    await expect(guarded.full()).rejects.toThrow('mapped part.full: database or disk is full');
    expect(() => guarded.explode()).toThrow('mapped part.explode: boom');
    expect(seen).toEqual(['part.full', 'part.explode']);
  });
});
