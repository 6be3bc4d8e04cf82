import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { anchorAt, buildOffsets, computeWindow, rowAt } from '../../renderer/list/windowing.ts';

describe('virtual list windowing', () => {
  const heights = [20, 40, 60, 20, 100];
  const offsets = buildOffsets(heights);

  it('builds top offsets ending in the total height', () => {
    expect(offsets).toEqual([0, 20, 60, 120, 140, 240]);
  });

  it('finds the row at a position', () => {
    expect(rowAt(offsets, 0)).toBe(0);
    expect(rowAt(offsets, 19)).toBe(0);
    expect(rowAt(offsets, 20)).toBe(1);
    expect(rowAt(offsets, 139)).toBe(3);
    expect(rowAt(offsets, 10_000)).toBe(4);
    expect(rowAt(offsets, -5)).toBe(0);
    expect(rowAt([0], 5)).toBe(0);
  });

  it('renders the visible rows plus the overscan', () => {
    expect(computeWindow(offsets, 60, 60, 0, 100)).toEqual({ start: 2, end: 3 });
    expect(computeWindow(offsets, 60, 61, 0, 100)).toEqual({ start: 2, end: 4 });
    expect(computeWindow(offsets, 60, 60, 30, 100)).toEqual({ start: 1, end: 5 });
    expect(computeWindow(offsets, 60, 60, 20, 100)).toEqual({ start: 1, end: 4 });
    expect(computeWindow([0], 0, 500, 100, 100)).toEqual({ start: 0, end: 0 });
  });

  it('never exceeds the row budget, keeping the visible rows', () => {
    const many = buildOffsets(new Array(10_000).fill(10));
    const w = computeWindow(many, 50_000, 300, 2000, 60);
    expect(w.end - w.start).toBe(60);
    expect(w.start).toBeLessThanOrEqual(5000);
    expect(w.end).toBeGreaterThanOrEqual(5030);
    const tiny = computeWindow(many, 50_000, 10_000, 0, 60);
    expect(tiny).toEqual({ start: 5000, end: 5060 });
  });

  it('always covers the viewport within the budget (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 16, max: 400 }), { minLength: 1, maxLength: 500 }),
        fc.nat(),
        fc.integer({ min: 100, max: 1200 }),
        fc.integer({ min: 0, max: 2000 }),
        (hs, rawTop, viewport, overscan) => {
          const off = buildOffsets(hs);
          const total = off[hs.length]!;
          const top = total > viewport ? rawTop % (total - viewport) : 0;
          const w = computeWindow(off, top, viewport, overscan, 100);
          expect(w.end - w.start).toBeLessThanOrEqual(100);
          expect(w.start).toBeGreaterThanOrEqual(0);
          expect(w.end).toBeLessThanOrEqual(hs.length);
          // With rows at least 16 px tall, 100 rows always cover a 1200 px viewport.
          expect(off[w.start]!).toBeLessThanOrEqual(top);
          expect(off[w.end]!).toBeGreaterThanOrEqual(Math.min(total, top + viewport));
        },
      ),
    );
  });

  it('anchors on the first visible row', () => {
    expect(anchorAt(offsets, ['a', 'b', 'c', 'd', 'e'], 70)).toEqual({ key: 'c', delta: -10 });
    expect(anchorAt([0], [], 0)).toBeNull();
    // A head row ("loading older…") never anchors: the first content row does, even above the view.
    expect(anchorAt(offsets, ['top', 'b', 'c', 'd', 'e'], 0, 1)).toEqual({ key: 'b', delta: 20 });
    expect(anchorAt(offsets, ['top', 'b', 'c', 'd', 'e'], 70, 1)).toEqual({ key: 'c', delta: -10 });
    expect(anchorAt([0, 40], ['top'], 0, 1)).toBeNull();
    // Rows that move (date separators) are skipped for the next stable one, even below the top.
    const keys = ['top', 'day', 'm1', 'm2', 'm3'];
    expect(anchorAt(offsets, keys, 0, 1, (i) => keys[i]!.startsWith('m'))).toEqual({ key: 'm1', delta: 60 });
    expect(anchorAt(offsets, keys, 0, 1, () => false)).toBeNull();
  });
});
