import { createEffect, createSignal, For, onCleanup, Show, type JSX } from 'solid-js';
import { A } from '@solidjs/router';
import type { TaskStatus, TaskStepState, VmState } from '../gql/graphql.ts';
import { duration } from '../lib/format.ts';
import { errorText } from '../lib/graphql.ts';

export function PageHeader(props: { title: string; children?: JSX.Element; back?: { href: string; label: string } }) {
  return (
    <header class="page-header">
      <div>
        <Show when={props.back}>
          {(b) => (
            <A class="back" href={b().href}>
              ← {b().label}
            </A>
          )}
        </Show>
        <h1>{props.title}</h1>
      </div>
      <Show when={props.children}>
        <div class="actions">{props.children}</div>
      </Show>
    </header>
  );
}

const VM_STATE_LABEL: Record<VmState, string> = {
  RUNNING: 'Running',
  STOPPED: 'Stopped',
  STARTING: 'Starting',
  REBOOTING: 'Rebooting',
  MIGRATING: 'Migrating',
  STOPPING: 'Stopping',
  CREATING: 'Creating',
  PAUSED: 'Paused',
  CRASHED: 'Crashed',
  ERROR: 'Error',
  DELETING: 'Deleting',
  DELETED: 'Deleted',
  UNKNOWN: 'Unknown',
};

const TONE: Record<string, string> = {
  RUNNING: 'ok',
  ONLINE: 'ok',
  SUCCEEDED: 'ok',
  DONE: 'ok',
  READY: 'ok',
  OK: 'ok',
  STOPPED: 'idle',
  PENDING: 'idle',
  SKIPPED: 'idle',
  QUEUED: 'idle',
  CREATING: 'busy',
  STARTING: 'busy',
  REBOOTING: 'busy',
  MIGRATING: 'busy',
  STOPPING: 'busy',
  CANCELLED: 'idle',
  /** A task that did its work, not the way it was asked (Task.warnings). */
  WARNING: 'warn',
  DELETING: 'busy',
  RUNNING_STEP: 'busy',
  UPLOADING: 'busy',
  MAINTENANCE: 'warn',
  PAUSED: 'warn',
  UNKNOWN: 'warn',
  REFUSED: 'warn',
  CRASHED: 'bad',
  ERROR: 'bad',
  FAILED: 'bad',
  OFFLINE: 'bad',
  DELETED: 'idle',
};

export function vmStateLabel(state: VmState): string {
  return VM_STATE_LABEL[state] ?? state;
}

/** A state in words with a colour; the colour is never the only signal. */
export function Badge(props: { state: string; label?: string; busy?: boolean }) {
  const tone = () => (props.busy ? 'busy' : (TONE[props.state] ?? 'idle'));
  const label = () => props.label ?? (VM_STATE_LABEL[props.state as VmState] ?? props.state.charAt(0) + props.state.slice(1).toLowerCase());
  return (
    <span class={`badge ${tone()}`} data-state={props.state}>
      {label()}
    </span>
  );
}

export function ProgressBar(props: { value: number; max?: number; label: string; tone?: string }) {
  const pct = () => Math.max(0, Math.min(100, (props.value / (props.max ?? 100)) * 100));
  return (
    <div class={`progress ${props.tone ?? ''}`} role="progressbar" aria-label={props.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct())}>
      <div class="progress-fill" style={{ width: `${pct()}%` }} />
    </div>
  );
}

/** Used of total, with the words beside it; over 100 % (overcommit) shows as a warning. */
/** `unit` follows the total ("1 of 8 vCPUs"); `note` says how the total is reached ("2 CPUs × 4 overcommit"). */
export function CapacityBar(props: { label: string; used: number; total: number; format: (v: number) => string; unit?: string; note?: string }) {
  const ratio = () => (props.total > 0 ? props.used / props.total : 0);
  return (
    <div class="capacity">
      <div class="capacity-label">
        <span>{props.label}</span>
        <span class="muted">
          {props.format(props.used)} of {props.format(props.total)}
          {props.unit ? ` ${props.unit}` : ''}
          {props.note ? ` (${props.note})` : ''} · {Math.round(ratio() * 100)} %
        </span>
      </div>
      <ProgressBar value={ratio() * 100} label={`${props.label} allocated`} tone={ratio() > 1 ? 'bad' : ratio() > 0.85 ? 'warn' : ''} />
    </div>
  );
}

export interface StepView {
  name: string;
  state: TaskStepState;
  progress: number;
  message?: string | null;
  position: number;
  startedAt?: string | null;
  finishedAt?: string | null;
}

const STEP_MARK: Record<TaskStepState, string> = { DONE: '✓', FAILED: '✗', PENDING: '○', RUNNING: '◐', SKIPPED: '–' };

/** A task's ordered steps, each with its state, progress and message, as they advance. */
export function TaskSteps(props: { steps: StepView[]; now?: number }) {
  const ordered = () => [...props.steps].sort((a, b) => a.position - b.position);
  return (
    <ol class="steps" aria-label="Steps">
      <For each={ordered()}>
        {(step) => (
          <li class={`step ${step.state.toLowerCase()}`} data-step-state={step.state}>
            <span class="step-mark" aria-hidden="true">
              {STEP_MARK[step.state]}
            </span>
            <div class="step-body">
              <div class="step-head">
                <span class="step-name">{step.name}</span>
                <span class="muted step-state">
                  {step.state === 'RUNNING' ? (step.progress > 0 ? `${step.progress} %` : 'running') : step.state.toLowerCase()}
                  <Show when={step.startedAt}> · {duration(step.startedAt, step.finishedAt, props.now)}</Show>
                </span>
              </div>
              {/* A step that reports no share of its work (waiting for a guest to boot) shows its time, not an empty bar. */}
              <Show when={step.state === 'RUNNING' && step.progress > 0}>
                <ProgressBar value={step.progress} label={`${step.name} progress`} />
              </Show>
              <Show when={step.message}>
                <p class={step.state === 'FAILED' ? 'field-error' : 'hint'}>{step.message}</p>
              </Show>
            </div>
          </li>
        )}
      </For>
    </ol>
  );
}

export function taskTone(status: TaskStatus): string {
  return status === 'RUNNING' ? 'busy' : (TONE[status] ?? 'idle');
}

/**
 * A modal dialog (the native <dialog>: focus is trapped and Escape closes it). Open while mounted.
 */
export function Dialog(props: { title: string; onClose: () => void; children: JSX.Element; wide?: boolean }) {
  let ref!: HTMLDialogElement;
  createEffect(() => {
    if (!ref.open) ref.showModal();
  });
  onCleanup(() => ref?.open && ref.close());
  return (
    <dialog
      ref={ref}
      class={props.wide ? 'wide' : undefined}
      aria-labelledby="dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id="dialog-title">{props.title}</h2>
        <button type="button" class="icon ghost" aria-label="Close" onClick={() => props.onClose()}>
          ✕
        </button>
      </div>
      {props.children}
    </dialog>
  );
}

export function Empty(props: { children: JSX.Element }) {
  return <p class="empty muted">{props.children}</p>;
}

export function Loading(props: { what?: string }) {
  return (
    <p class="muted" role="status">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}

/** A line shown only while there is something to say. */
function Line(props: { class: string; role: 'alert' | 'status'; message?: string | false | null }) {
  return (
    <Show when={props.message}>
      <p class={props.class} role={props.role}>
        {props.message}
      </p>
    </Show>
  );
}

/** An error line shown only while there is one (a failed load or row action). */
export const Alert = (props: { message?: string | false | null }) => <Line class="form-error" role="alert" message={props.message} />;

/** A status line shown only while there is one. */
export const Notice = (props: { message?: string }) => <Line class="notice" role="status" message={props.message} />;

/** A table of rows: one header cell per column (and a hidden "Actions" one), one row per item. */
export function Table<T>(props: { label?: string; columns: string[]; actions?: boolean; each: readonly T[]; children: (item: T) => JSX.Element }) {
  return (
    <table class="table" aria-label={props.label}>
      <thead>
        <tr>
          <For each={props.columns}>{(column) => <th>{column}</th>}</For>
          <Show when={props.actions}>
            <th>
              <span class="sr-only">Actions</span>
            </th>
          </Show>
        </tr>
      </thead>
      <tbody>
        <For each={props.each}>{(item) => props.children(item)}</For>
      </tbody>
    </table>
  );
}

/** A list that loads: "Loading <what>…" until loaded, then `empty` while it has no items, else the children. */
export function Listing(props: { loaded: unknown; what: string; count: number; empty: JSX.Element; children: JSX.Element }) {
  return (
    <Show when={props.loaded} fallback={<Loading what={props.what} />}>
      <Show when={props.count} fallback={<Empty>{props.empty}</Empty>}>
        {props.children}
      </Show>
    </Show>
  );
}

/** A Table inside a Listing: loading, then `empty` or the rows. */
export function ListTable<T>(props: Parameters<typeof Table<T>>[0] & { loaded: unknown; what: string; empty: JSX.Element }) {
  return (
    <Listing loaded={props.loaded} what={props.what} count={props.each.length} empty={props.empty}>
      <Table label={props.label} columns={props.columns} actions={props.actions} each={props.each}>
        {props.children}
      </Table>
    </Listing>
  );
}

/** A card's buttons, shown only to those allowed to use them. */
export function CardActions(props: { when: boolean; children: JSX.Element }) {
  return (
    <Show when={props.when}>
      <div class="actions">{props.children}</div>
    </Show>
  );
}

/** A dialog's buttons: Cancel, then the dialog's own. */
export function DialogActions(props: { onCancel: () => void; children: JSX.Element }) {
  return (
    <div class="dialog-actions">
      <button type="button" class="secondary" onClick={() => props.onCancel()}>
        Cancel
      </button>
      {props.children}
    </div>
  );
}

/** A "load more" button under a list, with its own error line. */
export function LoadMore(props: { when: boolean | undefined; label: string; load: () => Promise<unknown> }) {
  const [error, setError] = createSignal<string>();
  const load = async () => {
    setError(undefined);
    try {
      await props.load();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <>
      <Show when={props.when}>
        <button type="button" class="secondary" onClick={() => void load()}>
          {props.label}
        </button>
      </Show>
      <Show when={error()}>
        <p class="form-error">{error()}</p>
      </Show>
    </>
  );
}
