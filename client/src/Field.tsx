import { Show, type JSX } from 'solid-js';

export function Field(props: {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autocomplete?: JSX.InputHTMLAttributes<HTMLInputElement>['autocomplete'];
  value: string;
  onInput: (value: string) => void;
  error?: string;
  required?: boolean;
  minLength?: number;
}) {
  const errorId = () => `${props.id}-error`;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        required={props.required ?? true}
        minLength={props.minLength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? errorId() : undefined}
      />
      <Show when={props.error}>
        <p class="field-error" id={errorId()}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

export function FormError(props: { message?: string }) {
  return (
    <div class="form-error" role="alert" aria-live="assertive">
      <Show when={props.message}>{props.message}</Show>
    </div>
  );
}
