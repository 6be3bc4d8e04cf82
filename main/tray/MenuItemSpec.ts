/**
 * A menu entry as the decisions describe it; main/shell/ turns these into Electron menu items.
 * Clicks are plain callbacks, so tests can press them.
 */
export type MenuItemSpec =
  | { type: 'normal'; id: string; label: string; enabled?: boolean; click?: () => void }
  | { type: 'checkbox' | 'radio'; id: string; label: string; checked: boolean; enabled?: boolean; click: () => void }
  | { type: 'separator' }
  | { type: 'submenu'; id: string; label: string; enabled?: boolean; submenu: MenuItemSpec[] };

/** Finds an item by id anywhere in a menu (tests and the shell's lookups). */
export function findMenuItem(items: readonly MenuItemSpec[], id: string): MenuItemSpec | undefined {
  for (const item of items) {
    if (item.type !== 'separator' && item.id === id) return item;
    if (item.type === 'submenu') {
      const found = findMenuItem(item.submenu, id);
      if (found) return found;
    }
  }
  return undefined;
}
