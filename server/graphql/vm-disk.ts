// A VM's disks: Vm.disks, and attaching, detaching, growing and limiting them (services/vm-disks.ts).
import type { DiskIoLimits } from '../../db/types.ts';
import { QuotaExceededError } from '../errors.ts';
import { OPERATIONS } from '../operations/registry.ts';
import { attachDisk, detachDisk, diskAllocationBytes, disksOfVms, resizeDisk, setDiskIoLimits, type VmDiskChange, type VmDiskView } from '../services/vm-disks.ts';
import { builder } from './builder.ts';
import { idOf } from './errors.ts';
import { TaskRef } from './task.ts';
import { VmRef } from './vm.ts';

const DiskBusEnum = builder.enumType('DiskBus', {
  values: {
    VIRTIO: { value: 'virtio', description: 'Paravirtual (vdX), hot-pluggable' },
    SCSI: { value: 'scsi', description: 'On a virtio-scsi controller (sdX), hot-pluggable' },
    SATA: { value: 'sata', description: 'Emulated AHCI (sdX): not hot-pluggable, a running VM sees it at its next start' },
  } as const,
});

const DiskIoLimitsRef = builder.objectRef<DiskIoLimits>('DiskIoLimits').implement({
  description: 'What a disk may do per second (libvirt <iotune>); null: no limit',
  fields: (t) => ({
    totalBytesSec: t.float({ nullable: true, resolve: (l) => l.totalBytesSec || null }),
    readBytesSec: t.float({ nullable: true, resolve: (l) => l.readBytesSec || null }),
    writeBytesSec: t.float({ nullable: true, resolve: (l) => l.writeBytesSec || null }),
    totalIopsSec: t.float({ nullable: true, resolve: (l) => l.totalIopsSec || null }),
    readIopsSec: t.float({ nullable: true, resolve: (l) => l.readIopsSec || null }),
    writeIopsSec: t.float({ nullable: true, resolve: (l) => l.writeIopsSec || null }),
  }),
});

const VmDiskRef = builder.objectRef<VmDiskView>('VmDisk').implement({
  description: 'One of a VM\u2019s disks',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The disk\u2019s id (diskId of the disk mutations)' }),
    boot: t.exposeBoolean('is_boot', { description: 'The disk the VM was made with and starts from' }),
    bootOrder: t.exposeInt('boot_order', { nullable: true }),
    target: t.exposeString('target', { description: 'Its device in the domain (vda, vdb, sdc…)' }),
    bus: t.field({ type: DiskBusEnum, resolve: (d) => d.bus }),
    pool: t.exposeString('poolName', { description: 'The host\u2019s storage pool it is in' }),
    volume: t.exposeString('volume'),
    sizeGb: t.exposeInt('sizeGb', { description: 'GiB' }),
    allocationBytes: t.float({ nullable: true, description: 'What its file takes on the host now (null when the host does not answer)', resolve: (d, _args, ctx) => diskAllocationBytes(ctx, d) }),
    ioLimits: t.field({ type: DiskIoLimitsRef, resolve: (d) => d.io_limits ?? {} }),
  }),
});

builder.objectField(VmRef, 'disks', (t) =>
  t.field({
    type: [VmDiskRef],
    description: 'Its disks, the boot disk first',
    resolve: async (vm, _args, ctx) => (await disksOfVms(ctx, [vm]))[0],
  }),
);

const VmDiskTaskPayload = builder.objectRef<VmDiskChange>('VmDiskTaskPayload').implement({
  description: 'The disk, its VM and the task that carries the change out (follow it with taskUpdated)',
  fields: (t) => ({
    vm: t.field({ type: VmRef, resolve: (p) => p.vm }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
    disk: t.field({
      type: VmDiskRef,
      resolve: async (p, _args, ctx) => (await disksOfVms(ctx, [p.vm]))[0].find((d) => d.id === p.disk.id) ?? { ...p.disk, sizeGb: p.disk.size_gb, poolName: p.disk.pool ?? '', hostId: p.vm.host_id },
    }),
  }),
});

const DiskIoLimitsInput = builder.inputType('DiskIoLimitsInput', {
  description: 'Per second; absent, null or 0: no limit. A total excludes its read and write pair',
  fields: (t) => ({
    totalBytesSec: t.float(),
    readBytesSec: t.float(),
    writeBytesSec: t.float(),
    totalIopsSec: t.float(),
    readIopsSec: t.float(),
    writeIopsSec: t.float(),
  }),
});

const AttachDiskInput = builder.inputType('AttachDiskInput', {
  fields: (t) => ({
    sizeGiB: t.int({ required: true }),
    bus: t.field({ type: DiskBusEnum, description: 'VIRTIO unless given' }),
    pool: t.string({ description: 'A storage pool of the VM\u2019s host (administrators of hosts); absent: the host\u2019s disk pool' }),
    ioLimits: t.field({ type: DiskIoLimitsInput }),
  }),
});

const scopesOf = (name: keyof typeof OPERATIONS) => ({ allPrivileges: OPERATIONS[name].privileges });

builder.mutationFields((t) => ({
  attachDisk: t.field({
    type: VmDiskTaskPayload,
    errors: { types: [QuotaExceededError] },
    description: OPERATIONS['vm.disk-attach'].action.description,
    authScopes: scopesOf('vm.disk-attach'),
    args: { vmId: t.arg.id({ required: true }), input: t.arg({ type: AttachDiskInput, required: true }) },
    resolve: (_root, { vmId, input }, ctx) => attachDisk(ctx, idOf(String(vmId), 'Vm', 'vmId'), { sizeGiB: input.sizeGiB, bus: input.bus ?? undefined, pool: input.pool, ioLimits: input.ioLimits }),
  }),
  detachDisk: t.field({
    type: VmDiskTaskPayload,
    errors: {},
    description: OPERATIONS['vm.disk-detach'].action.description,
    authScopes: scopesOf('vm.disk-detach'),
    args: {
      vmId: t.arg.id({ required: true }),
      diskId: t.arg.id({ required: true }),
      deleteVolume: t.arg.boolean({ description: 'Delete its volume too (needs VM.Delete); kept unless true' }),
      timeoutSeconds: t.arg.int({ description: 'How long a running guest has to release it (60 s unless given)' }),
    },
    resolve: (_root, args, ctx) => detachDisk(ctx, idOf(String(args.vmId), 'Vm', 'vmId'), String(args.diskId), { deleteVolume: args.deleteVolume ?? false, timeoutSeconds: args.timeoutSeconds }),
  }),
  resizeDisk: t.field({
    type: VmDiskTaskPayload,
    errors: { types: [QuotaExceededError] },
    description: OPERATIONS['vm.disk-resize'].action.description,
    authScopes: scopesOf('vm.disk-resize'),
    args: { vmId: t.arg.id({ required: true }), diskId: t.arg.id({ required: true }), sizeGiB: t.arg.int({ required: true }) },
    resolve: (_root, args, ctx) => resizeDisk(ctx, idOf(String(args.vmId), 'Vm', 'vmId'), String(args.diskId), args.sizeGiB),
  }),
  setDiskIoLimits: t.field({
    type: VmDiskTaskPayload,
    errors: {},
    description: OPERATIONS['vm.disk-limits'].action.description,
    authScopes: scopesOf('vm.disk-limits'),
    args: { vmId: t.arg.id({ required: true }), diskId: t.arg.id({ required: true }), limits: t.arg({ type: DiskIoLimitsInput, required: true }) },
    resolve: (_root, args, ctx) => setDiskIoLimits(ctx, idOf(String(args.vmId), 'Vm', 'vmId'), String(args.diskId), args.limits),
  }),
}));
