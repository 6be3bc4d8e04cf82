import type { RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/** What {@link useMenuButton} gives its menu: whether it is open, the refs to attach, and how to close it. */
export interface MenuButton {
  open: boolean;
  setOpen: (open: boolean) => void;
  menuRef: RefObject<HTMLDivElement>;
  buttonRef: RefObject<HTMLButtonElement>;
  /** Closes the menu; with `refocus` (the default) the focus goes back on its button. */
  close: (refocus?: boolean) => void;
}

/**
 * A button that opens a menu: when it opens, the focus goes on an item (`startAt` picks it from
 * the menu's items; the first by default); a press outside both the menu and the button closes it.
 */
export function useMenuButton(
  startAt: (items: HTMLElement[]) => HTMLElement | undefined = (items) => items[0],
): MenuButton {
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  // A layout effect, not useEffect: Preact runs effects up to a frame after the menu shows, and a
  // key (Escape) or a press outside in that gap would miss the menu (focus still on the button, no
  // listener yet), leaving it open for the next click on the button to toggle shut.
  useLayoutEffect(() => {
    if (!open) return;
    startAt([...(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])])?.focus();
    const onDown = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };
  return { open, setOpen, menuRef, buttonRef, close };
}
