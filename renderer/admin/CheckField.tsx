import type { JSX } from 'preact';

/** A checkbox with its label beside it, as admin forms and toolbars show one. */
export function CheckField(props: { label: string; checked: boolean; onChange: (on: boolean) => void }): JSX.Element {
  return (
    <label class="admin-check">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      {props.label}
    </label>
  );
}
