import type { ComponentChildren, JSX } from 'preact';

/** A labelled group of menu items; the heading is for the eye, the label for screen readers. */
export function MenuGroup({ label, children }: { label: string; children: ComponentChildren }): JSX.Element {
  return (
    <div class="menu-group" role="group" aria-label={label}>
      <div class="menu-heading" aria-hidden="true">
        {label}
      </div>
      {children}
    </div>
  );
}
