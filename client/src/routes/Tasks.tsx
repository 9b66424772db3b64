import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { TaskStatus } from '../gql/graphql.ts';
import { createQuery, createSubscription, debounce } from '../lib/live.ts';
import { Empty, Loading, PageHeader } from '../components/ui.tsx';
import { TaskCard } from '../vm/TaskLive.tsx';

const TasksDocument = graphql(`
  query Tasks($filter: TaskFilter) { tasks(filter: $filter, first: 15) { edges { node { ...TaskFields } } } }
`);
const TasksVmDocument = graphql(`
  subscription TasksVm { vmsUpdated { id } }
`);

export default function Tasks() {
  const [status, setStatus] = createSignal<TaskStatus | ''>('');
  const query = createQuery(TasksDocument, () => ({ filter: { status: status() || undefined } }));
  // New tasks come with VM changes (there is no subscription for the task list itself).
  const refresh = debounce(() => void query.refetch(), 500);
  createSubscription(TasksVmDocument, () => ({}), refresh);
  return (
    <section>
      <PageHeader title="Tasks" />
      <div class="toolbar">
        <div class="field inline">
          <label for="task-status">Status</label>
          <select id="task-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as TaskStatus | '')}>
            <option value="">Any</option>
            <option value="QUEUED">Queued</option>
            <option value="RUNNING">Running</option>
            <option value="SUCCEEDED">Succeeded</option>
            <option value="FAILED">Failed</option>
          </select>
        </div>
      </div>
      <Show when={query.error()}>
        <p class="form-error" role="alert">
          {query.error()}
        </p>
      </Show>
      <Show when={query.data()} fallback={<Loading what="tasks" />}>
        <Show when={query.data()!.tasks.edges.length} fallback={<Empty>No tasks.</Empty>}>
          <For each={query.data()!.tasks.edges}>{(e) => <TaskCard task={e.node} showVm open={false} />}</For>
        </Show>
      </Show>
    </section>
  );
}
