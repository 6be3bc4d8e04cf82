import type { JSX } from 'preact';
import { Icon } from './Icon.tsx';

/**
 * One choice of a menu, ticked while it is on: a radio of a group (the current one of several,
 * the default) or a checkbox (a switch of its own).
 */
export function MenuChoice(props: {
  checked: boolean;
  icon?: JSX.Element;
  label: string;
  onPick: () => void;
  role?: 'menuitemradio' | 'menuitemcheckbox';
}): JSX.Element {
  const { checked, icon, label, onPick, role = 'menuitemradio' } = props;
  return (
    <button type="button" role={role} aria-checked={checked} class="menu-item" tabIndex={-1} onClick={onPick}>
      {icon}
      {label}
      {checked && <Icon name="check" size={16} class="menu-check" />}
    </button>
  );
}
