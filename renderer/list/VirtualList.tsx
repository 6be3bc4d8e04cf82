import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { anchorAt, buildOffsets, computeWindow } from './windowing.ts';
import type { RowRange, ScrollAnchor } from './windowing.ts';

/** How close to the bottom (px) still counts as "at the bottom", so new rows keep it pinned there. */
const bottomSlack = 24;

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
  class?: string;
  label: string;
}

/**
 * A virtualized vertical list with rows of any height: only the rows in and near the viewport
 * are in the DOM (at most `maxRows`), each measured with a ResizeObserver once rendered. It keeps
 * what the user looks at in place when rows above change (older history prepended, heights
 * measured), and stays pinned to the bottom while the user is there.
 */
export function VirtualList<T>(props: VirtualListProps<T>): JSX.Element {
  const { items, keyOf, estimate, maxRows = 90, overscan = 600 } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const [version, setVersion] = useState(0);
  const [, setTick] = useState(0);
  const scrollTop = useRef(0);
  const viewport = useRef(0);
  const stick = useRef(true);
  const anchor = useRef<ScrollAnchor | null>(null);
  const pendingKey = useRef<string | null>(null);
  const resetKey = useRef<string | number | null>(null);
  const bottomRequest = useRef(props.bottomRequest ?? 0);
  const atBottomReported = useRef<boolean | null>(null);
  const range = useRef<RowRange>({ start: 0, end: 0 });
  const propsRef = useRef(props);
  propsRef.current = props;

  const layout = useMemo(() => {
    const keys = items.map(keyOf);
    const offsets = buildOffsets(items.map((item, i) => heights.current.get(keys[i]!) ?? estimate(item)));
    const index = new Map(keys.map((k, i) => [k, i]));
    return { keys, offsets, index };
  }, [items, version]);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const total = layout.offsets[layout.offsets.length - 1]!;

  if (resetKey.current !== props.resetKey) {
    resetKey.current = props.resetKey;
    pendingKey.current = props.initialKey;
    anchor.current = null;
    stick.current = true;
    scrollTop.current = Math.max(0, total - viewport.current);
  }
  if ((props.bottomRequest ?? 0) !== bottomRequest.current) {
    bottomRequest.current = props.bottomRequest ?? 0;
    pendingKey.current = null;
    stick.current = true;
  }
  if (stick.current) scrollTop.current = Math.max(0, total - viewport.current);
  else if (anchor.current) {
    const i = layout.index.get(anchor.current.key);
    if (i !== undefined) scrollTop.current = Math.max(0, layout.offsets[i]! - anchor.current.delta);
  }
  range.current = computeWindow(layout.offsets, scrollTop.current, viewport.current || 800, overscan, maxRows);
  const { start, end } = range.current;

  const observer = useMemo(
    () =>
      new ResizeObserver((entries) => {
        let changed = false;
        for (const entry of entries) {
          const el = entry.target as HTMLElement;
          if (el === scroller.current) {
            if (Math.abs(viewport.current - entry.contentRect.height) > 0.5) {
              viewport.current = entry.contentRect.height;
              changed = true;
            }
            continue;
          }
          const key = el.dataset.key;
          if (key === undefined) continue;
          const height = entry.borderBoxSize?.[0]?.blockSize ?? el.offsetHeight;
          if (height > 0 && Math.abs((heights.current.get(key) ?? -1) - height) > 0.5) {
            heights.current.set(key, height);
            changed = true;
          }
        }
        if (changed) setVersion((v) => v + 1);
      }),
    [],
  );

  useLayoutEffect(() => {
    const el = scroller.current!;
    observer.observe(el);
    return () => observer.disconnect();
  }, [observer]);

  // After every render: put the scroll position where the anchor (or the bottom) says, then
  // check whether the rendered window still covers the viewport.
  useLayoutEffect(() => {
    const el = scroller.current!;
    const { offsets, index, keys } = layoutRef.current;
    if (pendingKey.current !== null) {
      const i = index.get(pendingKey.current);
      if (i !== undefined) {
        anchor.current = { key: pendingKey.current, delta: 48 };
        pendingKey.current = null;
        stick.current = false;
      }
    }
    let target = el.scrollTop;
    if (stick.current) target = el.scrollHeight - el.clientHeight;
    else if (anchor.current) {
      const i = index.get(anchor.current.key);
      if (i !== undefined) target = offsets[i]! - anchor.current.delta;
    }
    if (Math.abs(el.scrollTop - target) > 1) el.scrollTop = target;
    scrollTop.current = el.scrollTop;
    if (!stick.current) {
      if (el.scrollHeight - el.scrollTop - el.clientHeight <= bottomSlack && pendingKey.current === null) {
        stick.current = true;
      } else anchor.current = anchorAt(offsets, keys, el.scrollTop);
    }
    report(el);
    const next = computeWindow(offsets, el.scrollTop, el.clientHeight || 800, overscan, maxRows);
    if (next.start !== range.current.start || next.end !== range.current.end) setTick((n) => n + 1);
  });

  const report = (el: HTMLElement) => {
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= bottomSlack;
    if (atBottomReported.current !== atBottom) {
      atBottomReported.current = atBottom;
      propsRef.current.onAtBottomChange?.(atBottom);
    }
    if (el.scrollTop < 800 && el.scrollHeight > 0) propsRef.current.onNearTop?.();
  };

  const onScroll = () => {
    const el = scroller.current!;
    const { offsets, keys } = layoutRef.current;
    scrollTop.current = el.scrollTop;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight <= bottomSlack;
    if (!stick.current) pendingKey.current = null;
    anchor.current = stick.current ? null : anchorAt(offsets, keys, el.scrollTop);
    report(el);
    const next = computeWindow(offsets, el.scrollTop, el.clientHeight || 800, overscan, maxRows);
    if (next.start !== range.current.start || next.end !== range.current.end) setTick((n) => n + 1);
  };

  useEffect(() => () => observer.disconnect(), [observer]);

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
