import { Show, splitProps, type JSX } from 'solid-js';

interface FieldShell {
  id: string;
  label: string;
  hint?: string;
  error?: string;
}

function Shell(props: FieldShell & { children: JSX.Element }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.children}
      <Show when={props.hint && !props.error}>
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
      <Show when={props.error}>
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      </Show>
    </div>
  );
}

function described(props: FieldShell): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  if (props.error) return { 'aria-invalid': 'true', 'aria-describedby': `${props.id}-error` };
  if (props.hint) return { 'aria-describedby': `${props.id}-hint` };
  return {};
}

export function Field(
  props: FieldShell & {
    type?: 'text' | 'email' | 'password' | 'number' | 'url' | 'search' | 'datetime-local';
    autocomplete?: JSX.InputHTMLAttributes<HTMLInputElement>['autocomplete'];
    value: string | number;
    onInput: (value: string) => void;
    required?: boolean;
    minLength?: number;
    min?: number;
    max?: number;
    placeholder?: string;
  },
) {
  return (
    <Shell id={props.id} label={props.label} hint={props.hint} error={props.error}>
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? 'text'}
        autocomplete={props.autocomplete}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        required={props.required ?? false}
        minLength={props.minLength}
        min={props.min}
        max={props.max}
        placeholder={props.placeholder}
        {...described(props)}
      />
    </Shell>
  );
}

export function TextArea(props: FieldShell & { value: string; onInput: (value: string) => void; rows?: number; placeholder?: string; mono?: boolean }) {
  return (
    <Shell id={props.id} label={props.label} hint={props.hint} error={props.error}>
      <textarea
        id={props.id}
        name={props.id}
        rows={props.rows ?? 3}
        value={props.value}
        class={props.mono ? 'mono' : undefined}
        placeholder={props.placeholder}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        {...described(props)}
      />
    </Shell>
  );
}

export function Select(props: FieldShell & { value: string; onChange: (value: string) => void; children: JSX.Element; disabled?: boolean }) {
  const [local] = splitProps(props, ['children']);
  return (
    <Shell id={props.id} label={props.label} hint={props.hint} error={props.error}>
      <select id={props.id} name={props.id} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.currentTarget.value)} {...described(props)}>
        {local.children}
      </select>
    </Shell>
  );
}

export function Checkbox(props: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void; hint?: string }) {
  return (
    <div class="checkbox">
      <input id={props.id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <label for={props.id}>{props.label}</label>
      <Show when={props.hint}>
        <span class="hint">{props.hint}</span>
      </Show>
    </div>
  );
}

/** The form's own line for errors not tied to a field; announced when it changes. */
export function FormError(props: { message?: string; id?: string }) {
  return (
    <div class="form-error" role="alert" aria-live="assertive" id={props.id}>
      <Show when={props.message}>{props.message}</Show>
    </div>
  );
}
