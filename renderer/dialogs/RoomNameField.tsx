import { useId } from 'preact/hooks';

/** Props of {@link RoomNameField}. */
export interface RoomNameFieldProps {
  label: string;
  value: string;
  /** Why the name was refused (shown under the field and announced); empty when fine. */
  error: string;
  readOnly?: boolean;
  required?: boolean;
  /** A new value; the caller clears its error. */
  onInput(value: string): void;
}

/** The room-name field of the create and settings dialogs, with its inline error. */
export function RoomNameField(props: RoomNameFieldProps) {
  const nameId = useId();
  const errorId = useId();
  return (
    <div class="field">
      <label class="field-label" for={nameId}>
        {props.label}
      </label>
      <input
        id={nameId}
        data-autofocus
        value={props.value}
        maxLength={80}
        required={props.required}
        readOnly={props.readOnly}
        aria-invalid={!!props.error}
        aria-describedby={props.error ? errorId : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.error && (
        <span id={errorId} class="field-error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}
