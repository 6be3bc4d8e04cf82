import type { ComponentChildren, JSX } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The elements Tab may reach inside a container, in order. */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(focusable)].filter(
    (el) => !el.hidden && el.getClientRects().length > 0,
  );
}

/**
 * A modal dialog: `role="dialog"` labelled by its title, focus moved inside and trapped there
 * (Tab and Shift+Tab wrap), Esc or a click on the backdrop closes it, and focus returns to
 * where it was.
 */
export function Dialog({
  title,
  onClose,
  children,
  footer,
  size = 'md',
}: {
  /** The heading: a string, or elements when it holds user text (a room's name). */
  title: ComponentChildren;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  size?: 'sm' | 'md' | 'lg';
}): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  // A layout effect: the focus is inside before the next keystroke can land anywhere else.
  useLayoutEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = ref.current!;
    const first = root.querySelector<HTMLElement>('[data-autofocus]') ?? focusableIn(root)[1] ?? root;
    first.focus();
    // Keys are heard on the document, so Esc and Tab still work when the focused element was
    // just removed (a member removed from a list) and the focus fell back to <body>.
    document.addEventListener('keydown', onKeyDown);
    // Focus may not leave a modal dialog: clicking or tabbing outside brings it back.
    const keepFocus = (e: FocusEvent) => {
      if (e.target instanceof Node && !root.contains(e.target)) root.focus();
    };
    document.addEventListener('focusin', keepFocus);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('focusin', keepFocus);
      if (previous && document.contains(previous)) previous.focus();
    };
  }, []);

  function onKeyDown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCloseRef.current();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = focusableIn(ref.current!);
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !ref.current!.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !ref.current!.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <div
      class="backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        class={`dialog dialog-${size}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
      >
        <header class="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button
            type="button"
            class="icon-button"
            aria-label={t('app.close')}
            title={t('app.close')}
            onClick={onClose}
          >
            <Icon name="close" />
          </button>
        </header>
        <div class="dialog-body">{children}</div>
        {footer && <footer class="dialog-footer">{footer}</footer>}
      </div>
    </div>
  );
}
