import type { TaskLogRow, TaskRow, TaskStepRow } from '../../db/types.ts';
import { NotFoundError } from '../errors.ts';
import { hasPrivilege } from '../services/auth.ts';
import * as tasks from '../services/tasks.ts';
import { cancelTask, mayCancel } from '../services/task-cancellation.ts';
import { builder, NO_MEMO } from './builder.ts';
import { filtered } from '../events/pubsub.ts';
import { idOf } from './errors.ts';
import { resolveKeysetConnection } from './keyset.ts';
import { HostRef } from './host.ts';
import { UserRef } from './user.ts';

const TaskStatusEnum = builder.enumType('TaskStatus', {
  values: {
    QUEUED: { value: 'queued' },
    RUNNING: { value: 'running' },
    SUCCEEDED: { value: 'succeeded', description: 'Done as asked; see warnings for what went other than asked (a forced power-off)' },
    FAILED: { value: 'failed' },
    CANCELLED: { value: 'cancelled', description: 'Cancelled (cancelTask, or a delete of its VM): it stopped before a step and what it made was rolled back' },
  } as const,
});

const StepStateEnum = builder.enumType('TaskStepState', {
  values: { PENDING: { value: 'pending' }, RUNNING: { value: 'running' }, DONE: { value: 'done' }, FAILED: { value: 'failed' }, SKIPPED: { value: 'skipped' } } as const,
});

const TaskStepRef = builder.objectRef<TaskStepRow>('TaskStep').implement({
  fields: (t) => ({
    position: t.exposeInt('position'),
    name: t.exposeString('name'),
    state: t.field({ type: StepStateEnum, resolve: (s) => s.state as 'pending' }),
    progress: t.exposeInt('progress', { description: '0 to 100' }),
    message: t.exposeString('message', { nullable: true }),
    startedAt: t.expose('started_at', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finished_at', { type: 'DateTime', nullable: true }),
  }),
});

const TaskLogLineRef = builder.objectRef<TaskLogRow>('TaskLogLine').implement({
  fields: (t) => ({ at: t.expose('at', { type: 'DateTime' }), line: t.exposeString('line'), warning: t.exposeBoolean('warning', { description: 'The line is one of the task\u2019s warnings' }) }),
});

type TaskWithOwner = TaskRow & { vm_owner_id?: string | null };

export const TaskRef = builder.loadableNode('Task', {
  loaderOptions: NO_MEMO,
  id: { resolve: (task: TaskWithOwner) => task.id },
  authScopes: { authenticated: true },
  load: async (ids: string[], ctx) => {
    const rows = await tasks.tasksByIds(ctx.db, ids);
    return ids.map((id) => {
      const task = rows.find((r) => r.id === id);
      return task && tasks.canSeeTask(ctx.viewer, task) ? task : new NotFoundError('The task');
    });
  },
  fields: (t) => ({
    operation: t.exposeString('operation', { description: 'vm.create, vm.start, vm.shutdown, …' }),
    status: t.field({ type: TaskStatusEnum, resolve: (task) => task.status as 'queued' }),
    error: t.exposeString('error', { nullable: true }),
    // Loaded by id, so a deleted VM (state DELETED) still shows in its task history.
    vm: t.field({ type: 'Vm' as never, nullable: true, resolve: (task: TaskWithOwner) => task.vm_id as never }),
    host: t.field({ type: HostRef, nullable: true, resolve: (task, _args, ctx) => (hasPrivilege(ctx.viewer, 'Host.View') ? task.host_id : null) }),
    user: t.field({ type: UserRef, nullable: true, description: 'Who asked', resolve: (task) => task.user_id }),
    requestId: t.exposeString('request_id', { nullable: true }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    startedAt: t.expose('started_at', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finished_at', { type: 'DateTime', nullable: true }),
    steps: t.loadableList({ loaderOptions: NO_MEMO, type: TaskStepRef, resolve: (task) => task.id, load: (ids: string[], ctx) => tasks.stepsOfTasks(ctx.db, ids) }),
    log: t.loadableList({ loaderOptions: NO_MEMO, type: TaskLogLineRef, description: 'Lines written by the operation and its hooks', resolve: (task) => task.id, load: (ids: string[], ctx) => tasks.logsOfTasks(ctx.db, ids) }),
    warnings: t.loadableList({
      loaderOptions: NO_MEMO,
      type: 'String',
      description: 'What went other than asked though the task did its work (a shutdown that ended in a forced power-off); empty for a plain success',
      resolve: (task) => task.id,
      load: async (ids: string[], ctx) => (await tasks.logsOfTasks(ctx.db, ids, true)).map((lines) => lines.map((l) => l.line)),
    }),
    cancelRequested: t.boolean({ description: 'cancelTask asked it to stop: it stops before its next step', resolve: (task) => task.cancel_requested_at !== null }),
    canCancel: t.boolean({
      description: 'Whether you may cancel it now (cancelTask): queued, or running an operation that can be undone (a deploy, an import), with the rights to ask for it',
      resolve: (task: TaskWithOwner, _args, ctx) => mayCancel(ctx.viewer, task),
    }),
  }),
});

// A task's parent and children (a host drain and the migrations it queued); after TaskRef, which they name.
builder.objectFields(TaskRef, (t) => ({
  parent: t.field({ type: TaskRef, nullable: true, description: 'The task that queued this one (a host drain)', resolve: (task) => (task.parent_task_id ?? null) as never }),
  children: t.field({
    type: [TaskRef],
    description: 'The tasks this one queued (a host drain: one migration per VM), oldest first; its steps follow them',
    resolve: async (task, _args, ctx) => (await tasks.childrenOfTasks(ctx.db, [task.id]))[0] as never,
  }),
}));

const TaskFilter = builder.inputType('TaskFilter', {
  fields: (t) => ({
    vmId: t.id(),
    hostId: t.id(),
    userId: t.id(),
    status: t.field({ type: TaskStatusEnum }),
    from: t.field({ type: 'DateTime' }),
    to: t.field({ type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  tasks: t.connection({
    type: TaskRef,
    description: 'Newest first; yours, or every task with VM.ViewAll or Host.View',
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: TaskFilter, required: false }) },
    resolve: (_root, args, ctx) => {
      const f = args.filter ?? {};
      const filter = {
        vmId: f.vmId ? idOf(String(f.vmId), 'Vm', 'filter.vmId') : null,
        hostId: f.hostId ? idOf(String(f.hostId), 'Host', 'filter.hostId') : null,
        userId: f.userId ? idOf(String(f.userId), 'User', 'filter.userId') : null,
        status: f.status,
        from: f.from,
        to: f.to,
      };
      return resolveKeysetConnection(args, tasks.TASK_ORDER, { defaultSize: 50, maxSize: 200 }, (page) => tasks.listTasks(ctx.db, ctx.viewer!, filter, page));
    },
  }),
}));

builder.subscriptionFields((t) => ({
  taskUpdated: t.field({
    type: TaskRef,
    description: 'The task each time its status, a step or its log changes',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, ctx) => {
      const taskId = idOf(String(id), 'Task');
      const [task] = await tasks.tasksByIds(ctx.db, [taskId]);
      if (!task || !tasks.canSeeTask(ctx.viewer, task)) throw new NotFoundError('The task');
      return ctx.pubsub.subscribe('task:updated', taskId);
    },
    resolve: (event) => event.id,
  }),
  tasksUpdated: t.field({
    type: TaskRef,
    description: 'Every task you may see (as in tasks), when it is created and each time its status, a step or its log changes',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => filtered(ctx.pubsub.subscribe('tasks:updated'), (event) => tasks.canSeeTaskOfEvent(ctx.db, ctx.viewer, event)),
    resolve: (event) => event.id,
  }),
}));

const CancelTaskPayload = builder.objectRef<{ taskId: string }>('CancelTaskPayload').implement({
  description: 'The task: CANCELLED when it was queued; still RUNNING with cancelRequested when it runs (it stops before its next step, then rolls back)',
  fields: (t) => ({ task: t.field({ type: TaskRef, resolve: (p) => p.taskId as never }) }),
});

builder.mutationFields((t) => ({
  cancelTask: t.field({
    type: CancelTaskPayload,
    errors: {},
    description: 'Cancels a queued task, or a running deploy or import (it stops between steps and rolls back); a power action that has started finishes. Needs the rights to ask for the task\u2019s operation on its VM (or image)',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const cancellation = await cancelTask(ctx, idOf(String(id), 'Task'));
      return { taskId: cancellation.task.id };
    },
  }),
}));
