import type { JSX } from 'preact';

const bell = 'M5 14.5V9a5 5 0 0 1 10 0v5.5l1.5 1.5h-13zM8.3 17.2a1.9 1.9 0 0 0 3.4 0';
const slash = 'M3 3l14 14';

/** A bell, crossed out when the conversation is quiet (muted or set to nothing). */
export function BellIcon({ off = false, size = 18 }: { off?: boolean; size?: number }): JSX.Element {
  return (
    <svg
      class="bell-icon"
      width={size}
      height={size}
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      stroke-width="1.6"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
    >
      <path d={bell} />
      {off && <path d={slash} />}
    </svg>
  );
}
