import type { JSX } from 'preact';
import { language, setLanguageSetting } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { Icon } from '../ui/Icon.tsx';

/** Русский / English under the sign-in form, each language named in itself. */
export function LanguageSwitch(): JSX.Element {
  return (
    <div class="signin-language" role="group" aria-label={t('signIn.language')}>
      <Icon name="globe" size={16} />
      {(['ru', 'en'] as const).map((lang) => (
        <button
          key={lang}
          type="button"
          class={language.value === lang ? 'link-button active' : 'link-button'}
          aria-pressed={language.value === lang}
          lang={lang}
          onClick={() => setLanguageSetting(lang)}
        >
          {lang === 'ru' ? 'Русский' : 'English'}
        </button>
      ))}
    </div>
  );
}
