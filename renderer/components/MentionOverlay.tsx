import type { JSX, RefObject } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { ComposerText } from '../text/mentionEntities.ts';
import '../styles/mentions.css';

const copied = [
  'paddingTop',
  'paddingRight',
  'paddingBottom',
  'paddingLeft',
  'fontFamily',
  'fontSize',
  'fontWeight',
  'lineHeight',
  'letterSpacing',
  'tabSize',
] as const;

/**
 * The highlight of the names in the message box: a copy of its text laid exactly behind the
 * (transparent) textarea, with each mention's span marked. Its letters are invisible; only the
 * marks' backgrounds show through, under the textarea's own letters. The textarea stays a
 * textarea (typing methods, undo, spelling, screen readers), and this copy follows its width and
 * scrolling.
 */
export function MentionOverlay({
  text,
  box,
}: {
  text: ComposerText;
  box: RefObject<HTMLTextAreaElement>;
}): JSX.Element | null {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = box.current;
    const overlay = ref.current;
    if (!el || !overlay) return;
    const follow = () => {
      // Laid over the textarea's own box (the form is the positioned parent), with its padding and type.
      const style = getComputedStyle(el);
      const s = overlay.style;
      s.left = `${el.offsetLeft + el.clientLeft}px`;
      s.top = `${el.offsetTop + el.clientTop}px`;
      s.width = `${el.clientWidth}px`;
      s.height = `${el.clientHeight}px`;
      for (const key of copied) s[key] = style[key];
      overlay.scrollTop = el.scrollTop;
    };
    follow();
    el.addEventListener('scroll', follow);
    const resize = new ResizeObserver(follow);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', follow);
      resize.disconnect();
    };
  });
  if (text.entities.length === 0) return null;
  const parts: (string | JSX.Element)[] = [];
  let at = 0;
  for (const e of text.entities) {
    parts.push(text.display.slice(at, e.start));
    parts.push(
      <mark key={e.start} class="composer-mention">
        {text.display.slice(e.start, e.end)}
      </mark>,
    );
    at = e.end;
  }
  // A trailing newline needs a character after it to take up its line, as in the textarea.
  parts.push(text.display.slice(at) + '\u200b');
  return (
    <div ref={ref} class="composer-overlay" aria-hidden="true">
      {parts}
    </div>
  );
}
