import type { IpPoolRow } from '../../db/types.ts';
import { NotFoundError } from '../errors.ts';
import * as ipPools from '../services/ip-pools.ts';
import { builder, NO_MEMO } from './builder.ts';
import { idOf } from './errors.ts';
import { HostRef } from './host.ts';

export const IpPoolRef = builder.loadableNode('IpPool', {
  description: 'IPv4 addresses a host gives its VMs statically through cloud-init (no pool: DHCP)',
  loaderOptions: NO_MEMO,
  id: { resolve: (pool: IpPoolRow) => pool.id },
  authScopes: { privilege: 'Host.View' },
  load: async (ids: string[], ctx) => {
    const rows = await ipPools.ipPoolsByIds(ctx.db, ids);
    return ids.map((id) => rows.find((r) => r.id === id) ?? new NotFoundError('The IP pool'));
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    cidr: t.exposeString('cidr'),
    gateway: t.exposeString('gateway', { nullable: true }),
    dns: t.exposeStringList('dns'),
    rangeStart: t.exposeString('range_start'),
    rangeEnd: t.exposeString('range_end'),
    size: t.int({ description: 'Addresses in the range', resolve: (p) => ipPools.poolSize(p) }),
    used: t.int({ description: 'Addresses held by VMs', resolve: (p, _args, ctx) => ipPools.usedAddresses(ctx.db, p.id) }),
  }),
});

builder.objectField(HostRef, 'ipPools', (t) =>
  t.loadableList({
    type: IpPoolRef,
    loaderOptions: NO_MEMO,
    resolve: (host) => host.id,
    load: (ids: string[], ctx) => ipPools.ipPoolsOfHosts(ctx.db, ids),
  }),
);

const CreateIpPoolInput = builder.inputType('CreateIpPoolInput', {
  fields: (t) => ({
    hostId: t.id({ required: true }),
    name: t.string({ required: true, validate: { maxLength: 200 } }),
    cidr: t.string({ required: true, description: 'e.g. 10.20.0.0/24', validate: { maxLength: 64 } }),
    gateway: t.string({ validate: { maxLength: 64 } }),
    dns: t.stringList({ validate: { maxLength: 8 } }),
    rangeStart: t.string({ required: true, validate: { maxLength: 64 } }),
    rangeEnd: t.string({ required: true, validate: { maxLength: 64 } }),
  }),
});

builder.mutationFields((t) => ({
  createIpPool: t.field({
    type: IpPoolRef,
    errors: {},
    description: 'Adds an IPv4 pool to a host: its VMs get the lowest free address of the range',
    authScopes: { privilege: 'Host.Manage' },
    args: { input: t.arg({ type: CreateIpPoolInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ipPools.createIpPool(ctx.db, {
        hostId: idOf(String(input.hostId), 'Host', 'hostId'),
        name: input.name,
        cidr: input.cidr,
        gateway: input.gateway,
        dns: input.dns ?? [],
        rangeStart: input.rangeStart,
        rangeEnd: input.rangeEnd,
      }),
  }),
  deleteIpPool: t.field({
    type: IpPoolRef,
    errors: {},
    description: 'Removes a pool none of whose addresses is in use',
    authScopes: { privilege: 'Host.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ipPools.deleteIpPool(ctx.db, idOf(String(id), 'IpPool')),
  }),
}));
