import type { JSX } from 'preact';

/** A labelled one-line input of an admin form; the label is the input's accessible name. */
export function TextField(props: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  maxLength: number;
  required?: boolean;
  type?: 'text' | 'email';
}): JSX.Element {
  return (
    <label class="field">
      <span class="field-label">{props.label}</span>
      <input
        type={props.type}
        required={props.required}
        maxLength={props.maxLength}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}
