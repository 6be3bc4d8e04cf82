import type { JSX } from 'preact';

/** The Beseda mark: two overlapping speech bubbles. */
export function Logo({ size = 28 }: { size?: number }): JSX.Element {
  return (
    <svg class="logo" width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect x="2" y="4" width="20" height="15" rx="5" class="logo-back" />
      <path d="M7 19v5l5-5z" class="logo-back" />
      <rect x="10" y="10" width="20" height="14" rx="5" class="logo-front" />
      <path d="M25 24v4l-5-4z" class="logo-front" />
      <circle cx="15.5" cy="17" r="1.5" class="logo-dot" />
      <circle cx="20" cy="17" r="1.5" class="logo-dot" />
      <circle cx="24.5" cy="17" r="1.5" class="logo-dot" />
    </svg>
  );
}
