import { For, Show, splitProps, type JSX } from 'solid-js';
import { Dialog, DialogActions } from './ui.tsx';

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

/** A form's submit handler: the page stays, `run` sends the request. */
function submitted(run: () => void) {
  return (e: SubmitEvent) => {
    e.preventDefault();
    run();
  };
}

/** A dialog's form: its fields, the form's error line, then Cancel and the submit button. */
export function DialogForm(props: {
  onSubmit: () => void;
  onCancel: () => void;
  error?: string;
  submit: JSX.Element;
  disabled?: boolean;
  danger?: boolean;
  children: JSX.Element;
}) {
  return (
    <form
      class="stack"
      onSubmit={submitted(() => props.onSubmit())}
      novalidate
    >
      {props.children}
      <FormError message={props.error} />
      <DialogActions onCancel={props.onCancel}>
        <button type="submit" class={props.danger ? 'danger' : undefined} disabled={props.disabled}>
          {props.submit}
        </button>
      </DialogActions>
    </form>
  );
}

/** A dialog that is one form (see DialogForm); Cancel closes it. */
export function FormDialog(props: Omit<Parameters<typeof DialogForm>[0], 'onCancel'> & { title: string; onClose: () => void; wide?: boolean }) {
  const [dialog, form] = splitProps(props, ['title', 'onClose', 'wide']);
  return (
    <Dialog title={dialog.title} onClose={dialog.onClose} wide={dialog.wide}>
      <DialogForm {...form} onCancel={dialog.onClose} />
    </Dialog>
  );
}

/** A set of checkboxes, one per item, choosing a subset of their values. */
export function CheckboxSet<T, V extends string>(props: {
  legend: string;
  items: readonly T[];
  id: (item: T) => string;
  value: (item: T) => V;
  label: (item: T) => string;
  hint?: (item: T) => string;
  chosen: Set<V>;
  onChange: (chosen: Set<V>) => void;
  before?: JSX.Element;
  error?: string;
  children?: JSX.Element;
}) {
  const toggle = (value: V, on: boolean) => {
    const next = new Set(props.chosen);
    if (on) next.add(value);
    else next.delete(value);
    props.onChange(next);
  };
  return (
    <fieldset>
      <legend>{props.legend}</legend>
      {props.before}
      <For each={props.items}>
        {(item) => <Checkbox id={props.id(item)} label={props.label(item)} hint={props.hint?.(item)} checked={props.chosen.has(props.value(item))} onChange={(on) => toggle(props.value(item), on)} />}
      </For>
      {props.children}
      <Show when={props.error}>
        <p class="field-error">{props.error}</p>
      </Show>
    </fieldset>
  );
}

/** A list's search box, in the toolbar above it. */
export function SearchField(props: { id: string; placeholder: string; value: string; onInput: (value: string) => void }) {
  return (
    <div class="toolbar" role="search">
      <div class="field inline">
        <label for={props.id}>Search</label>
        <input id={props.id} type="search" placeholder={props.placeholder} value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} />
      </div>
    </div>
  );
}

/** A form on a card of its own (signing in, creating the first administrator). */
export function CardForm(props: { name: string; heading: string; onSubmit: () => void; error?: string; busy: boolean; submit: string; children: JSX.Element }) {
  return (
    <form
      class="card narrow"
      onSubmit={submitted(() => props.onSubmit())}
      aria-labelledby={`${props.name}-heading`}
      novalidate
    >
      <h1 id={`${props.name}-heading`}>{props.heading}</h1>
      {props.children}
      <FormError message={props.error} />
      <button type="submit" disabled={props.busy}>
        {props.submit}
      </button>
    </form>
  );
}

/** A select's options from [value, label] pairs. */
export function Options(props: { choices: [value: string, label: string][] }) {
  return <For each={props.choices}>{([value, label]) => <option value={value}>{label}</option>}</For>;
}
