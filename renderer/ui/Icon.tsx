/** @jsxImportSource preact */
// The pragma repeats tsconfig for vitest, which compiles this file for the unit tests without it.
import type { JSX } from 'preact';

// 20×20 line icons drawn with `currentColor`, so they follow the text colour and the theme.
const paths = {
  hash: 'M7.5 3 6 17M14 3l-1.5 14M3.5 7.5h14M2.5 12.5h14',
  lock: 'M5.5 9V6.5a4.5 4.5 0 0 1 9 0V9M4 9h12v8.5H4z',
  home: 'M3 9.5 10 3.5l7 6V17h-4.5v-4.5h-5V17H3z',
  plus: 'M10 4v12M4 10h12',
  search: 'M8.5 3.5a5 5 0 1 0 0 10 5 5 0 0 0 0-10zM12.2 12.2l4.3 4.3',
  compass: 'M10 2.5a7.5 7.5 0 1 0 0 15 7.5 7.5 0 0 0 0-15zM12.8 7.2l-1.6 4-4 1.6 1.6-4z',
  users:
    'M7.5 9.5a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 16.5c0-3 2.5-5 5.5-5s5.5 2 5.5 5M13 3.7a3 3 0 0 1 0 5.6M15 11.8c1.8.6 3 2.4 3 4.7',
  gear: 'M16.1 8.3L18 8.2v3.6l-1.9-.1-.6 1.4 1.4 1.3-2.5 2.5-1.3-1.4-1.4.6.1 1.9H8.2l.1-1.9-1.4-.6-1.3 1.4-2.5-2.5 1.4-1.3-.6-1.4-1.9.1V8.2l1.9.1.6-1.4-1.4-1.3 2.5-2.5 1.3 1.4 1.4-.6-.1-1.9h3.6l-.1 1.9 1.4.6 1.3-1.4 2.5 2.5-1.4 1.3zM10 7.3a2.7 2.7 0 1 0 0 5.4 2.7 2.7 0 0 0 0-5.4z',
  send: 'M3 10 17 3.5 13 17l-3.2-5.8zM9.8 11.2 17 3.5',
  clock: 'M10 3a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM10 6v4.3l2.8 1.8',
  alert: 'M10 2.8 18 16.8H2zM10 8v4M10 14.2v.6',
  close: 'M5 5l10 10M15 5 5 15',
  chevronDown: 'M5 7.5l5 5 5-5',
  arrowDown: 'M10 3.5v13M4.5 11l5.5 5.5 5.5-5.5',
  menu: 'M3 5.5h14M3 10h14M3 14.5h14',
  logout: 'M8 3.5H4v13h4M13 6.5l3.5 3.5-3.5 3.5M16.5 10H7.5',
  check: 'M4 10.5l4 4 8-9',
  message: 'M3 4.5h14v9H9l-4 3.5v-3.5H3z',
  megaphone: 'M3 8v4h3l6 4V4L6 8zM15 7.5a3.5 3.5 0 0 1 0 5',
  globe:
    'M10 2.5a7.5 7.5 0 1 0 0 15 7.5 7.5 0 0 0 0-15zM2.5 10h15M10 2.5c2 2 3 4.5 3 7.5s-1 5.5-3 7.5c-2-2-3-4.5-3-7.5s1-5.5 3-7.5z',
  eye: 'M1.8 10S5 4.5 10 4.5 18.2 10 18.2 10 15 15.5 10 15.5 1.8 10 1.8 10zM10 7.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z',
  eyeOff:
    'M3 3l14 14M8.2 5C8.8 4.7 9.4 4.5 10 4.5c5 0 8.2 5.5 8.2 5.5s-.9 1.6-2.6 3.1M13.4 14.5c-1 .6-2.1 1-3.4 1-5 0-8.2-5.5-8.2-5.5s1-1.8 2.9-3.3',
  leave: 'M12 3.5h4v13h-4M7 6.5 3.5 10 7 13.5M3.5 10h9',
  crown: 'M3 15.5h14M3.5 13l-1-7 4.5 3.5L10 4l3 5.5L17.5 6l-1 7z',
  at: 'M13 10a3 3 0 1 1-6 0 3 3 0 0 1 6 0zm0 0v1.3a2.2 2.2 0 0 0 4.4 0V10A7.4 7.4 0 1 0 14 16.3',
  paperclip:
    'M15.5 9.5l-5.8 5.8a3.7 3.7 0 0 1-5.2-5.2l6.3-6.3a2.5 2.5 0 0 1 3.5 3.5l-6.2 6.2a1.2 1.2 0 0 1-1.7-1.7L12 6.2',
  download: 'M10 3.5v9M6 8.5l4 4 4-4M4 15.5h12',
  chevronLeft: 'M12.5 5l-5 5 5 5',
  chevronRight: 'M7.5 5l5 5-5 5',
  zoomIn: 'M8.5 3.5a5 5 0 1 0 0 10 5 5 0 0 0 0-10zM12.2 12.2l4.3 4.3M8.5 6.5v4M6.5 8.5h4',
  zoomOut: 'M8.5 3.5a5 5 0 1 0 0 10 5 5 0 0 0 0-10zM12.2 12.2l4.3 4.3M6.5 8.5h4',
  fit: 'M3.5 7.5v-4h4M12.5 3.5h4v4M16.5 12.5v4h-4M7.5 16.5h-4v-4',
  play: 'M7 5v10l8-5z',
} as const;

/** The names of the available icons. */
export type IconName = keyof typeof paths;

/**
 * The frame every line icon is drawn in: 20×20, stroked with `currentColor` (it follows the text
 * colour and the theme), hidden from screen readers (the control around it carries the label).
 * `d` is one path or several drawn over each other; `class` is the SVG's whole class.
 */
export function StrokeIcon({
  d,
  size = 20,
  class: cls = 'icon',
}: {
  d: string | readonly string[];
  size?: number;
  class?: string;
}): JSX.Element {
  return (
    <svg
      class={cls}
      width={size}
      height={size}
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      stroke-width="1.6"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {typeof d === 'string' ? <path d={d} /> : d.map((one) => <path key={one} d={one} />)}
    </svg>
  );
}

/** A decorative line icon of the shared table (`class` is added to `icon`). */
export function Icon({ name, size = 20, class: cls }: { name: IconName; size?: number; class?: string }): JSX.Element {
  return <StrokeIcon d={paths[name]} size={size} class={cls ? `icon ${cls}` : 'icon'} />;
}
