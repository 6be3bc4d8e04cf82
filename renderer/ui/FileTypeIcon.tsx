import type { JSX } from 'preact';
import type { FileType } from './fileType.ts';

const labels: Record<FileType, string> = { pdf: 'PDF', doc: 'DOC', xls: 'XLS', zip: 'ZIP', image: 'IMG', generic: '' };

/**
 * A document icon with the file's type on it (PDF, DOC, XLS, ZIP, IMG), coloured by type through
 * its class. Decorative: the card around it names the file.
 */
export function FileTypeIcon({ type, size = 40 }: { type: FileType; size?: number }): JSX.Element {
  const label = labels[type];
  return (
    <svg
      class={`file-type-icon ft-${type}`}
      width={(size * 32) / 40}
      height={size}
      viewBox="0 0 32 40"
      aria-hidden="true"
      focusable="false"
    >
      <path
        class="ft-sheet"
        d="M4 1.5h16.5L30.5 11.5V36a2.5 2.5 0 0 1-2.5 2.5H4A2.5 2.5 0 0 1 1.5 36V4A2.5 2.5 0 0 1 4 1.5z"
      />
      <path class="ft-fold" d="M20.5 1.5v7.5a2.5 2.5 0 0 0 2.5 2.5h7.5" />
      {label ? (
        <>
          <rect class="ft-band" x="0" y="21" width="26" height="11" rx="2" />
          <text class="ft-label" x="13" y="29.6" text-anchor="middle">
            {label}
          </text>
        </>
      ) : (
        <path class="ft-lines" d="M8 20h16M8 25h16M8 30h10" />
      )}
    </svg>
  );
}
