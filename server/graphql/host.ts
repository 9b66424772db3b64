import type { HostRow } from '../../db/types.ts';
import { HostConnectionError, NotFoundError } from '../errors.ts';
import { hasPrivilege } from '../services/auth.ts';
import * as hosts from '../services/hosts.ts';
import { builder, NO_MEMO } from './builder.ts';
import { idOf } from './errors.ts';

const HostStatusEnum = builder.enumType('HostStatus', {
  values: {
    ONLINE: { value: 'online', description: 'libvirt answers; VMs can be placed here' },
    OFFLINE: { value: 'offline', description: 'libvirt does not answer; see statusMessage' },
    ERROR: { value: 'error', description: 'libvirt answers with errors; see statusMessage' },
    MAINTENANCE: { value: 'maintenance', description: 'An administrator keeps new VMs away' },
  } as const,
});

const DomainTypeEnum = builder.enumType('DomainType', {
  values: { KVM: { value: 'kvm', description: 'Hardware virtualization' }, QEMU: { value: 'qemu', description: 'Emulation (TCG): slower, runs anywhere' } } as const,
});

export const NetworkKindEnum = builder.enumType('NetworkKind', {
  values: { NETWORK: { value: 'network', description: 'A libvirt network (virsh net-list)' }, BRIDGE: { value: 'bridge', description: 'A bridge of the host' } } as const,
});

const HostNetwork = builder.objectRef<{ kind: 'network' | 'bridge'; name: string }>('HostNetwork').implement({
  fields: (t) => ({ kind: t.field({ type: NetworkKindEnum, resolve: (n) => n.kind }), name: t.exposeString('name') }),
});

const HostSettingsRef = builder.objectRef<hosts.HostSettings>('HostSettings').implement({
  fields: (t) => ({
    diskPool: t.exposeString('diskPool'),
    imagePool: t.exposeString('imagePool'),
    network: t.field({ type: HostNetwork, nullable: true, resolve: (s) => s.network }),
    cpuOvercommit: t.exposeFloat('cpuOvercommit'),
    memoryOvercommit: t.exposeFloat('memoryOvercommit'),
    concurrency: t.exposeInt('concurrency', { description: 'Operations run at once on this host' }),
    vncListen: t.exposeString('vncListen'),
    migrationAddress: t.exposeString('migrationAddress', { nullable: true, description: 'Where other hosts send live migrations to this one; null: the host name of its URI' }),
    diskPoolShared: t.exposeBoolean('diskPoolShared', { description: 'The disk pool is storage other hosts see at the same path: migrations between two such hosts copy no disk' }),
  }),
});

const HostCapabilitiesRef = builder.objectRef<ReturnType<typeof hosts.capabilitiesOf>>('HostCapabilities').implement({
  fields: (t) => ({
    cpus: t.int({ resolve: (c) => c.cpus ?? 0 }),
    memoryMb: t.int({ resolve: (c) => c.memoryMb ?? 0 }),
    cpuModel: t.string({ resolve: (c) => c.cpuModel ?? '' }),
    arch: t.string({ resolve: (c) => c.arch ?? '' }),
    libvirtVersion: t.string({ resolve: (c) => c.libvirtVersion ?? '' }),
    hypervisorVersion: t.string({ resolve: (c) => c.hypervisorVersion ?? '' }),
    nested: t.boolean({ description: 'The host is itself a virtual machine', resolve: (c) => c.nested ?? false }),
  }),
});

const HostAllocationRef = builder.objectRef<hosts.HostAllocation>('HostAllocation').implement({
  description: 'What the VMs placed on the host have been given',
  fields: (t) => ({ vcpus: t.exposeInt('vcpus'), memoryMb: t.exposeInt('memoryMb'), diskGb: t.exposeInt('diskGb'), vms: t.exposeInt('vms') }),
});

export const HostRef = builder.loadableNode('Host', {
  loaderOptions: NO_MEMO,
  id: { resolve: (host: HostRow) => host.id },
  authScopes: { privilege: 'Host.View' },
  load: async (ids: string[], ctx) => {
    const rows = hasPrivilege(ctx.viewer, 'Host.View') ? await hosts.hostsByIds(ctx.db, ids) : [];
    return ids.map((id) => rows.find((r) => r.id === id) ?? new NotFoundError('The host'));
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    uri: t.exposeString('uri', { description: 'The libvirt connection URI' }),
    status: t.field({ type: HostStatusEnum, resolve: (h) => (h.maintenance ? 'maintenance' : (h.status as 'online')) }),
    statusMessage: t.exposeString('status_message', { nullable: true }),
    maintenance: t.exposeBoolean('maintenance'),
    domainType: t.field({ type: DomainTypeEnum, resolve: (h) => h.domain_type as 'kvm' }),
    domainTypeReason: t.exposeString('domain_type_reason', { nullable: true, description: 'Why this domain type was chosen' }),
    lastSeenAt: t.expose('last_seen_at', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    capabilities: t.field({ type: HostCapabilitiesRef, resolve: (h) => hosts.capabilitiesOf(h) }),
    settings: t.field({ type: HostSettingsRef, resolve: (h, _args, ctx) => hosts.settingsOf(h, ctx.config) }),
    libvirtNetworks: t.stringList({
      description: 'The libvirt networks running on the host now, which VM NICs can attach to (empty when it does not answer)',
      resolve: (h) => hosts.networksOfHost(h),
    }),
    allocation: t.loadable({
      loaderOptions: NO_MEMO,
      type: HostAllocationRef,
      resolve: (h) => h.id,
      load: (ids: string[], ctx) => hosts.allocationsOfHosts(ctx.db, ids),
    }),
  }),
});

builder.queryFields((t) => ({
  hosts: t.field({
    type: [HostRef],
    authScopes: { privilege: 'Host.View' },
    resolve: (_root, _args, ctx) => hosts.listHosts(ctx.db),
  }),
}));

const HostNetworkInput = builder.inputType('HostNetworkInput', {
  fields: (t) => ({ kind: t.field({ type: NetworkKindEnum, required: true }), name: t.string({ required: true, validate: { maxLength: 64 } }) }),
});

const HostSettingsInput = builder.inputType('HostSettingsInput', {
  fields: (t) => ({
    diskPool: t.string({ validate: { maxLength: 64 } }),
    imagePool: t.string({ validate: { maxLength: 64 } }),
    network: t.field({ type: HostNetworkInput, description: 'What VM NICs attach to; null: new VMs get no NIC; absent: unchanged (on addHost: Hangar\u2019s network `hangar` when the host has it)' }),
    cpuOvercommit: t.float(),
    memoryOvercommit: t.float(),
    concurrency: t.int(),
    vncListen: t.string({ validate: { maxLength: 64 } }),
    migrationAddress: t.string({ validate: { maxLength: 64 }, description: 'An IP address of this host other hosts reach; needed for a host added as qemu:///system to receive migrations' }),
    diskPoolShared: t.boolean({ description: 'The disk pool is on storage other hosts see at the same path (NFS, CephFS); say so only when it is' }),
  }),
});

const AddHostInput = builder.inputType('AddHostInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: { maxLength: 63 } }),
    uri: t.string({ required: true, description: 'e.g. qemu:///system or qemu+ssh://root@host/system', validate: { maxLength: 500 } }),
    domainType: t.field({ type: DomainTypeEnum, description: 'Absent: probed (kvm only where a guest really runs under it)' }),
    settings: t.field({ type: HostSettingsInput }),
  }),
});

const UpdateHostInput = builder.inputType('UpdateHostInput', {
  fields: (t) => ({
    name: t.string({ validate: { maxLength: 63 } }),
    domainType: t.field({ type: DomainTypeEnum }),
    maintenance: t.boolean({ description: 'In maintenance no new VM is placed on the host' }),
    settings: t.field({ type: HostSettingsInput }),
  }),
});

/** The settings given; an explicit null network (no NIC) is kept, unlike other nulls. */
function givenSettings<T extends { network?: unknown }>(input: T | null | undefined) {
  const settings = given(input);
  return settings && input?.network === null ? { ...settings, network: null } : settings;
}

/** GraphQL leaves absent fields undefined and explicit ones null; the services want only what was given. */
function given<T extends object>(input: T | null | undefined): Partial<{ [K in keyof T]: Exclude<T[K], null> }> | undefined {
  if (!input) return undefined;
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], null> }>;
}

builder.mutationFields((t) => ({
  addHost: t.field({
    type: HostRef,
    errors: { types: [HostConnectionError] },
    description: 'Connects to libvirt at the URI, reads the host and saves it; an unreachable host is refused',
    authScopes: { privilege: 'Host.Manage' },
    extensions: { auditCreates: 'Host' },
    args: { input: t.arg({ type: AddHostInput, required: true }) },
    resolve: (_root, { input }, ctx) => hosts.addHostAndAnnounce(ctx, { name: input.name, uri: input.uri, domainType: input.domainType, settings: givenSettings(input.settings) }),
  }),
  updateHost: t.field({
    type: HostRef,
    errors: { types: [HostConnectionError] },
    authScopes: { privilege: 'Host.Manage' },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateHostInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => hosts.updateHost(ctx, idOf(String(id), 'Host'), { ...given(input), settings: givenSettings(input.settings) }),
  }),
  refreshHost: t.field({
    type: HostRef,
    errors: {},
    description: 'Reads the host\'s capabilities and status again',
    authScopes: { privilege: 'Host.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => hosts.refreshHost(ctx, idOf(String(id), 'Host')),
  }),
  removeHost: t.field({
    type: HostRef,
    errors: {},
    description: 'Forgets a host; refused while it has VMs',
    authScopes: { privilege: 'Host.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => hosts.removeHost(ctx, idOf(String(id), 'Host')),
  }),
}));

builder.subscriptionFields((t) => ({
  hostUpdated: t.field({
    type: HostRef,
    description: 'Any host, each time its status, settings or capabilities change',
    authScopes: { privilege: 'Host.View' },
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('host:updated'),
    resolve: (event) => event.id,
  }),
}));
