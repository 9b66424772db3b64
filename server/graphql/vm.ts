import { z } from 'zod';
import type { GuestConfig, VmRow } from '../../db/types.ts';
import { NoCapacityError, NotFoundError, QuotaExceededError } from '../errors.ts';
import { filtered } from '../events/pubsub.ts';
import { addressesOfVms } from '../services/ip-pools.ts';
import { hasPrivilege } from '../services/auth.ts';
import * as vms from '../services/vms.ts';
import { updateVmDetails } from '../services/vm-details.ts';
import { transferVm, type VmTransfer } from '../services/vm-transfer.ts';
import { actionsOfVms, type VmActionStatus } from '../services/vm-actions.ts';
import { currentAddresses, nicsOfVms, type VmNic } from '../services/vm-network.ts';
import { OPERATIONS, POWER_OPERATIONS, VM_ACTIONS, type OperationName } from '../operations/registry.ts';
import { builder, NO_MEMO } from './builder.ts';
import { idOf } from './errors.ts';
import { resolveKeysetConnection } from './keyset.ts';
import { HostRef, NetworkKindEnum } from './host.ts';
import { ImageRef } from './image.ts';
import { TaskRef } from './task.ts';
import { UserRef } from './user.ts';

export const VmStateEnum = builder.enumType('VmState', {
  values: {
    CREATING: { value: 'creating', description: 'Being made on its host' },
    STARTING: { value: 'starting', description: 'A start is queued or running' },
    RUNNING: { value: 'running' },
    REBOOTING: { value: 'rebooting', description: 'A reboot or reset is queued or running' },
    STOPPED: { value: 'stopped' },
    PAUSED: { value: 'paused', description: 'Suspended in memory' },
    STOPPING: { value: 'stopping', description: 'The guest is shutting down, or a shutdown or power-off is queued' },
    CRASHED: { value: 'crashed' },
    ERROR: { value: 'error', description: 'See stateMessage; the VM can be deleted or its operation retried' },
    UNKNOWN: { value: 'unknown', description: 'Its host does not answer' },
    MIGRATING: { value: 'migrating', description: 'Moving to another host (a migration is queued or running)' },
    DELETING: { value: 'deleting', description: 'A delete is queued or running' },
    DELETED: { value: 'deleted' },
  } as const,
});

const VmActionName = builder.enumType('VmActionName', {
  description: 'What can be done to a VM (one per operation, see Vm.actions)',
  values: Object.fromEntries(VM_ACTIONS.map((o) => [o.action.action, { value: o.action.action, description: o.action.description }])),
});

const VmActionRef = builder.objectRef<VmActionStatus>('VmAction').implement({
  description: 'An action on a VM, and whether the viewer may take it now',
  fields: (t) => ({
    action: t.field({ type: VmActionName, resolve: (a) => a.action }),
    label: t.exposeString('label', { description: 'What the web client calls it' }),
    allowed: t.exposeBoolean('allowed'),
    reason: t.exposeString('reason', { nullable: true, description: 'Why not, when not allowed' }),
  }),
});

/** The scalar arguments of an operation's parameters (a z.object of numbers, strings and booleans), for its mutation. */
function scalarArgsOf(params: unknown): Array<{ name: string; type: 'Int' | 'Float' | 'String' | 'Boolean'; required: boolean; description?: string }> {
  const shape = (params as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return Object.entries(shape).map(([name, field]) => {
    const description = field.description;
    let inner: z.ZodType = field;
    let required = true;
    while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
      required = false;
      inner = inner.unwrap() as z.ZodType;
    }
    if (inner instanceof z.ZodNumber) return { name, type: inner.isInt ? 'Int' : 'Float', required, description };
    if (inner instanceof z.ZodString) return { name, type: 'String', required, description };
    if (inner instanceof z.ZodBoolean) return { name, type: 'Boolean', required, description };
    throw new Error(`a power action's parameter ${name} must be a number, string or boolean`);
  });
}

/** The auth scopes of an operation's mutation: every privilege it declares. */
const scopesOf = (name: OperationName) => ({ allPrivileges: OPERATIONS[name].privileges });

const GuestSettingsRef = builder.objectRef<GuestConfig>('GuestSettings').implement({
  fields: (t) => ({
    hostname: t.exposeString('hostname'),
    username: t.exposeString('user', { description: 'The login user cloud-init creates' }),
    hasPassword: t.boolean({ description: 'A password is set (only its hash is kept)', resolve: (g) => g.passwordHash !== null }),
    sshKeys: t.exposeStringList('sshKeys'),
    timezone: t.exposeString('timezone'),
    firstBootScript: t.exposeString('firstBootScript', { nullable: true }),
    fullCopy: t.exposeBoolean('fullCopy', { description: 'The disk is a full copy, not an overlay on the cached image' }),
  }),
});

const VmAddressingEnum = builder.enumType('VmAddressing', {
  values: {
    POOL: { value: 'pool', description: 'A fixed address from one of the host\u2019s IP pools, set by cloud-init' },
    DHCP: { value: 'dhcp', description: 'The guest asks the network by DHCP' },
  } as const,
});

const VmNicRef = builder.objectRef<VmNic>('VmNic').implement({
  description: 'A VM\u2019s network card and where its address comes from',
  fields: (t) => ({
    kind: t.field({ type: NetworkKindEnum, resolve: (n) => n.kind }),
    name: t.exposeString('name', { description: 'The libvirt network or host bridge it attaches to' }),
    macAddress: t.exposeString('macAddress', { nullable: true }),
    addressing: t.field({ type: VmAddressingEnum, resolve: (n) => (n.pool ? 'pool' : 'dhcp') }),
    pool: t.string({ nullable: true, description: 'The IP pool its address is from (addressing POOL)', resolve: (n) => n.pool?.name ?? null }),
    addresses: t.stringList({
      description: 'Its IPv4 addresses now: the pool address, or for a running VM on DHCP what the network\u2019s leases or the guest agent report (empty until known)',
      resolve: (n, _args, ctx) => currentAddresses(ctx.db, n),
    }),
  }),
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
    tags: t.exposeStringList('tags', { description: 'Lowercase words and dashes; vms(filter: { tag }) finds the VMs with one' }),
    state: t.field({ type: VmStateEnum, resolve: (vm) => vm.state as 'running' }),
    stateMessage: t.exposeString('state_message', { nullable: true, description: 'Why the VM is in its state' }),
    vcpus: t.exposeInt('vcpus'),
    memoryMb: t.exposeInt('memory_mb'),
    diskGb: t.exposeInt('disk_gb'),
    isoPath: t.exposeString('iso_path', { nullable: true }),
    image: t.field({ type: ImageRef, nullable: true, description: 'The image it was deployed from (null when not visible to you)', resolve: (vm) => vm.image_id }),
    macAddress: t.exposeString('mac_address', { nullable: true }),
    ipAddress: t.loadable({
      type: 'String',
      nullable: true,
      loaderOptions: NO_MEMO,
      description: 'Its address from the host\u2019s IP pool (null: DHCP or no NIC; see network)',
      resolve: (vm) => vm.id,
      load: (ids: string[], ctx) => addressesOfVms(ctx.db, ids),
    }),
    network: t.loadable({
      type: VmNicRef,
      nullable: true,
      loaderOptions: NO_MEMO,
      description: 'Its network card (fixed when the VM was made); null: the VM has no NIC',
      resolve: (vm) => vm,
      load: (rows: VmRow[], ctx) => nicsOfVms(ctx.db, rows),
    }),
    guest: t.field({ type: GuestSettingsRef, nullable: true, description: 'What cloud-init sets in the guest (null for VMs not deployed from an image)', resolve: (vm) => vm.guest_config }),
    owner: t.field({ type: UserRef, nullable: true, resolve: (vm) => vm.owner_id }),
    host: t.field({
      type: HostRef,
      nullable: true,
      description: 'Where the VM runs; null for callers without Host.View',
      resolve: (vm, _args, ctx) => (hasPrivilege(ctx.viewer, 'Host.View') ? vm.host_id : null),
    }),
    actions: t.loadableList({
      type: VmActionRef,
      loaderOptions: NO_MEMO,
      description: 'Each action and whether you may take it now (the API refuses it otherwise), with the reason when not',
      resolve: (vm) => vm,
      load: (rows: VmRow[], ctx) => actionsOfVms(ctx.db, ctx.viewer!, rows),
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
    tag: t.string({ description: 'Only VMs with this tag', validate: { maxLength: 64 } }),
  }),
});

builder.queryFields((t) => ({
  vms: t.connection({
    type: VmRef,
    description: 'Your VMs, or every VM with VM.ViewAll or VM.ManageAll',
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: VmFilter, required: false }) },
    resolve: (_root, args, ctx) => {
      const f = args.filter ?? {};
      const filter = {
        search: f.search,
        state: f.state,
        hostId: f.hostId ? idOf(String(f.hostId), 'Host', 'filter.hostId') : null,
        ownerId: f.ownerId ? idOf(String(f.ownerId), 'User', 'filter.ownerId') : null,
        tag: f.tag,
      };
      return resolveKeysetConnection(args, vms.VM_ORDER, { defaultSize: 50, maxSize: 200 }, (page) => vms.listVms(ctx.db, ctx.viewer!, filter, page));
    },
  }),
}));

export const VmTaskPayload = builder.objectRef<vms.VmWithTask>('VmTaskPayload').implement({
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
    isoImageId: t.id({ description: 'Install from this ISO of the image library onto the blank disk: it is in the CD-ROM, booted first' }),
    start: t.boolean({ description: 'Start it once made (default true; a deploy from an image always starts)' }),
    imageId: t.id({ description: 'Deploy from this image: its disk is an overlay on the image, configured by cloud-init' }),
    guest: t.field({ type: GuestInput, description: 'cloud-init settings, with imageId' }),
  }),
});

const GuestInput = builder.inputType('GuestInput', {
  fields: (t) => ({
    hostname: t.string({ description: 'Default: made from the VM name', validate: { maxLength: 253 } }),
    username: t.string({ description: 'Default: the image\u2019s default user, else hangar', validate: { maxLength: 64 } }),
    password: t.string({ description: 'Hashed (sha512-crypt) before it is stored or sent', validate: { maxLength: 256 } }),
    sshKeys: t.stringList({ validate: { maxLength: 20 } }),
    timezone: t.string({ description: 'IANA name, e.g. Europe/Paris (default UTC)', validate: { maxLength: 64 } }),
    firstBootScript: t.string({ description: 'Run once on first boot; starts with #!; at most 64 KiB', validate: { maxLength: 65_536 } }),
    fullCopy: t.boolean({ description: 'A full copy of the image instead of an overlay (slower; independent of the cached image)' }),
  }),
});

/** GraphQL nulls become absent values for the services. */
function guestOf(input: { [key: string]: unknown } | null | undefined): vms.GuestInput | undefined {
  if (!input) return undefined;
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as vms.GuestInput;
}

builder.mutationFields((t) => ({
  createVm: t.field({
    type: VmTaskPayload,
    errors: { types: [QuotaExceededError, NoCapacityError] },
    description: 'Creates a VM with a blank disk of the given size; the task makes it on its host',
    authScopes: { privilege: 'VM.Create' },
    extensions: { auditCreates: 'Vm' },
    args: { input: t.arg({ type: CreateVmInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      vms.createVm(ctx, {
        name: input.name,
        description: input.description ?? undefined,
        vcpus: input.vcpus,
        memoryMb: input.memoryMb,
        diskGb: input.diskGb,
        hostId: input.hostId ? idOf(String(input.hostId), 'Host', 'hostId') : null,
        isoPath: input.isoPath,
        isoImageId: input.isoImageId ? idOf(String(input.isoImageId), 'Image', 'isoImageId') : null,
        start: input.start ?? undefined,
        imageId: input.imageId ? idOf(String(input.imageId), 'Image', 'imageId') : null,
        guest: guestOf(input.guest),
      }),
  }),
}));

// Power actions share one shape, made from their operations' declarations: an id and the
// operation's own scalar parameters in (checked by its schema when queued), the VM and its task out.
builder.mutationFields((t) =>
  Object.fromEntries(
    POWER_OPERATIONS.map((operation) => [
      operation.action.power.mutation,
      t.field({
        type: VmTaskPayload,
        errors: {},
        description: operation.action.description,
        authScopes: scopesOf(operation.name),
        args: {
          id: t.arg.id({ required: true }),
          ...Object.fromEntries(scalarArgsOf(operation.params).map((a) => [a.name, t.arg({ type: a.type, required: a.required, description: a.description })])),
        },
        resolve: (_root, { id, ...rest }, ctx) => {
          // An argument left out or null is not given: the operation's default applies.
          const params = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null && value !== undefined));
          return vms.queueVmAction(ctx, idOf(String(id), 'Vm'), operation.name, params);
        },
      }),
    ]),
  ),
);

builder.mutationFields((t) => ({
  deleteVm: t.field({
    type: VmTaskPayload,
    errors: {},
    description: OPERATIONS['vm.delete'].action.description,
    authScopes: scopesOf('vm.delete'),
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => vms.queueVmAction(ctx, idOf(String(id), 'Vm'), 'vm.delete'),
  }),
}));

const ResizeVmInput = builder.inputType('ResizeVmInput', {
  fields: (t) => ({ vcpus: t.int(), memoryMb: t.int(), diskGb: t.int({ description: 'Disks only grow' }) }),
});

const MigrationTimeoutEnum = builder.enumType('MigrationTimeoutAction', {
  values: {
    ABORT: { value: 'abort', description: 'The migration is abandoned; the VM runs on where it was' },
    PAUSE: { value: 'pause', description: 'The guest is paused so that the migration finishes, then runs on the target' },
  } as const,
});

const MigrateVmInput = builder.inputType('MigrateVmInput', {
  fields: (t) => ({
    targetHostId: t.id({ description: 'Absent: the host with the most free memory that can take the VM' }),
    bandwidthMiBs: t.int({ description: 'MiB/s the migration may use; absent: all there is' }),
    maxDowntimeMs: t.int({ description: 'The longest the guest may be paused at the switch-over (QEMU\u2019s default: 300)' }),
    autoConverge: t.boolean({ description: 'Slow a guest that dirties memory faster than it can be copied' }),
    timeoutSeconds: t.int({ description: 'A live migration still running after this long is aborted or paused (onTimeout); default 3600' }),
    onTimeout: t.field({ type: MigrationTimeoutEnum }),
  }),
});

const MigrateVmPayload = builder.objectRef<vms.VmWithTask & { reason: string }>('MigrateVmPayload').implement({
  description: 'The VM, the task that moves it, and why its target was chosen',
  fields: (t) => ({
    vm: t.field({ type: VmRef, resolve: (p) => p.vm }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
    reason: t.exposeString('reason'),
  }),
});

const CapturePayload = builder.objectRef<vms.CapturedImage>('CaptureImagePayload').implement({
  description: 'The new image (status UPLOADING until the task is done) and the task that makes it',
  fields: (t) => ({
    image: t.field({ type: ImageRef, resolve: (p) => p.image }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
    vm: t.field({ type: VmRef, resolve: (p) => p.vm }),
  }),
});

builder.mutationFields((t) => ({
  reinstallVm: t.field({
    type: VmTaskPayload,
    errors: {},
    description: 'A fresh disk from its image, or another one; same VM id, MAC and address. Given guest settings replace the stored ones',
    authScopes: scopesOf('vm.reinstall'),
    args: { id: t.arg.id({ required: true }), imageId: t.arg.id(), guest: t.arg({ type: GuestInput }) },
    resolve: (_root, args, ctx) =>
      vms.reinstallVm(ctx, idOf(String(args.id), 'Vm'), { imageId: args.imageId ? idOf(String(args.imageId), 'Image', 'imageId') : null, guest: guestOf(args.guest) }),
  }),
  resizeVm: t.field({
    type: VmTaskPayload,
    errors: { types: [QuotaExceededError, NoCapacityError] },
    description: OPERATIONS['vm.resize'].action.description,
    authScopes: scopesOf('vm.resize'),
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: ResizeVmInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => vms.resizeVm(ctx, idOf(String(id), 'Vm'), { vcpus: input.vcpus, memoryMb: input.memoryMb, diskGb: input.diskGb }),
  }),
  migrateVm: t.field({
    type: MigrateVmPayload,
    errors: { types: [NoCapacityError] },
    description: OPERATIONS['vm.migrate'].action.description,
    authScopes: scopesOf('vm.migrate'),
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: MigrateVmInput }) },
    resolve: (_root, { id, input }, ctx) =>
      vms.migrateVm(ctx, idOf(String(id), 'Vm'), {
        targetHostId: input?.targetHostId ? idOf(String(input.targetHostId), 'Host', 'targetHostId') : null,
        bandwidthMiBs: input?.bandwidthMiBs,
        maxDowntimeMs: input?.maxDowntimeMs,
        autoConverge: input?.autoConverge,
        timeoutSeconds: input?.timeoutSeconds,
        onTimeout: input?.onTimeout,
      }),
  }),
  resetVmPassword: t.field({
    type: VmTaskPayload,
    errors: {},
    description: 'Sets the login user\u2019s password through the guest agent (the VM must be running)',
    authScopes: scopesOf('vm.password'),
    args: { id: t.arg.id({ required: true }), password: t.arg.string({ required: true, validate: { maxLength: 256 } }) },
    resolve: (_root, { id, password }, ctx) => vms.resetVmPassword(ctx, idOf(String(id), 'Vm'), password),
  }),
  captureImage: t.field({
    type: CapturePayload,
    errors: {},
    description: 'Makes a private image of the VM\u2019s disk without its machine identity (the VM is shut down for the copy and started again)',
    // Image.Create, and VM.PowerMgmt: capturing shuts the VM down.
    authScopes: scopesOf('vm.capture'),
    args: { vmId: t.arg.id({ required: true }), name: t.arg.string({ required: true, validate: { maxLength: 200 } }) },
    resolve: (_root, { vmId, name }, ctx) => vms.captureVm(ctx, idOf(String(vmId), 'Vm', 'vmId'), { name }),
  }),
}));

const UpdateVmDetailsInput = builder.inputType('UpdateVmDetailsInput', {
  description: 'What to change (absent or null: unchanged)',
  fields: (t) => ({
    name: t.string({ description: 'The same rules as createVm\u2019s name', validate: { maxLength: 200 } }),
    description: t.string({ validate: { maxLength: 2000 } }),
    tags: t.stringList({ description: 'Replaces the tags: at most 20, each lowercase words joined by dashes', validate: { maxLength: 100 } }),
  }),
});

const TransferVmPayload = builder.objectRef<VmTransfer>('TransferVmPayload').implement({
  description: 'The VM, now owned by newOwner',
  fields: (t) => ({
    vm: t.field({ type: VmRef, resolve: (p) => p.vm }),
    previousOwner: t.field({ type: UserRef, nullable: true, description: 'Null for callers who may not see users', resolve: (p) => p.previousOwner.id }),
    newOwner: t.field({ type: UserRef, nullable: true, description: 'Null for callers who may not see users', resolve: (p) => p.newOwner.id }),
  }),
});

builder.mutationFields((t) => ({
  updateVmDetails: t.field({
    type: VmRef,
    errors: {},
    description: 'Renames the VM or changes its description or tags (its owner, or VM.ManageAll); the host is not touched',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateVmDetailsInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => updateVmDetails(ctx, idOf(String(id), 'Vm'), { name: input.name, description: input.description, tags: input.tags }),
  }),
  transferVm: t.field({
    type: TransferVmPayload,
    errors: { types: [QuotaExceededError] },
    description: 'Gives the VM to another enabled user, within their quota (VM.Transfer, and the right to act on the VM); its tasks stay attributed to who asked',
    authScopes: { privilege: 'VM.Transfer' },
    // The entry names both sides: the VM (its target), who owned it and who owns it now.
    extensions: { auditDetail: (p: VmTransfer) => ({ name: p.vm.name, previousOwner: p.previousOwner, newOwner: p.newOwner }) },
    args: { vmId: t.arg.id({ required: true }), toUserId: t.arg.id({ required: true }) },
    resolve: (_root, { vmId, toUserId }, ctx) => transferVm(ctx, idOf(String(vmId), 'Vm', 'vmId'), idOf(String(toUserId), 'User', 'toUserId')),
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
    subscribe: (_root, _args, ctx) => filtered(ctx.pubsub.subscribe('vms:updated'), (event) => vms.canSeeVm(ctx.viewer, { owner_id: event.ownerId })),
    resolve: (event) => event.id,
  }),
}));
