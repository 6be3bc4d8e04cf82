import type { JSX, RefObject } from 'preact';
import type { ChosenStatus, PresenceStatus } from '../../common/protocol/model.ts';
import { setStatus, signOut } from '../actions/session.ts';
import { languageSetting, setLanguageSetting } from '../i18n/language.ts';
import type { LanguageSetting } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { PresenceDot } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { MenuChoice } from '../ui/MenuChoice.tsx';
import { MenuGroup } from '../ui/MenuGroup.tsx';
import { menuKeyDown } from '../ui/menuKeyDown.ts';
import { MenuAction } from './MenuAction.tsx';
import { ReceiptsMenuItem } from './ReceiptsMenuItem.tsx';
import { AdminMenuItem } from '../admin/AdminMenuItem.tsx';
import { SecurityMenuItem } from '../account/SecurityMenuItem.tsx';

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
  const onKeyDown = (e: KeyboardEvent) => menuKeyDown(e, menuRef.current!, close, () => close(false));

  return (
    <div ref={menuRef} class="menu" role="menu" aria-label={t('status.menu')} onKeyDown={onKeyDown}>
      <MenuGroup label={t('status.choose')}>
        {statuses.map((s) => (
          <MenuChoice
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
          <MenuChoice
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
      <SecurityMenuItem close={close} />
      <AdminMenuItem close={close} />
      <MenuAction icon="logout" label={t('status.signOut')} close={close} onPick={() => void signOut()} />
    </div>
  );
}
