import type { JSX } from 'preact';
import { StrokeIcon } from '../ui/Icon.tsx';

const bell = 'M5 14.5V9a5 5 0 0 1 10 0v5.5l1.5 1.5h-13zM8.3 17.2a1.9 1.9 0 0 0 3.4 0';
const slash = 'M3 3l14 14';

/** A bell, crossed out when the conversation is quiet (muted or set to nothing). */
export function BellIcon({ off = false, size = 18 }: { off?: boolean; size?: number }): JSX.Element {
  return <StrokeIcon class="bell-icon" size={size} d={off ? [bell, slash] : bell} />;
}
