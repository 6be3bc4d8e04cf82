import type { RefObject } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** How long a message must stay on screen to count as seen. */
export const seenDwellMs = 500;

/** The share of a row (or of the viewport, for a row taller than it) that must be on screen. */
const visibleShare = 0.6;

/** What {@link useSeenTracking} watches. */
export interface SeenTrackingOptions {
  /** The element holding the list (its `.messages` scroller is found inside). */
  area: RefObject<HTMLElement>;
  conversationId: number;
  /** The conversation's read marker now: what was seen beyond it is reported (again, after a reconnect). */
  readSeq: number;
  /** Off while the list is still landing (it may show rows the user is not meant to read yet). */
  enabled: boolean;
  /** The page is visible and focused: only then does anything count as seen. */
  pageVisible: boolean;
  /** Told the newest seq seen so far (only when it grows past the marker). */
  onSeen: (seq: number) => void;
}

function seqOf(el: Element): number {
  return Number((el as HTMLElement).dataset.seq ?? 0);
}

/**
 * Reports the newest message the user has seen: a message row counts once it has been on screen
 * (most of it, or most of the viewport) for {@link seenDwellMs}, or when it leaves the viewport
 * upward after having been on screen (scrolled past). Nothing counts while the page is hidden or
 * unfocused, or while `enabled` is false. Rows come and go with the virtual list: a
 * MutationObserver hands new rows to an IntersectionObserver rooted at the scroller.
 */
export function useSeenTracking(options: SeenTrackingOptions): void {
  const latest = useRef(options);
  latest.current = options;
  const maxSeen = useRef(0);
  const { conversationId, enabled, pageVisible, readSeq } = options;
  const active = enabled && pageVisible;

  useEffect(() => {
    maxSeen.current = 0;
  }, [conversationId]);

  // The marker went back behind what was seen (hello after a reconnect): report it again.
  useEffect(() => {
    if (maxSeen.current > readSeq) latest.current.onSeen(maxSeen.current);
  }, [readSeq, conversationId]);

  useEffect(() => {
    if (!active) return;
    const scroller = latest.current.area.current?.querySelector<HTMLElement>('.messages');
    if (!scroller) return;
    const timers = new Map<Element, ReturnType<typeof setTimeout>>();
    const onScreen = new Set<Element>();
    const seen = (el: Element) => {
      const seq = seqOf(el);
      if (seq <= 0 || !el.isConnected || seq <= maxSeen.current) return;
      maxSeen.current = seq;
      if (seq > latest.current.readSeq) latest.current.onSeen(seq);
    };
    const stop = (el: Element) => {
      clearTimeout(timers.get(el));
      timers.delete(el);
    };
    const io = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const el = entry.target;
          if (!el.isConnected) continue;
          const root = entry.rootBounds;
          const shown = entry.intersectionRect.height;
          const enough =
            entry.isIntersecting &&
            (entry.intersectionRatio >= visibleShare || (root !== null && shown >= root.height * visibleShare));
          if (enough && !timers.has(el)) {
            onScreen.add(el);
            timers.set(
              el,
              setTimeout(() => {
                timers.delete(el);
                seen(el);
              }, seenDwellMs),
            );
          } else if (!enough) {
            stop(el);
            const rect = entry.boundingClientRect;
            // Left upward after having been on screen: the user scrolled past it.
            if (onScreen.has(el) && root && rect.height > 0 && rect.bottom <= root.top + 1) seen(el);
            if (!entry.isIntersecting) onScreen.delete(el);
          }
        }
      },
      { root: scroller, threshold: [0, 0.25, 0.5, visibleShare, 0.8, 1] },
    );
    const watch = (node: Node) => {
      if (!(node instanceof HTMLElement)) return;
      const rows = node.matches('[data-message-row]') ? [node] : node.querySelectorAll('[data-message-row]');
      for (const row of rows) io.observe(row);
    };
    const forget = (node: Node) => {
      if (!(node instanceof HTMLElement)) return;
      const rows = node.matches('[data-message-row]') ? [node] : node.querySelectorAll('[data-message-row]');
      for (const row of rows) {
        io.unobserve(row);
        stop(row);
        onScreen.delete(row);
      }
    };
    const mo = new MutationObserver((records) => {
      for (const record of records) {
        record.removedNodes.forEach(forget);
        record.addedNodes.forEach(watch);
      }
    });
    mo.observe(scroller, { childList: true, subtree: true });
    watch(scroller);
    return () => {
      mo.disconnect();
      io.disconnect();
      for (const timer of timers.values()) clearTimeout(timer);
    };
  }, [active, conversationId]);
}
