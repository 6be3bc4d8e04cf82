import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChosenStatus } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { setStatus, signOut } from '../actions/session.ts';
import { languageSetting, setLanguageSetting } from '../i18n/language.ts';
import type { LanguageSetting } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { Avatar, PresenceDot } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { UserText, personLabel } from '../ui/UserText.tsx';

const statuses: ChosenStatus[] = ['online', 'away', 'dnd'];
const languages: { value: LanguageSetting; label: () => string }[] = [
  { value: 'auto', label: () => t('status.languageAuto') },
  { value: 'ru', label: () => 'Русский' },
  { value: 'en', label: () => 'English' },
];

/** Me at the bottom of the sidebar: avatar, name and status; opens a menu to change status, language, or sign out. */
export function StatusMenu(): JSX.Element | null {
  const me = client.me.value;
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const items = () => [...menuRef.current!.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
    (items().find((el) => el.getAttribute('aria-checked') === 'true') ?? items()[0])?.focus();
    const onDown = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node) && !buttonRef.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  if (!me) return null;
  const close = (refocus = true) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const items = [...menuRef.current!.querySelectorAll<HTMLElement>('[role^="menuitem"]')];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus();
    } else if (e.key === 'Tab') {
      close(false);
    }
  };

  return (
    <div class="status-menu">
      {open && (
        <div ref={menuRef} class="menu" role="menu" aria-label={t('status.menu')} onKeyDown={onKeyDown}>
          <div class="menu-group" role="group" aria-label={t('status.choose')}>
            <div class="menu-heading" aria-hidden="true">
              {t('status.choose')}
            </div>
            {statuses.map((s) => (
              <button
                key={s}
                type="button"
                role="menuitemradio"
                aria-checked={me.presence === s}
                class="menu-item"
                tabIndex={-1}
                onClick={() => {
                  setStatus(s);
                  close();
                }}
              >
                <PresenceDot status={s} decorative />
                {t(`status.${s}`)}
                {me.presence === s && <Icon name="check" size={16} class="menu-check" />}
              </button>
            ))}
          </div>
          <div class="menu-group" role="group" aria-label={t('status.language')}>
            <div class="menu-heading" aria-hidden="true">
              {t('status.language')}
            </div>
            {languages.map((l) => (
              <button
                key={l.value}
                type="button"
                role="menuitemradio"
                aria-checked={languageSetting.value === l.value}
                class="menu-item"
                tabIndex={-1}
                onClick={() => {
                  setLanguageSetting(l.value);
                  close();
                }}
              >
                <Icon name="globe" size={16} />
                {l.label()}
                {languageSetting.value === l.value && <Icon name="check" size={16} class="menu-check" />}
              </button>
            ))}
          </div>
          <div class="menu-group">
            <button
              type="button"
              role="menuitem"
              class="menu-item"
              tabIndex={-1}
              onClick={() => {
                close(false);
                void signOut();
              }}
            >
              <Icon name="logout" size={16} />
              {t('status.signOut')}
            </button>
          </div>
        </div>
      )}
      <button
        ref={buttonRef}
        type="button"
        class="me-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`${t('status.menu')}: ${neutraliseBidi(me.name)}, ${t(`status.${me.presence}`)}`}
        onClick={() => setOpen(!open)}
      >
        <Avatar name={me.name} seed={me.id} presence={me.presence} />
        <span class="me-text">
          <UserText class="me-name" text={me.name} title={personLabel(me)} />
          <span class="me-status">{t(`status.${me.presence}`)}</span>
        </span>
        <Icon name="chevronDown" size={16} />
      </button>
    </div>
  );
}
