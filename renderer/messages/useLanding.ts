import { useEffect, useRef, useState } from 'preact/hooks';
import { landOnUnread } from '../actions/reading.ts';

/**
 * Landing on the first unread message when a conversation opens with unread ones: the window is
 * brought to the read marker (a window around it, or older pages), and the list, told the «new
 * messages» divider is its initial row, shows it at the top. Until the divider is in the rows and
 * the list has settled there, the conversation has not landed: the list may be showing its newest
 * page meanwhile, which the user is not meant to read yet (nothing counts as seen).
 *
 * @param afterSeq the read marker the divider follows, when the conversation opened with unread (else null)
 * @param dividerShown whether the divider row is among the list's rows
 * @returns whether the conversation has landed (true at once when there is nothing to land on)
 */
export function useLanding(conversationId: number, afterSeq: number | null, dividerShown: boolean): boolean {
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
    // Two frames: the list scrolls to the divider in its layout effect, rows settle in the next.
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => setLanded({ conversationId }));
    });
    return () => cancelAnimationFrame(frame);
  }, [done, dividerShown, conversationId]);

  return done;
}
