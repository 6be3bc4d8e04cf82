import type { JSX } from 'preact';

// Line icons of the message menu, drawn like ui/Icon.tsx (20×20, `currentColor`) and kept here
// so the message actions add no entries to the shared icon table.
const paths = {
  more: 'M4.5 10h.01M10 10h.01M15.5 10h.01',
  reply: 'M8 5 3.5 9.5 8 14M3.5 9.5H11a5.5 5.5 0 0 1 5.5 5.5v1',
  edit: 'M12.5 4.5l3 3L7 16H4v-3zM11 6l3 3',
  trash: 'M4 6h12M8 6V4h4v2M5.5 6l.8 10.5h7.4L14.5 6M8.5 9v5M11.5 9v5',
  copy: 'M7 7h9v9.5H7zM13 7V3.5H4V13h3',
  link: 'M8.5 11.5a3 3 0 0 0 4.2 0l2.6-2.6a3 3 0 0 0-4.2-4.2l-1 1M11.5 8.5a3 3 0 0 0-4.2 0l-2.6 2.6a3 3 0 0 0 4.2 4.2l1-1',
} as const;

/** The names of the message menu's icons. */
export type MenuIconName = keyof typeof paths;

/** A decorative icon of the message menu (the item around it carries the label). */
export function MenuIcon({ name, size = 18 }: { name: MenuIconName; size?: number }): JSX.Element {
  return (
    <svg
      class="icon"
      width={size}
      height={size}
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      stroke-width={name === 'more' ? 3 : 1.6}
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
