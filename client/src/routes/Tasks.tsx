import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { TaskStatus } from '../gql/graphql.ts';
import { createQuery } from '../lib/live.ts';
import { Alert, Listing, PageHeader } from '../components/ui.tsx';
import { Options } from '../components/Field.tsx';
import { createLiveTasks, TaskCard } from '../vm/TaskLive.tsx';

const STATUSES: [TaskStatus | '', string][] = [['', 'Any'], ['QUEUED', 'Queued'], ['RUNNING', 'Running'], ['SUCCEEDED', 'Succeeded'], ['FAILED', 'Failed'], ['CANCELLED', 'Cancelled']];

/** As many as the query reads. */
const PAGE = 15;

const TasksDocument = graphql(`
  query Tasks($filter: TaskFilter) { tasks(filter: $filter, first: 15) { edges { node { ...TaskFields } } } }
`);

export default function Tasks() {
  const [status, setStatus] = createSignal<TaskStatus | ''>('');
  const query = createQuery(TasksDocument, () => ({ filter: { status: status() || undefined } }));
  const tasks = createLiveTasks(() => query.data()?.tasks.edges.map((e) => e.node), { limit: PAGE, matches: (task) => !status() || task.status === status() });
  return (
    <section>
      <PageHeader title="Tasks" />
      <div class="toolbar">
        <div class="field inline">
          <label for="task-status">Status</label>
          <select id="task-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as TaskStatus | '')}>
            <Options choices={STATUSES} />
          </select>
        </div>
      </div>
      <Alert message={query.error()} />
      <Listing loaded={query.data()} what="tasks" count={tasks.items.length} empty="No tasks.">
        <For each={tasks.items}>{(task) => <TaskCard task={task} showVm open={false} followed />}</For>
      </Listing>
    </section>
  );
}
