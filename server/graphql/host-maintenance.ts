// setHostMaintenance: maintenance on or off, and a drain that moves the host's VMs away (a parent
// task with one migration per VM); Host.lastDrain for the host page to follow it live.
import { DRAIN_OPERATION, setHostMaintenance } from '../services/host-drain.ts';
import { hasPrivilege } from '../services/auth.ts';
import { builder } from './builder.ts';
import { idOf } from './errors.ts';
import { HostRef } from './host.ts';
import { TaskRef } from './task.ts';

const StoppedVmsEnum = builder.enumType('DrainStoppedVms', {
  values: {
    LEAVE: { value: 'leave', description: 'Stopped VMs stay on the host (their disks stay there)' },
    MOVE: { value: 'move', description: 'Stopped VMs move too (cold: disks copied, domain defined on the other host)' },
  } as const,
});

const SetHostMaintenanceInput = builder.inputType('SetHostMaintenanceInput', {
  fields: (t) => ({
    maintenance: t.boolean({ required: true, description: 'In maintenance no new VM is placed on the host' }),
    drain: t.boolean({ description: 'Also move the host\u2019s VMs to other hosts: running and paused ones live, each placed where there is most room; only with maintenance' }),
    stoppedVms: t.field({ type: StoppedVmsEnum, description: 'In a drain: what happens to stopped VMs (default LEAVE)' }),
    bandwidthMiBs: t.int({ description: 'In a drain: MiB/s each migration may use' }),
    maxDowntimeMs: t.int({ description: 'In a drain: the longest each guest may be paused at its switch-over' }),
    autoConverge: t.boolean({ description: 'In a drain: slow guests that dirty memory faster than it can be copied' }),
  }),
});

const SetHostMaintenancePayload = builder.objectRef<{ hostId: string; taskId: string | null }>('SetHostMaintenancePayload').implement({
  fields: (t) => ({
    host: t.field({ type: HostRef, resolve: (p) => p.hostId as never }),
    task: t.field({ type: TaskRef, nullable: true, description: 'The drain: one step per VM it moves (their own tasks are its children); null without a drain', resolve: (p) => p.taskId as never }),
  }),
});

builder.mutationFields((t) => ({
  setHostMaintenance: t.field({
    type: SetHostMaintenancePayload,
    errors: {},
    description: 'Puts the host in maintenance (no new VM is placed there) or takes it out; with drain, its VMs move to other hosts. A drain needs VM.Migrate and the right to act on each VM',
    authScopes: { privilege: 'Host.Manage' },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: SetHostMaintenanceInput, required: true }) },
    resolve: async (_root, { id, input }, ctx) => {
      const migration = { bandwidthMiBs: input.bandwidthMiBs ?? undefined, maxDowntimeMs: input.maxDowntimeMs ?? undefined, autoConverge: input.autoConverge ?? undefined };
      const result = await setHostMaintenance(ctx, idOf(String(id), 'Host'), { maintenance: input.maintenance, drain: input.drain ?? false, stoppedVms: input.stoppedVms ?? 'leave', migration });
      return { hostId: result.host.id, taskId: result.task?.id ?? null };
    },
  }),
}));

builder.objectField(HostRef, 'lastDrain', (t) =>
  t.field({
    type: TaskRef,
    nullable: true,
    description: 'The newest drain of this host (setHostMaintenance with drain), running or finished',
    resolve: async (host, _args, ctx) => {
      if (!hasPrivilege(ctx.viewer, 'Host.View')) return null;
      const row = await ctx.db.selectFrom('tasks').select('id').where('host_id', '=', host.id).where('operation', '=', DRAIN_OPERATION).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
      return (row?.id ?? null) as never;
    },
  }),
);
