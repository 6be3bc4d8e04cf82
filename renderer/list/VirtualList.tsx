import type { ComponentChildren, JSX } from 'preact';
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
  const viewport = useRef(0);
  const stick = useRef(true);
  const anchor = useRef<ScrollAnchor | null>(null);
  const pendingKey = useRef<string | null>(null);
  const resetKey = useRef<string | number | null>(null);
  const bottomRequest = useRef(props.bottomRequest ?? 0);
  const atBottomReported = useRef<boolean | null>(null);
  const range = useRef<RowRange>({ start: 0, end: 0 });
  /** This render was asked for because the rendered rows no longer cover the viewport. */
  const forced = useRef(false);
  /** Re-renders asked for by the layout effect in a row: a guard against a layout that never settles. */
  const forcedInARow = useRef(0);
  const propsRef = useRef(props);
  propsRef.current = props;

  const layout = useMemo(() => {
    const keys = items.map(keyOf);
    const offsets = buildOffsets(items.map((item, i) => heights.current.get(keys[i]!) ?? estimate(item)));
    const index = new Map(keys.map((k, i) => [k, i]));
    return { items, keys, offsets, index };
  }, [items, version]);
  /** The layout the DOM shows now (until this render's effect runs). */
  const shown = useRef(layout);
  const total = layout.offsets[layout.offsets.length - 1]!;
  const el = scroller.current;

  let scrollTop: number;
  if (resetKey.current !== props.resetKey) {
    // Another list: whatever is in the DOM belongs to the old one.
    resetKey.current = props.resetKey;
    pendingKey.current = props.initialKey;
    anchor.current = null;
    stick.current = true;
    scrollTop = Math.max(0, total - viewport.current);
  } else {
    if ((props.bottomRequest ?? 0) !== bottomRequest.current) {
      bottomRequest.current = props.bottomRequest ?? 0;
      pendingKey.current = null;
      stick.current = true;
    }
    anchor.current = stick.current || !el ? null : captureAnchor(el, shown.current, headRows, props.canAnchor);
    const i = anchor.current ? layout.index.get(anchor.current.key) : undefined;
    // Predict where the effect will scroll, so the first pass renders the right rows; but when the
    // effect itself asked for this render, use where it actually scrolled: predicting again from
    // estimated heights could disagree with the DOM every time.
    if (forced.current && el) scrollTop = el.scrollTop;
    else if (stick.current) scrollTop = Math.max(0, total - viewport.current);
    else if (i !== undefined) scrollTop = Math.max(0, layout.offsets[i]! - anchor.current!.delta);
    else scrollTop = el?.scrollTop ?? 0;
  }
  forced.current = false;
  range.current = computeWindow(layout.offsets, scrollTop, viewport.current || 800, overscan, maxRows);
  const { start, end } = range.current;

  const observer = useMemo(
    () =>
      new ResizeObserver((entries) => {
        let changed = false;
        for (const entry of entries) {
          const target = entry.target as HTMLElement;
          if (target === scroller.current) {
            if (Math.abs(viewport.current - entry.contentRect.height) > 0.5) {
              viewport.current = entry.contentRect.height;
              changed = true;
            }
            continue;
          }
          const key = target.dataset.key;
          if (key === undefined) continue;
          const height = entry.borderBoxSize?.[0]?.blockSize ?? target.offsetHeight;
          if (height > 0 && Math.abs((heights.current.get(key) ?? -1) - height) > 0.5) {
            heights.current.set(key, height);
            changed = true;
          }
        }
        if (changed) {
          forcedInARow.current = 0;
          setVersion((v) => v + 1);
        }
      }),
    [],
  );

  useLayoutEffect(() => {
    observer.observe(scroller.current!);
    return () => observer.disconnect();
  }, [observer]);

  const report = (list: HTMLElement) => {
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight <= bottomSlack;
    if (atBottomReported.current !== atBottom) {
      atBottomReported.current = atBottom;
      propsRef.current.onAtBottomChange?.(atBottom);
    }
    if (list.scrollTop < nearTop && list.scrollHeight > 0) propsRef.current.onNearTop?.();
  };

  const rerenderIfStale = (list: HTMLElement) => {
    const { offsets } = shown.current;
    const next = computeWindow(offsets, list.scrollTop, list.clientHeight || 800, overscan, maxRows);
    if (next.start === range.current.start && next.end === range.current.end) {
      forcedInARow.current = 0;
    } else if (forcedInARow.current++ < 8) {
      forced.current = true;
      setTick((n) => n + 1);
    }
  };

  // After every render: scroll so the anchor row is where it was (or to the bottom), then render
  // again if the rows now in view are not the rendered ones.
  useLayoutEffect(() => {
    const list = scroller.current!;
    shown.current = layout;
    if (pendingKey.current !== null && layout.index.has(pendingKey.current)) {
      anchor.current = { key: pendingKey.current, delta: 48 };
      pendingKey.current = null;
      stick.current = false;
    }
    let target = list.scrollTop;
    if (stick.current) target = list.scrollHeight - list.clientHeight;
    else if (anchor.current) {
      const row = rowElement(list, anchor.current.key);
      const i = layout.index.get(anchor.current.key);
      if (row)
        target =
          row.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop - anchor.current.delta;
      else if (i !== undefined) target = layout.offsets[i]! - anchor.current.delta;
    }
    if (Math.abs(list.scrollTop - target) > 1) list.scrollTop = target;
    if (!stick.current && pendingKey.current === null) {
      stick.current = list.scrollHeight - list.scrollTop - list.clientHeight <= bottomSlack;
    }
    report(list);
    rerenderIfStale(list);
  });

  const onScroll = () => {
    const list = scroller.current!;
    stick.current = list.scrollHeight - list.scrollTop - list.clientHeight <= bottomSlack;
    if (!stick.current) pendingKey.current = null;
    report(list);
    forcedInARow.current = 0;
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
  shown: { items: readonly T[]; keys: readonly string[]; offsets: readonly number[]; index: Map<string, number> },
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
