import type { ComponentChildren, JSX, RefObject } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { anchorAt, buildOffsets, computeWindow } from './windowing.ts';
import type { RowRange, ScrollAnchor } from './windowing.ts';

/** How close to the bottom (px) still counts as "at the bottom", so new rows keep it pinned there. */
const bottomSlack = 24;

/** Closer than this (px) to the top asks for older rows, early enough that they are usually there in time. */
const nearTop = 800;

/** What the list needs to know about its rows. */
export interface VirtualListProps<T> {
  items: readonly T[];
  keyOf: (item: T) => string;
  /** A guess of a row's height until it has been measured. */
  estimate: (item: T) => number;
  renderItem: (item: T) => ComponentChildren;
  /** Changing it means "another list": the scroll position starts over. */
  resetKey: string | number;
  /** At a reset, the key of the row to show near the top once it exists; null: start at the bottom. */
  initialKey: string | null;
  /** Called when the user is near the top (load older rows). */
  onNearTop?: (() => void) | undefined;
  /** Incrementing it scrolls to the bottom and pins the list there. */
  bottomRequest?: number;
  onAtBottomChange?: (atBottom: boolean) => void;
  /** The most rows ever in the DOM. */
  maxRows?: number;
  /** Pixels rendered beyond the viewport above and below. */
  overscan?: number;
  /** How many leading rows are not content (e.g. "loading older…") and must not anchor the scroll position. */
  headRows?: number;
  /** Whether a row keeps its place among its neighbours and so may anchor the scroll position. */
  canAnchor?: (item: T) => boolean;
  class?: string;
  label: string;
}

/** What the list keeps between renders without causing one (mutated in place, like refs). */
interface ScrollMemory {
  /** The scroller's measured height. */
  viewport: number;
  /** Pinned to the bottom: new rows keep it there. */
  stick: boolean;
  /** The row to keep in place across this render, with its distance from the viewport's top. */
  anchor: ScrollAnchor | null;
  /** After a reset, the row to bring near the top once it exists. */
  pendingKey: string | null;
  /** The `resetKey` the DOM's rows belong to. */
  resetKey: string | number | null;
  /** The last `bottomRequest` acted on. */
  bottomRequest: number;
  /** The last at-bottom state told to `onAtBottomChange`. */
  atBottomReported: boolean | null;
  /** The rows rendered. */
  range: RowRange;
  /** This render was asked for because the rendered rows no longer cover the viewport. */
  forced: boolean;
  /** Re-renders asked for by the layout effect in a row: a guard against a layout that never settles. */
  forcedInARow: number;
}

/** The rows with their keys, top offsets (measured heights, else estimates) and index by key. */
interface RowLayout<T> {
  items: readonly T[];
  keys: readonly string[];
  offsets: readonly number[];
  index: Map<string, number>;
}

function newScrollMemory(bottomRequest: number): ScrollMemory {
  return {
    viewport: 0,
    stick: true,
    anchor: null,
    pendingKey: null,
    resetKey: null,
    bottomRequest,
    atBottomReported: null,
    range: { start: 0, end: 0 },
    forced: false,
    forcedInARow: 0,
  };
}

function isAtBottom(list: HTMLElement): boolean {
  return list.scrollHeight - list.scrollTop - list.clientHeight <= bottomSlack;
}

/**
 * A virtualized vertical list with rows of any height: only the rows in and near the viewport
 * are in the DOM (at most `maxRows`), each measured with a ResizeObserver once rendered.
 *
 * It keeps what the user looks at in place: before every render it notes the first visible row
 * that may anchor and how far it is from the top of the viewport (read from the DOM, so a scroll
 * the list has not heard about yet counts too), and after the render scrolls so that row is there
 * again, whatever changed above it (older rows prepended, estimates replaced by measured heights).
 * While the user is at the bottom it stays pinned there instead.
 */
export function VirtualList<T>(props: VirtualListProps<T>): JSX.Element {
  const { items, keyOf, estimate, maxRows = 90, overscan = 600, headRows = 0 } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [version, setVersion] = useState(0);
  const [, setTick] = useState(0);
  // Built once: the list's memory lives as long as the list.
  const [memory] = useState(() => newScrollMemory(props.bottomRequest ?? 0));
  const propsRef = useRef(props);
  propsRef.current = props;

  const layout = useMemo((): RowLayout<T> => {
    const keys = items.map(keyOf);
    const offsets = buildOffsets(items.map((item, i) => heights.current.get(keys[i]!) ?? estimate(item)));
    const index = new Map(keys.map((k, i) => [k, i]));
    return { items, keys, offsets, index };
  }, [items, version]);
  /** The layout the DOM shows now (until this render's effect runs). */
  const shown = useRef(layout);
  const total = layout.offsets[layout.offsets.length - 1]!;

  const scrollTop = planScrollTop(memory, props, layout, shown.current, scroller.current, headRows);
  memory.forced = false;
  memory.range = computeWindow(layout.offsets, scrollTop, memory.viewport || 800, overscan, maxRows);
  const { start, end } = memory.range;

  const observer = useMemo(() => createMeasurer(scroller, memory, heights.current, () => setVersion((v) => v + 1)), []);

  useLayoutEffect(() => {
    observer.observe(scroller.current!);
    return () => observer.disconnect();
  }, [observer]);

  const report = (list: HTMLElement) => {
    const atBottom = isAtBottom(list);
    if (memory.atBottomReported !== atBottom) {
      memory.atBottomReported = atBottom;
      propsRef.current.onAtBottomChange?.(atBottom);
    }
    if (list.scrollTop < nearTop && list.scrollHeight > 0) propsRef.current.onNearTop?.();
  };

  const rerenderIfStale = (list: HTMLElement) => {
    const { offsets } = shown.current;
    const next = computeWindow(offsets, list.scrollTop, list.clientHeight || 800, overscan, maxRows);
    if (next.start === memory.range.start && next.end === memory.range.end) {
      memory.forcedInARow = 0;
    } else if (memory.forcedInARow++ < 8) {
      memory.forced = true;
      setTick((n) => n + 1);
    }
  };

  // After every render: scroll so the anchor row is where it was (or to the bottom), then render
  // again if the rows now in view are not the rendered ones.
  useLayoutEffect(() => {
    const list = scroller.current!;
    shown.current = layout;
    settleScroll(list, memory, layout);
    report(list);
    rerenderIfStale(list);
  });

  const onScroll = () => {
    const list = scroller.current!;
    memory.stick = isAtBottom(list);
    if (!memory.stick) memory.pendingKey = null;
    report(list);
    memory.forcedInARow = 0;
    rerenderIfStale(list);
  };

  useEffect(() => () => observer.disconnect(), [observer]);

  // A reader who is still near the top when the previous page has arrived (no scroll event comes)
  // gets the next page too: loading resumes as soon as it may.
  const wantsOlder = props.onNearTop !== undefined;
  useEffect(() => {
    const list = scroller.current;
    if (wantsOlder && list && list.scrollTop < nearTop && list.scrollHeight > list.clientHeight)
      propsRef.current.onNearTop?.();
  }, [wantsOlder]);

  return (
    <div
      ref={scroller}
      class={props.class ? `vlist ${props.class}` : 'vlist'}
      role="region"
      aria-label={props.label}
      tabIndex={0}
      onScroll={onScroll}
    >
      <div class="vlist-pad" style={{ height: `${layout.offsets[start]!}px` }} />
      {items.slice(start, end).map((item, i) => (
        <MeasuredRow key={layout.keys[start + i]!} rowKey={layout.keys[start + i]!} observer={observer}>
          {props.renderItem(item)}
        </MeasuredRow>
      ))}
      <div class="vlist-pad" style={{ height: `${total - layout.offsets[end]!}px` }} />
    </div>
  );
}

/**
 * Where this render takes the list to be scrolled, which decides the rows it renders; notes on the
 * way what the effect after it restores. Another list starts over (at `initialKey` once it exists,
 * else at the bottom); a bottom request pins the list; otherwise the row the user looks at anchors.
 */
function planScrollTop<T>(
  memory: ScrollMemory,
  props: VirtualListProps<T>,
  layout: RowLayout<T>,
  shown: RowLayout<T>,
  el: HTMLElement | null,
  headRows: number,
): number {
  const total = layout.offsets[layout.offsets.length - 1]!;
  if (memory.resetKey !== props.resetKey) {
    // Another list: whatever is in the DOM belongs to the old one.
    memory.resetKey = props.resetKey;
    memory.pendingKey = props.initialKey;
    memory.anchor = null;
    memory.stick = true;
    return Math.max(0, total - memory.viewport);
  }
  if ((props.bottomRequest ?? 0) !== memory.bottomRequest) {
    memory.bottomRequest = props.bottomRequest ?? 0;
    memory.pendingKey = null;
    memory.stick = true;
  }
  memory.anchor = memory.stick || !el ? null : captureAnchor(el, shown, headRows, props.canAnchor);
  const i = memory.anchor ? layout.index.get(memory.anchor.key) : undefined;
  // Predict where the effect will scroll, so the first pass renders the right rows; but when the
  // effect itself asked for this render, use where it actually scrolled: predicting again from
  // estimated heights could disagree with the DOM every time.
  if (memory.forced && el) return el.scrollTop;
  if (memory.stick) return Math.max(0, total - memory.viewport);
  if (i !== undefined) return Math.max(0, layout.offsets[i]! - memory.anchor!.delta);
  return el?.scrollTop ?? 0;
}

/**
 * One ResizeObserver for the scroller (its height is the viewport) and every rendered row (its
 * height replaces the estimate); `remeasured` runs when any of them really changed.
 */
function createMeasurer(
  scroller: RefObject<HTMLElement>,
  memory: ScrollMemory,
  heights: Map<string, number>,
  remeasured: () => void,
): ResizeObserver {
  return new ResizeObserver((entries) => {
    let changed = false;
    for (const entry of entries) {
      const target = entry.target as HTMLElement;
      if (target === scroller.current) {
        if (Math.abs(memory.viewport - entry.contentRect.height) > 0.5) {
          memory.viewport = entry.contentRect.height;
          changed = true;
        }
        continue;
      }
      const key = target.dataset.key;
      if (key === undefined) continue;
      const height = entry.borderBoxSize?.[0]?.blockSize ?? target.offsetHeight;
      if (height > 0 && Math.abs((heights.get(key) ?? -1) - height) > 0.5) {
        heights.set(key, height);
        changed = true;
      }
    }
    if (changed) {
      memory.forcedInARow = 0;
      remeasured();
    }
  });
}

/**
 * After a render: the row waited for since a reset becomes the anchor once it exists; then scrolls
 * so the anchor row is where it was (or to the bottom while pinned), and notes whether the list is
 * at the bottom now.
 */
function settleScroll<T>(list: HTMLElement, memory: ScrollMemory, layout: RowLayout<T>): void {
  if (memory.pendingKey !== null && layout.index.has(memory.pendingKey)) {
    memory.anchor = { key: memory.pendingKey, delta: 48 };
    memory.pendingKey = null;
    memory.stick = false;
  }
  let target = list.scrollTop;
  if (memory.stick) target = list.scrollHeight - list.clientHeight;
  else if (memory.anchor) {
    const row = rowElement(list, memory.anchor.key);
    const i = layout.index.get(memory.anchor.key);
    if (row)
      target =
        row.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop - memory.anchor.delta;
    else if (i !== undefined) target = layout.offsets[i]! - memory.anchor.delta;
  }
  if (Math.abs(list.scrollTop - target) > 1) list.scrollTop = target;
  if (!memory.stick && memory.pendingKey === null) memory.stick = isAtBottom(list);
}

function rowElement(list: HTMLElement, key: string): HTMLElement | null {
  for (const child of list.children) {
    if ((child as HTMLElement).dataset.key === key) return child as HTMLElement;
  }
  return null;
}

/**
 * Reads from the DOM which row the user is looking at: the first rendered row that may anchor
 * and reaches into the viewport, with its distance from the viewport's top. When no such row is
 * rendered there (a jump into unrendered space), the row at the scroll position by the offsets.
 */
function captureAnchor<T>(
  list: HTMLElement,
  shown: RowLayout<T>,
  headRows: number,
  canAnchor: ((item: T) => boolean) | undefined,
): ScrollAnchor | null {
  const stable = (i: number) => i >= headRows && (canAnchor?.(shown.items[i]!) ?? true);
  const top = list.getBoundingClientRect().top;
  for (const child of list.children) {
    const key = (child as HTMLElement).dataset.key;
    if (key === undefined) continue;
    const rect = child.getBoundingClientRect();
    if (rect.bottom <= top) continue;
    const i = shown.index.get(key);
    if (i !== undefined && stable(i)) return { key, delta: rect.top - top };
  }
  return anchorAt(shown.offsets, shown.keys, list.scrollTop, headRows, stable);
}

function MeasuredRow({
  rowKey,
  observer,
  children,
}: {
  rowKey: string;
  observer: ResizeObserver;
  children: ComponentChildren;
}): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current!;
    observer.observe(el);
    return () => observer.unobserve(el);
  }, [observer]);
  return (
    <div ref={ref} class="vrow" data-key={rowKey}>
      {children}
    </div>
  );
}
