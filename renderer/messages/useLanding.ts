import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { landOnUnread } from '../actions/reading.ts';

/** Where the divider goes: this far below the top of the list, the message before it still in sight. */
const dividerTop = 48;

/**
 * Landing on the first unread message when a conversation opens with unread ones: the window is
 * brought to the read marker (a window around it, or older pages), and the list, told the «new
 * messages» divider is its initial row, shows it at the top. Until the divider is in the rows and
 * the list has settled there, the conversation has not landed: the list may be showing its newest
 * page meanwhile, which the user is not meant to read yet (nothing counts as seen).
 *
 * @param area the element holding the list (its `.messages` scroller)
 * @param afterSeq the read marker the divider follows, when the conversation opened with unread (else null)
 * @param dividerShown whether the divider row is among the list's rows
 * @returns whether the conversation has landed (true at once when there is nothing to land on)
 */
export function useLanding(
  area: RefObject<HTMLElement>,
  conversationId: number,
  afterSeq: number | null,
  dividerShown: boolean,
): boolean {
  // Landing happens once per opening: a divider moved later (the page shown again) is not landed on.
  const opened = useRef<{ conversationId: number; afterSeq: number | null } | null>(null);
  if (opened.current?.conversationId !== conversationId) opened.current = { conversationId, afterSeq };
  const target = opened.current.afterSeq;
  const [landed, setLanded] = useState<{ conversationId: number } | null>(null);
  const [gaveUp, setGaveUp] = useState<number | null>(null);
  const done = target === null || landed?.conversationId === conversationId || gaveUp === conversationId;

  useEffect(() => {
    if (target === null) return;
    let live = true;
    void landOnUnread(conversationId, target).finally(() => {
      // The marker could not be reached (no such history): the list stays where it is.
      if (live) setTimeout(() => live && setGaveUp(conversationId), 1500);
    });
    return () => {
      live = false;
    };
  }, [conversationId, target]);

  useEffect(() => {
    if (done || !dividerShown) return;
    // The list scrolls to the divider in its layout effect, but by estimated row heights when the
    // divider was not rendered yet: once rows are measured, the divider is put where it belongs,
    // frame by frame until it stays there (or a few frames have passed).
    let frame = 0;
    let tries = 0;
    let still = 0;
    const settle = () => {
      const scroller = area.current?.querySelector<HTMLElement>('.messages');
      const divider = scroller?.querySelector<HTMLElement>('.unread-divider');
      if (scroller && divider) {
        const off = divider.getBoundingClientRect().top - scroller.getBoundingClientRect().top - dividerTop;
        if (Math.abs(off) > 2) {
          scroller.scrollTop += off;
          still = 0;
        } else still++;
      }
      if (still >= 2 || tries++ > 20) setLanded({ conversationId });
      else frame = requestAnimationFrame(settle);
    };
    frame = requestAnimationFrame(settle);
    return () => cancelAnimationFrame(frame);
  }, [done, dividerShown, conversationId]);

  return done;
}
