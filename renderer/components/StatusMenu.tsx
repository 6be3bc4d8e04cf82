import type { JSX } from 'preact';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { useMenuButton } from '../ui/useMenuButton.ts';
import { UserText, personLabel } from '../ui/UserText.tsx';
import { StatusMenuPanel } from './StatusMenuPanel.tsx';

/** Me at the bottom of the sidebar: avatar, name and status; opens a menu to change status, language, or sign out. */
export function StatusMenu(): JSX.Element | null {
  const me = client.me.value;
  // Opens at the current choice (the status), as a radio group would.
  const { open, setOpen, menuRef, buttonRef, close } = useMenuButton(
    (items) => items.find((el) => el.getAttribute('aria-checked') === 'true') ?? items[0],
  );

  if (!me) return null;

  return (
    <div class="status-menu">
      {open && <StatusMenuPanel menuRef={menuRef} presence={me.presence} close={close} />}
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
