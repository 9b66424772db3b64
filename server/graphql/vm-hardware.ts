// A VM's network interfaces, CD-ROM and boot order (issue 21): the fields on Vm and the mutations
// that change them. Each mutation records the change and queues its task (services/vm-interfaces.ts,
// services/vm-boot-media.ts); the VM page follows the task.
import type { BandwidthLimit, InterfaceBandwidth } from '../../db/types.ts';
import { ValidationError } from '../errors.ts';
import { OPERATIONS, type OperationName } from '../operations/registry.ts';
import { setVmBoot, setVmMedia } from '../services/vm-boot-media.ts';
import { attachInterface, detachInterface, guestAddressesOf, interfacesOfVms, setInterfaceBandwidth, type InterfaceWithTask, type VmInterfaceView } from '../services/vm-interfaces.ts';
import { builder, NO_MEMO } from './builder.ts';
import { idOf } from './errors.ts';
import { NetworkKindEnum } from './host.ts';
import { ImageRef } from './image.ts';
import { TaskRef } from './task.ts';
import { VmRef, VmTaskPayload } from './vm.ts';

const scopesOf = (name: OperationName) => ({ allPrivileges: OPERATIONS[name].privileges });

const BootDeviceEnum = builder.enumType('BootDevice', {
  values: {
    DISK: { value: 'hd', description: 'The VM\u2019s disk' },
    CDROM: { value: 'cdrom', description: 'The ISO in its CD-ROM' },
    NETWORK: { value: 'network', description: 'PXE from its first network interface' },
  } as const,
});

const BandwidthLimitRef = builder.objectRef<BandwidthLimit>('BandwidthLimit').implement({
  description: 'libvirt\u2019s <bandwidth> limit of one direction',
  fields: (t) => ({
    average: t.exposeInt('average', { description: 'KiB/s' }),
    peak: t.int({ nullable: true, description: 'KiB/s, for at most burst KiB', resolve: (l) => l.peak ?? null }),
    burst: t.int({ nullable: true, description: 'KiB', resolve: (l) => l.burst ?? null }),
  }),
});

const InterfaceBandwidthRef = builder.objectRef<InterfaceBandwidth>('InterfaceBandwidth').implement({
  fields: (t) => ({
    inbound: t.field({ type: BandwidthLimitRef, nullable: true, description: 'Traffic to the guest', resolve: (b) => b.inbound ?? null }),
    outbound: t.field({ type: BandwidthLimitRef, nullable: true, description: 'Traffic from the guest', resolve: (b) => b.outbound ?? null }),
  }),
});

const VmInterfaceRef = builder.objectRef<VmInterfaceView>('VmInterface').implement({
  description: 'One of a VM\u2019s network interfaces',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Its id, for detachVmInterface and setVmInterfaceBandwidth' }),
    position: t.exposeInt('position', { description: '0: the one the VM was made with' }),
    macAddress: t.exposeString('mac_address'),
    kind: t.field({ type: NetworkKindEnum, resolve: (n) => n.network.kind }),
    network: t.string({ description: 'The libvirt network or host bridge it attaches to', resolve: (n) => n.network.name }),
    address: t.string({ nullable: true, description: 'Its address from an IP pool, with prefix length (null: DHCP)', resolve: (n) => (n.lease ? `${n.lease.address}/${n.lease.cidr.split('/')[1]}` : null) }),
    pool: t.string({ nullable: true, description: 'The IP pool its address is from', resolve: (n) => n.lease?.pool ?? null }),
    guestAddresses: t.stringList({
      description: 'The IPv4 addresses the guest agent reports on it now (empty when the VM does not run or its agent does not answer)',
      resolve: (n, _args, ctx) => guestAddressesOf(ctx.db, n),
    }),
    bandwidth: t.field({ type: InterfaceBandwidthRef, nullable: true, description: 'Its limits; null: none', resolve: (n) => n.bandwidth }),
  }),
});

builder.objectFields(VmRef, (t) => ({
  interfaces: t.loadableList({
    type: VmInterfaceRef,
    loaderOptions: NO_MEMO,
    description: 'Its network interfaces, in order',
    resolve: (vm) => vm,
    load: (rows: Parameters<typeof interfacesOfVms>[1][number][], ctx) => interfacesOfVms(ctx.db, rows),
  }),
  cdrom: t.field({ type: ImageRef, nullable: true, description: 'The ISO of the library in its CD-ROM (null: empty, or not visible to you)', resolve: (vm) => vm.cdrom_image_id }),
  bootOrder: t.field({ type: [BootDeviceEnum], description: 'What it boots from, in order', resolve: (vm) => vm.boot_order as 'hd'[] }),
  bootOnce: t.exposeBoolean('boot_once', { description: 'Its next start boots the CD-ROM; the one after boots as bootOrder says' }),
}));

const AttachVmInterfaceInput = builder.inputType('AttachVmInterfaceInput', {
  description: 'Either a libvirt network of the VM\u2019s host or a bridge',
  fields: (t) => ({
    network: t.string({ validate: { maxLength: 64 } }),
    bridge: t.string({ validate: { maxLength: 64 } }),
    ipPoolId: t.id({ description: 'An address from this IP pool of the VM\u2019s host; absent: the guest asks by DHCP' }),
  }),
});

const BandwidthLimitInput = builder.inputType('BandwidthLimitInput', {
  fields: (t) => ({
    average: t.int({ required: true, description: 'KiB/s' }),
    peak: t.int({ description: 'KiB/s' }),
    burst: t.int({ description: 'KiB' }),
  }),
});

const InterfaceBandwidthInput = builder.inputType('InterfaceBandwidthInput', {
  description: 'Absent or null: no limit that way',
  fields: (t) => ({
    inbound: t.field({ type: BandwidthLimitInput }),
    outbound: t.field({ type: BandwidthLimitInput }),
  }),
});

const VmInterfacePayload = builder.objectRef<InterfaceWithTask>('VmInterfacePayload').implement({
  description: 'The VM, its interface and the task that applies the change',
  fields: (t) => ({
    vm: t.field({ type: VmRef, resolve: (p) => p.vm }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
    interface: t.field({ type: VmInterfaceRef, resolve: (p) => ({ ...p.interface, vmState: p.vm.state, hostId: p.vm.host_id, lease: null }) }),
  }),
});

const limitOf = (l: { average: number; peak?: number | null; burst?: number | null } | null | undefined) => (l ? { average: l.average, peak: l.peak, burst: l.burst } : null);

builder.mutationFields((t) => ({
  attachVmInterface: t.field({
    type: VmInterfacePayload,
    errors: {},
    description: OPERATIONS['vm.interface-attach'].action.description,
    authScopes: scopesOf('vm.interface-attach'),
    args: { vmId: t.arg.id({ required: true }), input: t.arg({ type: AttachVmInterfaceInput, required: true }) },
    resolve: (_root, { vmId, input }, ctx) =>
      attachInterface(ctx, idOf(String(vmId), 'Vm', 'vmId'), { network: input.network, bridge: input.bridge, ipPoolId: input.ipPoolId ? idOf(String(input.ipPoolId), 'IpPool', 'ipPoolId') : null }),
  }),
  detachVmInterface: t.field({
    type: VmTaskPayload,
    errors: {},
    description: OPERATIONS['vm.interface-detach'].action.description,
    authScopes: scopesOf('vm.interface-detach'),
    args: { vmId: t.arg.id({ required: true }), interfaceId: t.arg.id({ required: true }) },
    resolve: (_root, { vmId, interfaceId }, ctx) => detachInterface(ctx, idOf(String(vmId), 'Vm', 'vmId'), uuidOf(String(interfaceId))),
  }),
  setVmInterfaceBandwidth: t.field({
    type: VmInterfacePayload,
    errors: {},
    description: OPERATIONS['vm.interface-tune'].action.description,
    authScopes: scopesOf('vm.interface-tune'),
    args: { vmId: t.arg.id({ required: true }), interfaceId: t.arg.id({ required: true }), input: t.arg({ type: InterfaceBandwidthInput, required: true }) },
    resolve: (_root, { vmId, interfaceId, input }, ctx) =>
      setInterfaceBandwidth(ctx, idOf(String(vmId), 'Vm', 'vmId'), uuidOf(String(interfaceId)), { inbound: limitOf(input.inbound), outbound: limitOf(input.outbound) }),
  }),
  setVmMedia: t.field({
    type: VmTaskPayload,
    errors: {},
    description: OPERATIONS['vm.media'].action.description,
    authScopes: scopesOf('vm.media'),
    args: { vmId: t.arg.id({ required: true }), imageId: t.arg.id({ description: 'An ISO of the library you may see; null ejects' }) },
    resolve: (_root, { vmId, imageId }, ctx) => setVmMedia(ctx, idOf(String(vmId), 'Vm', 'vmId'), imageId ? idOf(String(imageId), 'Image', 'imageId') : null),
  }),
  setVmBoot: t.field({
    type: VmTaskPayload,
    errors: {},
    description: OPERATIONS['vm.boot'].action.description,
    authScopes: scopesOf('vm.boot'),
    args: {
      vmId: t.arg.id({ required: true }),
      order: t.arg({ type: [BootDeviceEnum], required: true }),
      once: t.arg.boolean({ description: 'The next start boots the CD-ROM, the one after boots as order says (a rescue)' }),
    },
    resolve: (_root, { vmId, order, once }, ctx) => setVmBoot(ctx, idOf(String(vmId), 'Vm', 'vmId'), { order, once: once ?? false }),
  }),
}));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An interface's id is its row's UUID; anything else names no interface. */
function uuidOf(id: string): string {
  if (!UUID.test(id)) throw ValidationError.forField('interfaceId', 'interfaceId is not a valid id');
  return id;
}
