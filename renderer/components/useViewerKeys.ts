import type { RefObject } from 'preact';
import { useLayoutEffect } from 'preact/hooks';
import { closeViewer, stepImage } from '../actions/viewer.ts';
import { focusableIn } from '../dialogs/Dialog.tsx';
import type { Zoom } from './useZoom.ts';

function trapTab(root: HTMLElement, e: KeyboardEvent): void {
  const items = focusableIn(root);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  if (e.shiftKey && (active === first || !root.contains(active))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !root.contains(active))) {
    e.preventDefault();
    first.focus();
  }
}

/**
 * The viewer's keyboard and focus, as a modal: focus moves to its `[data-autofocus]` control,
 * stays inside (Tab wraps, a click outside brings it back) and returns where it was on close;
 * Esc closes, ← → step through the images, + and − zoom, Ctrl+K does nothing underneath.
 */
export function useViewerKeys(root: RefObject<HTMLElement>, zoom: { current: Zoom }): void {
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    root.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    const onKey = (e: KeyboardEvent): void => {
      const plain = !e.ctrlKey && !e.metaKey && !e.altKey;
      let handled = true;
      if (e.key === 'Escape') closeViewer();
      else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && plain) stepImage(e.key === 'ArrowLeft' ? -1 : 1);
      else if ((e.key === '+' || e.key === '=') && plain) zoom.current.zoomBy(1.25);
      else if (e.key === '-' && plain) zoom.current.zoomBy(0.8);
      // No conversation switching under the viewer.
      else if ((e.ctrlKey || e.metaKey) && (e.key === 'k' || e.key === 'K' || e.code === 'KeyK')) handled = true;
      else handled = false;
      if (handled) {
        e.preventDefault();
        e.stopPropagation();
      } else if (e.key === 'Tab' && root.current) {
        trapTab(root.current, e);
      }
    };
    const keepFocus = (e: FocusEvent): void => {
      if (root.current && e.target instanceof Node && !root.current.contains(e.target)) root.current.focus();
    };
    // In the capture phase, before the app's own keys (Esc there closes the members panel).
    window.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', keepFocus);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', keepFocus);
      if (previous && document.contains(previous)) previous.focus({ preventScroll: true });
    };
  }, []);
}
