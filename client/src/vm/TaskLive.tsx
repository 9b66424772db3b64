// A task's record kept true by taskUpdated while it has not finished, and lists of tasks kept true
// by tasksUpdated.
import { createMemo, createSignal, For, Show, untrack, type Accessor } from 'solid-js';
import type { TaskFieldsFragment } from '../gql/graphql.ts';
import { createLiveList, createQuery, createSubscription, newestFirst, type LiveList } from '../lib/live.ts';
import { graphql } from '../gql/index.ts';
import { TasksUpdatedDocument, TaskUpdatedDocument } from './documents.ts';
import { Badge, TaskSteps, taskTone } from '../components/ui.tsx';
import { ago, operationName } from '../lib/format.ts';
import { createNow } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';

const TaskDocument = graphql(`
  query Task($id: ID!) { node(id: $id) { ... on Task { ...TaskFields } } }
`);

export type Task = TaskFieldsFragment;

// Read when its card's log is opened (lists of tasks would cost too much with every line).
const TaskLogDocument = graphql(`
  query TaskLog($id: ID!) { node(id: $id) { ... on Task { id log { at line warning } } } }
`);

const CancelTaskDocument = graphql(`
  mutation CancelTask($id: ID!) { cancelTask(id: $id) { __typename ... on CancelTaskPayload { task { ...TaskFields } } ... on Error { message } } }
`);

export function isFinished(task: { status: string }): boolean {
  return task.status === 'SUCCEEDED' || task.status === 'FAILED' || task.status === 'CANCELLED';
}

/** A success with warnings (a shutdown that ended in a forced power-off) is shown as a warning, not a plain success. */
function outcomeOf(task: Task): { state: string; label?: string } {
  if (task.status === 'SUCCEEDED' && task.warnings.length) return { state: 'WARNING', label: 'Succeeded with a warning' };
  if (task.status === 'RUNNING' && task.cancelRequested) return { state: 'RUNNING', label: 'Cancelling' };
  return { state: task.status };
}

/**
 * Follows one task: starts from what the caller has, reads it again after reconnects, and takes
 * every update the server streams until it finishes.
 */
export function createLiveTask(initial: Task, onChange?: (task: Task) => void): Accessor<Task> {
  const [task, setTask] = createSignal<Task>(initial);
  const update = (next: Task) => {
    setTask(next);
    onChange?.(next);
  };
  const finished = createMemo(() => isFinished(task()));
  const fresh = createQuery(TaskDocument, () => (finished() ? false : { id: initial.id }));
  createSubscription(TaskUpdatedDocument, () => (isFinished(initial) ? false : { id: initial.id }), ({ taskUpdated }) => update(taskUpdated));
  // The first read (and any after a reconnect) may be newer than what the caller had.
  const read = () => {
    const node = fresh.data()?.node;
    return node && 'operation' in node ? (node as Task) : undefined;
  };
  return () => {
    const r = read();
    const t = task();
    if (r && r.id === t.id && statusRank(r) > statusRank(t)) return r;
    return t;
  };
}

function statusRank(t: Task): number {
  const done = t.steps.filter((s) => s.state === 'DONE' || s.state === 'SKIPPED' || s.state === 'FAILED').length;
  return (isFinished(t) ? 1000 : t.status === 'RUNNING' ? 500 : 0) + done * 10 + Math.max(0, ...t.steps.map((s) => (s.state === 'RUNNING' ? s.progress / 10 : 0)));
}

/**
 * Tasks as the query read them (newest first, `limit` of them), then as tasksUpdated streams them:
 * new ones appear, changed ones update in place, ones that stop matching leave.
 */
export function createLiveTasks(source: Accessor<readonly Task[] | undefined>, rules: { matches?: (task: Task) => boolean; limit: number }): LiveList<Task> {
  const list = createLiveList(source, { ...rules, order: newestFirst });
  createSubscription(TasksUpdatedDocument, () => ({}), ({ tasksUpdated }) => list.put(tasksUpdated));
  return list;
}

/**
 * A task as a card: operation, status, who and when, and its steps. `followed`: the caller keeps
 * the task current (a list from createLiveTasks), so the card opens no subscription of its own.
 */
export function TaskCard(props: { task: Task; onChange?: (task: Task) => void; open?: boolean; showVm?: boolean; followed?: boolean }) {
  const live = props.followed ? () => props.task : createLiveTask(props.task, props.onChange);
  const now = createNow(1000);
  const outcome = () => outcomeOf(live());
  const [cancelError, setCancelError] = createSignal<string | null>(null);
  const [cancelling, setCancelling] = createSignal(false);
  const [logOpen, setLogOpen] = createSignal(false);
  // Read again whenever the task changes while its log is open.
  const logQuery = createQuery(TaskLogDocument, () => {
    if (!logOpen()) return false;
    const task = live();
    return { id: task.id };
  });
  const log = () => {
    const node = logQuery.data()?.node;
    return node && 'log' in node ? node.log : [];
  };
  const cancel = async () => {
    setCancelling(true);
    setCancelError(null);
    try {
      const result = (await request(CancelTaskDocument, { id: live().id })).cancelTask;
      if ('message' in result) setCancelError(result.message);
    } catch (error) {
      setCancelError((error as Error).message);
    } finally {
      setCancelling(false);
    }
  };
  return (
    <details class="task" open={untrack(() => props.open ?? !isFinished(props.task))} data-task-status={live().status} data-outcome={outcome().state} data-operation={live().operation}>
      <summary>
        <span class="task-title">
          {operationName(live().operation)}
          <Show when={props.showVm && live().vm}> · {live().vm!.name}</Show>
        </span>
        <Badge state={outcome().state} label={outcome().label} busy={taskTone(live().status) === 'busy'} />
        <span class="muted small">
          {ago(live().createdAt, now())}
          <Show when={live().user}> by {live().user!.name}</Show>
        </span>
      </summary>
      <Show when={live().canCancel}>
        <div class="actions">
          <button type="button" class="secondary small" disabled={cancelling()} onClick={() => void cancel()}>
            Cancel {live().status === 'QUEUED' ? 'task' : operationName(live().operation).toLowerCase()}
          </button>
        </div>
      </Show>
      <Show when={cancelError()}>
        <p class="field-error" role="alert">
          {cancelError()}
        </p>
      </Show>
      <Show when={live().warnings.length}>
        <ul class="task-warnings" aria-label="Warnings">
          <For each={live().warnings}>{(warning) => <li role="status">⚠ {warning}</li>}</For>
        </ul>
      </Show>
      <TaskSteps steps={live().steps} now={now()} />
      <Show when={live().error}>
        <p class={live().status === 'CANCELLED' ? 'hint' : 'field-error'} role="alert">
          {live().error}
        </p>
      </Show>
      <details class="task-log" onToggle={(e) => setLogOpen(e.currentTarget.open)}>
        <summary class="small">Log</summary>
        <Show when={logOpen()}>
          <Show when={log().length} fallback={<p class="muted small">{logQuery.loading() ? 'Reading the log…' : 'No lines.'}</p>}>
            <ol aria-label="Log">
              <For each={log()}>
                {(entry) => (
                  <li class={entry.warning ? 'warning' : ''} data-warning={entry.warning ? 'true' : undefined}>
                    <time class="muted small" datetime={entry.at}>
                      {new Date(entry.at).toLocaleTimeString()}
                    </time>{' '}
                    {entry.line}
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </Show>
      </details>
      <Show when={live().requestId}>
        <p class="muted small">
          Request id <code>{live().requestId}</code>
        </p>
      </Show>
    </details>
  );
}
