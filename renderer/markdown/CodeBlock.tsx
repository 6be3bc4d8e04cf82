/** @jsxImportSource preact */
// The pragma repeats tsconfig for vitest, which compiles this file for the unit tests without it.
import type { JSX } from 'preact';
import { copyText } from '../actions/copyText.ts';
import { t } from '../i18n/t.ts';

/**
 * A fenced code block: monospace, its lines as typed, scrolled sideways rather than wrapped, with
 * a copy button named in the UI language («Копировать»). The language after the fence is shown
 * as a label only (no highlighting: nothing in the code is interpreted).
 */
export function CodeBlock({ lang, text }: { lang: string; text: string }): JSX.Element {
  return (
    <div class="md-code" dir="ltr">
      <div class="md-code-bar">
        {lang && <span class="md-code-lang">{lang}</span>}
        <button
          type="button"
          class="md-copy"
          title={t('format.copy')}
          onClick={() => void copyText(text, t('format.copied'))}
        >
          {t('format.copy')}
        </button>
      </div>
      <pre tabIndex={0}>
        <code>{text}</code>
      </pre>
    </div>
  );
}
