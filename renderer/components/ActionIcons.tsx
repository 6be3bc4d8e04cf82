import type { JSX } from 'preact';
import { StrokeIcon } from '../ui/Icon.tsx';

// Line icons of the reaction, pin and forward actions, drawn like ui/Icon.tsx (20×20,
// `currentColor`) and kept here so these features add no entries to the shared icon table.
const paths = {
  pin: 'M7.5 3h5M8.5 3v4.5L6 10.5h8l-2.5-3V3M10 10.5V17',
  smilePlus:
    'M15.5 9.6A6.5 6.5 0 1 1 10.4 3.5M7 11.8c.7 1 1.7 1.6 3 1.6s2.3-.6 3-1.6M7.4 7.8h.01M12.6 7.8h.01M15.5 2.5v5M13 5h5',
  forward: 'M11.5 4.5 17 9.5l-5.5 5M17 9.5H9a5.5 5.5 0 0 0-5.5 5.5v.5',
} as const;

/** The names of the action icons. */
export type ActionIconName = keyof typeof paths;

/** A decorative action icon (`class` is added to `icon`; drawn in ui/Icon.tsx's frame). */
export function ActionIcon({
  name,
  size = 20,
  class: cls,
}: {
  name: ActionIconName;
  size?: number;
  class?: string;
}): JSX.Element {
  return <StrokeIcon d={paths[name]} size={size} class={cls ? `icon ${cls}` : 'icon'} />;
}
