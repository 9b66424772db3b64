import { resolveOffsetConnection } from '@pothos/plugin-relay';
import type { VmRow } from '../../db/types.ts';
import { NoCapacityError, NotFoundError, QuotaExceededError } from '../errors.ts';
import { hasPrivilege } from '../services/auth.ts';
import * as vms from '../services/vms.ts';
import { builder, NO_MEMO } from './builder.ts';
import type { Context } from './context.ts';
import { idOf } from './errors.ts';
import { HostRef } from './host.ts';
import { TaskRef } from './task.ts';
import { UserRef } from './user.ts';

export const VmStateEnum = builder.enumType('VmState', {
  values: {
    CREATING: { value: 'creating', description: 'Being made on its host' },
    RUNNING: { value: 'running' },
    STOPPED: { value: 'stopped' },
    PAUSED: { value: 'paused', description: 'Suspended in memory' },
    STOPPING: { value: 'stopping', description: 'The guest is shutting down' },
    CRASHED: { value: 'crashed' },
    ERROR: { value: 'error', description: 'See stateMessage; the VM can be deleted or its operation retried' },
    UNKNOWN: { value: 'unknown', description: 'Its host does not answer' },
    DELETING: { value: 'deleting' },
    DELETED: { value: 'deleted' },
  } as const,
});

export const VmRef = builder.loadableNode('Vm', {
  loaderOptions: NO_MEMO,
  id: { resolve: (vm: VmRow) => vm.id },
  authScopes: { authenticated: true },
  load: async (ids: string[], ctx) => {
    const rows = await vms.vmsByIds(ctx.db, ids);
    return ids.map((id) => {
      const vm = rows.find((r) => r.id === id);
      return vm && vms.canSeeVm(ctx.viewer, vm) ? vm : new NotFoundError('The VM');
    });
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    state: t.field({ type: VmStateEnum, resolve: (vm) => vm.state as 'running' }),
    stateMessage: t.exposeString('state_message', { nullable: true, description: 'Why the VM is in its state' }),
    vcpus: t.exposeInt('vcpus'),
    memoryMb: t.exposeInt('memory_mb'),
    diskGb: t.exposeInt('disk_gb'),
    isoPath: t.exposeString('iso_path', { nullable: true }),
    owner: t.field({ type: UserRef, nullable: true, resolve: (vm) => vm.owner_id }),
    host: t.field({
      type: HostRef,
      nullable: true,
      description: 'Where the VM runs; null for callers without Host.View',
      resolve: (vm, _args, ctx) => (hasPrivilege(ctx.viewer, 'Host.View') ? vm.host_id : null),
    }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

const VmFilter = builder.inputType('VmFilter', {
  fields: (t) => ({
    search: t.string({ validate: { maxLength: 100 } }),
    state: t.field({ type: VmStateEnum }),
    hostId: t.id(),
    ownerId: t.id(),
  }),
});

builder.queryFields((t) => ({
  vms: t.connection({
    type: VmRef,
    description: 'Your VMs, or every VM with VM.ViewAll',
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: VmFilter, required: false }) },
    resolve: (_root, args, ctx) => {
      const f = args.filter ?? {};
      const filter = {
        search: f.search,
        state: f.state,
        hostId: f.hostId ? idOf(String(f.hostId), 'Host', 'filter.hostId') : null,
        ownerId: f.ownerId ? idOf(String(f.ownerId), 'User', 'filter.ownerId') : null,
      };
      return resolveOffsetConnection({ args, defaultSize: 50, maxSize: 200 }, ({ limit, offset }) => vms.listVms(ctx.db, ctx.viewer!, filter, { limit, offset }));
    },
  }),
}));

const VmTaskPayload = builder.objectRef<vms.VmWithTask>('VmTaskPayload').implement({
  description: 'The VM and the task that carries the operation out (follow it with taskUpdated)',
  fields: (t) => ({
    vm: t.field({ type: VmRef, resolve: (p) => p.vm }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
  }),
});

const CreateVmInput = builder.inputType('CreateVmInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: { maxLength: 200 } }),
    description: t.string({ validate: { maxLength: 2000 } }),
    vcpus: t.int({ required: true }),
    memoryMb: t.int({ required: true }),
    diskGb: t.int({ required: true }),
    hostId: t.id({ description: 'Place the VM on this host (Host.Manage); absent: the scheduler picks one' }),
    isoPath: t.string({ description: 'Boot this ISO, a file on the host (Host.Manage)', validate: { maxLength: 1024 } }),
    start: t.boolean({ description: 'Start it once made (default true)' }),
  }),
});

const requestOf = (ctx: Context) => ({ requestId: ctx.requestId });

builder.mutationFields((t) => ({
  createVm: t.field({
    type: VmTaskPayload,
    errors: { types: [QuotaExceededError, NoCapacityError] },
    description: 'Creates a VM with a blank disk of the given size; the task makes it on its host',
    authScopes: { privilege: 'VM.Create' },
    args: { input: t.arg({ type: CreateVmInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const result = await vms.createVm(
        ctx.db,
        ctx.boss,
        ctx.config.hostConcurrency,
        ctx.viewer!,
        {
          name: input.name,
          description: input.description ?? undefined,
          vcpus: input.vcpus,
          memoryMb: input.memoryMb,
          diskGb: input.diskGb,
          hostId: input.hostId ? idOf(String(input.hostId), 'Host', 'hostId') : null,
          isoPath: input.isoPath,
          start: input.start ?? undefined,
        },
        requestOf(ctx),
      );
      vms.publishVm(ctx.pubsub, result.vm);
      return result;
    },
  }),
}));

// Power actions share one shape: an id in, the VM and its queued task out.
const POWER_MUTATIONS: Array<[string, vms.PowerAction, string]> = [
  ['startVm', 'vm.start', 'Starts the VM'],
  ['stopVm', 'vm.stop', 'Powers the VM off at once, like pulling the plug'],
  ['rebootVm', 'vm.reboot', 'Asks the guest to reboot'],
  ['resetVm', 'vm.reset', 'Resets the VM at once, like the reset button'],
  ['suspendVm', 'vm.suspend', 'Pauses the VM in memory'],
  ['resumeVm', 'vm.resume', 'Resumes a paused VM'],
];

builder.mutationFields((t) =>
  Object.fromEntries(
    POWER_MUTATIONS.map(([field, action, description]) => [
      field,
      t.field({
        type: VmTaskPayload,
        errors: {},
        description,
        authScopes: { privilege: 'VM.PowerMgmt' },
        args: { id: t.arg.id({ required: true }) },
        resolve: (_root, { id }, ctx) => vms.queueVmAction(ctx.db, ctx.boss, ctx.viewer!, idOf(String(id), 'Vm'), action, requestOf(ctx)),
      }),
    ]),
  ),
);

builder.mutationFields((t) => ({
  shutdownVm: t.field({
    type: VmTaskPayload,
    errors: {},
    description: 'Asks the guest to shut down (ACPI); powers it off when it has not within the timeout',
    authScopes: { privilege: 'VM.PowerMgmt' },
    args: {
      id: t.arg.id({ required: true }),
      timeoutSeconds: t.arg.int({ description: 'Default HANGAR_VM_SHUTDOWN_TIMEOUT_SECONDS', validate: { min: 1, max: 3600 } }),
    },
    resolve: (_root, { id, timeoutSeconds }, ctx) =>
      vms.queueVmAction(ctx.db, ctx.boss, ctx.viewer!, idOf(String(id), 'Vm'), 'vm.shutdown', requestOf(ctx), timeoutSeconds ? { timeoutSeconds } : {}),
  }),
  deleteVm: t.field({
    type: VmTaskPayload,
    errors: {},
    description: 'Powers the VM off and removes its domain and every volume',
    authScopes: { privilege: 'VM.Delete' },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const result = await vms.queueVmAction(ctx.db, ctx.boss, ctx.viewer!, idOf(String(id), 'Vm'), 'vm.delete', requestOf(ctx));
      vms.publishVm(ctx.pubsub, result.vm);
      return result;
    },
  }),
}));

builder.subscriptionFields((t) => ({
  vmUpdated: t.field({
    type: VmRef,
    description: 'The VM each time its state or settings change (state DELETED at the end)',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, ctx) => {
      const vmId = idOf(String(id), 'Vm');
      const [vm] = await vms.vmsByIds(ctx.db, [vmId]);
      if (!vm || !vms.canSeeVm(ctx.viewer, vm)) throw new NotFoundError('The VM');
      return ctx.pubsub.subscribe('vm:updated', vmId);
    },
    resolve: (event) => event.id,
  }),
  vmsUpdated: t.field({
    type: VmRef,
    description: 'Every VM you may see, each time one changes',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => filtered(ctx.pubsub.subscribe('vms:updated'), (event) => event.ownerId === ctx.viewer?.userId || hasPrivilege(ctx.viewer, 'VM.ViewAll')),
    resolve: (event) => event.id,
  }),
}));

/** Passes on only the events the predicate accepts (checked per event: rights can change). */
export async function* filtered<T>(source: AsyncIterable<T>, accept: (event: T) => boolean): AsyncGenerator<T> {
  for await (const event of source) if (accept(event)) yield event;
}
