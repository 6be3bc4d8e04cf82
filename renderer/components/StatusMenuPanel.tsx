import type { ComponentChildren, JSX, RefObject } from 'preact';
import type { ChosenStatus, PresenceStatus } from '../../common/protocol/model.ts';
import { setStatus, signOut } from '../actions/session.ts';
import { languageSetting, setLanguageSetting } from '../i18n/language.ts';
import type { LanguageSetting } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { PresenceDot } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { ReceiptsMenuItem } from './ReceiptsMenuItem.tsx';

const statuses: ChosenStatus[] = ['online', 'away', 'dnd'];
const languages: { value: LanguageSetting; label: () => string }[] = [
  { value: 'auto', label: () => t('status.languageAuto') },
  { value: 'ru', label: () => 'Русский' },
  { value: 'en', label: () => 'English' },
];

/**
 * The open status menu: status, language, sign out. A menu in the ARIA sense: arrows, Home and End
 * move between its items, Escape closes it (the focus back on its button), Tab closes it and moves on.
 * `close(false)` leaves the focus where it goes.
 */
export function StatusMenuPanel(props: {
  menuRef: RefObject<HTMLDivElement>;
  presence: PresenceStatus;
  close: (refocus?: boolean) => void;
}): JSX.Element {
  const { menuRef, presence, close } = props;
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
    <div ref={menuRef} class="menu" role="menu" aria-label={t('status.menu')} onKeyDown={onKeyDown}>
      <MenuGroup label={t('status.choose')}>
        {statuses.map((s) => (
          <MenuRadio
            key={s}
            checked={presence === s}
            icon={<PresenceDot status={s} decorative />}
            label={t(`status.${s}`)}
            onPick={() => {
              setStatus(s);
              close();
            }}
          />
        ))}
      </MenuGroup>
      <MenuGroup label={t('status.language')}>
        {languages.map((l) => (
          <MenuRadio
            key={l.value}
            checked={languageSetting.value === l.value}
            icon={<Icon name="globe" size={16} />}
            label={l.label()}
            onPick={() => {
              setLanguageSetting(l.value);
              close();
            }}
          />
        ))}
      </MenuGroup>
      <ReceiptsMenuItem close={close} />
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
  );
}

/** A labelled group of menu items; the heading is for the eye, the label for screen readers. */
function MenuGroup({ label, children }: { label: string; children: ComponentChildren }): JSX.Element {
  return (
    <div class="menu-group" role="group" aria-label={label}>
      <div class="menu-heading" aria-hidden="true">
        {label}
      </div>
      {children}
    </div>
  );
}

/** One choice of a group, ticked when it is the current one. */
function MenuRadio(props: { checked: boolean; icon: JSX.Element; label: string; onPick: () => void }): JSX.Element {
  const { checked, icon, label, onPick } = props;
  return (
    <button type="button" role="menuitemradio" aria-checked={checked} class="menu-item" tabIndex={-1} onClick={onPick}>
      {icon}
      {label}
      {checked && <Icon name="check" size={16} class="menu-check" />}
    </button>
  );
}
