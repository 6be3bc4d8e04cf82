import type { JSX } from 'preact';
import { Icon, type IconName } from '../ui/Icon.tsx';

/**
 * One action of my status menu in a group of its own (security, administration, signing out):
 * the menu closes without taking the focus back, then the action runs.
 */
export function MenuAction(props: {
  icon: IconName;
  label: string;
  /** `data-menu`, which the tests find the item by; absent when nothing looks for it. */
  name?: string;
  close: (refocus?: boolean) => void;
  onPick: () => void;
}): JSX.Element {
  return (
    <div class="menu-group">
      <button
        type="button"
        role="menuitem"
        class="menu-item"
        tabIndex={-1}
        data-menu={props.name}
        onClick={() => {
          props.close(false);
          props.onPick();
        }}
      >
        <Icon name={props.icon} size={16} />
        {props.label}
      </button>
    </div>
  );
}
