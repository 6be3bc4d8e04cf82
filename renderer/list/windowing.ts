/** The range of rows to render: `start` inclusive, `end` exclusive. */
export interface RowRange {
  start: number;
  end: number;
}

/** Top offsets of rows from their heights: `offsets[i]` is row i's top, `offsets[n]` the total height. */
export function buildOffsets(heights: readonly number[]): number[] {
  const offsets = new Array<number>(heights.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i]! + heights[i]!;
  return offsets;
}

/** The row at vertical position `y` (the last row whose top is at or above y), clamped to the rows. */
export function rowAt(offsets: readonly number[], y: number): number {
  const n = offsets.length - 1;
  if (n <= 0) return 0;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The rows to render for a viewport: the visible ones plus `overscan` pixels above and below,
 * never more than `maxRows` (the visible rows win over the overscan, nearest first).
 */
export function computeWindow(
  offsets: readonly number[],
  scrollTop: number,
  viewportHeight: number,
  overscan: number,
  maxRows: number,
): RowRange {
  const n = offsets.length - 1;
  if (n <= 0) return { start: 0, end: 0 };
  const visStart = rowAt(offsets, Math.max(0, scrollTop));
  const visEnd = Math.min(n, rowAt(offsets, Math.max(0, scrollTop + viewportHeight - 1)) + 1);
  if (visEnd - visStart >= maxRows) return { start: visStart, end: visStart + maxRows };
  let start = rowAt(offsets, Math.max(0, scrollTop - overscan));
  let end = Math.min(n, rowAt(offsets, scrollTop + viewportHeight + overscan - 1) + 1);
  // Over budget: trim the overscan, keeping equal amounts on both sides where possible.
  while (end - start > maxRows) {
    if (visStart - start >= end - visEnd) start++;
    else end--;
  }
  return { start, end };
}

/** Where row `index` sits relative to the viewport's top, to restore after the rows above change. */
export interface ScrollAnchor {
  key: string;
  /** Row top minus scrollTop. */
  delta: number;
}

/**
 * The anchor for a scroll position: the first row that is at least partly visible and may anchor.
 * The first `headRows` never do (a "loading older…" row stays first while rows are added after
 * it), nor rows `stable` rejects (a date separator moves up when older messages of its day arrive,
 * so anchoring on it would not keep the content in place).
 */
export function anchorAt(
  offsets: readonly number[],
  keys: readonly string[],
  scrollTop: number,
  headRows = 0,
  stable: (index: number) => boolean = () => true,
): ScrollAnchor | null {
  for (let index = Math.max(headRows, rowAt(offsets, scrollTop)); index < keys.length; index++) {
    if (stable(index)) return { key: keys[index]!, delta: offsets[index]! - scrollTop };
  }
  return null;
}
