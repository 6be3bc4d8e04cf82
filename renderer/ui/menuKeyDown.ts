/**
 * The keys of an open menu (role="menu"): the arrows move between its items (round the ends),
 * Home and End to the first and the last; Escape closes it (stopped, so what lies under the menu
 * keeps its own Escape). Tab is the menu's to decide: `onTab` gets the event (close and let the
 * focus move on, or keep it and put it back on the menu's owner).
 */
export function menuKeyDown(
  e: KeyboardEvent,
  menu: HTMLElement,
  onEscape: () => void,
  onTab: (e: KeyboardEvent) => void,
): void {
  const items = [...menu.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
  const index = items.indexOf(document.activeElement as HTMLElement);
  if (e.key === 'Escape') {
    e.preventDefault();
    e.stopPropagation();
    onEscape();
  } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    const step = e.key === 'ArrowDown' ? 1 : -1;
    items[(index + step + items.length) % items.length]?.focus();
  } else if (e.key === 'Home' || e.key === 'End') {
    e.preventDefault();
    items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
  } else if (e.key === 'Tab') {
    onTab(e);
  }
}
