import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';

/** Closer than this (px) to the bottom asks for the next newer page, early enough that it is usually there in time. */
const nearBottom = 800;

/** Where the newest row was when a newer page was asked for from the very bottom. */
interface BottomMark {
  key: string;
  /** Its top's distance from the scroller's top. */
  top: number;
}

/**
 * Pages a window opened around an older message forward: when the user nears the bottom of the
 * list and the hub has newer messages (`onNearBottom` given), the next page is asked for. The
 * list keeps itself pinned to the bottom when it is there, which would carry the user past the
 * new page in one go: a user at the very bottom when the page arrives stays at the row they were
 * reading instead.
 *
 * @param deps the list's rows (re-checks after each page: the user may still be near the bottom)
 */
export function useNewerPages(
  area: RefObject<HTMLElement>,
  onNearBottom: (() => void) | undefined,
  deps: readonly unknown[],
): void {
  const callback = useRef(onNearBottom);
  callback.current = onNearBottom;
  const mark = useRef<BottomMark | null>(null);
  const wanted = onNearBottom !== undefined;

  /**
   * `byUser`: a scroll, not the check after the rows changed. Only a user's scroll to the very
   * bottom leaves a mark to come back to: right after a jump replaced the rows, the list can still
   * stand at the new window's bottom for a moment, and a mark taken then would carry the view away
   * from the message jumped to once the newer page arrives.
   */
  const check = (scroller: HTMLElement, byUser: boolean) => {
    if (!callback.current) return;
    const distance = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
    if (distance >= nearBottom) return;
    const rows = scroller.querySelectorAll<HTMLElement>('.vrow[data-key]');
    const last = rows[rows.length - 1];
    mark.current =
      byUser && distance <= 24 && last
        ? { key: last.dataset.key!, top: last.getBoundingClientRect().top - scroller.getBoundingClientRect().top }
        : null;
    callback.current();
  };

  useEffect(() => {
    const scroller = area.current?.querySelector<HTMLElement>('.messages');
    if (!scroller || !wanted) return;
    const onScroll = () => check(scroller, true);
    scroller.addEventListener('scroll', onScroll, { passive: true });
    check(scroller, false);
    return () => scroller.removeEventListener('scroll', onScroll);
  }, [wanted, ...deps]);

  // After the page came in (the list has pinned itself to the new bottom by now): back to the row.
  useLayoutEffect(() => {
    const m = mark.current;
    const scroller = area.current?.querySelector<HTMLElement>('.messages');
    if (!m || !scroller) return;
    const rows = [...scroller.querySelectorAll<HTMLElement>('.vrow[data-key]')];
    const row = rows.find((r) => r.dataset.key === m.key);
    // Nothing came after it yet (another change of the rows): keep waiting for the page.
    if (!row || row === rows[rows.length - 1]) return;
    mark.current = null;
    const top = row.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    scroller.scrollTop += top - m.top;
  }, deps);
}
