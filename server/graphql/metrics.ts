import { encodeGlobalID } from '@pothos/plugin-relay';
import { HOST_FIELDS, VM_FIELDS, type DiskRates, type HostSample, type NicRates, type VmSample } from '../events/samples.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { sharedLatest } from '../events/latest.ts';
import { hasPrivilege } from '../services/auth.ts';
import { clusterMetricHistory, clusterMetricsFeed, type ClusterMetrics } from '../services/cluster-metrics.ts';
import { hostsByIds } from '../services/hosts.ts';
import { latestVmSamples, metricHistory, type MetricHistory, type MetricSeries } from '../services/metrics.ts';
import * as vms from '../services/vms.ts';
import { builder } from './builder.ts';
import { idOf } from './errors.ts';
import { HostRef } from './host.ts';
import { VmRef, VmStateEnum } from './vm.ts';

// Live samples (subscriptions, latest value only for a slow client) and history ready to plot.

const DESCRIPTIONS: Record<string, string> = {
  cpuPercent: 'Percent of its vCPUs (VM) or of all cores (host) in use',
  memoryUsedBytes: 'Memory in use as the guest reports it (null without the guest\u2019s balloon driver)',
  memoryAvailableBytes: 'Memory the guest sees',
  memoryTotalBytes: 'Physical memory of the host',
  vmsRunning: 'Running VMs of this Hangar on the host',
};

const DiskRatesRef = builder.objectRef<DiskRates>('DiskRates').implement({
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The disk\u2019s target, such as vda' }),
    readBytesPerSecond: t.exposeFloat('readBytesPerSecond'),
    writeBytesPerSecond: t.exposeFloat('writeBytesPerSecond'),
    readOpsPerSecond: t.exposeFloat('readOpsPerSecond'),
    writeOpsPerSecond: t.exposeFloat('writeOpsPerSecond'),
  }),
});

const NicRatesRef = builder.objectRef<NicRates>('NicRates').implement({
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The host-side device, such as vnet3' }),
    rxBytesPerSecond: t.exposeFloat('rxBytesPerSecond'),
    txBytesPerSecond: t.exposeFloat('txBytesPerSecond'),
    rxPacketsPerSecond: t.exposeFloat('rxPacketsPerSecond'),
    txPacketsPerSecond: t.exposeFloat('txPacketsPerSecond'),
  }),
});

export const VmMetricSampleRef = builder.objectRef<VmSample>('VmMetricSample').implement({
  description: 'A VM\u2019s rates over the collector\u2019s last interval; a figure is null until two readings of it exist',
  fields: (t) => ({
    vmId: t.id({ resolve: (s) => encodeGlobalID('Vm', s.vmId) }),
    at: t.field({ type: 'DateTime', resolve: (s) => new Date(s.at) }),
    ...Object.fromEntries(VM_FIELDS.map((f) => [f, t.float({ nullable: true, description: DESCRIPTIONS[f], resolve: (s) => s[f] })])),
    disks: t.field({ type: [DiskRatesRef], resolve: (s) => s.disks }),
    nics: t.field({ type: [NicRatesRef], resolve: (s) => s.nics }),
  }),
});

const HostMetricSampleRef = builder.objectRef<HostSample>('HostMetricSample').implement({
  description: 'A host\u2019s figures over the collector\u2019s last interval (disk and network: the sum over its VMs)',
  fields: (t) => ({
    hostId: t.id({ resolve: (s) => encodeGlobalID('Host', s.hostId) }),
    at: t.field({ type: 'DateTime', resolve: (s) => new Date(s.at) }),
    ...Object.fromEntries(HOST_FIELDS.map((f) => [f, t.float({ nullable: true, description: DESCRIPTIONS[f], resolve: (s) => s[f] })])),
  }),
});

const VmStateCountRef = builder.objectRef<{ state: string; count: number }>('VmStateCount').implement({
  fields: (t) => ({ state: t.field({ type: VmStateEnum, resolve: (c) => c.state as 'running' }), count: t.exposeInt('count') }),
});

const ClusterMetricsRef = builder.objectRef<ClusterMetrics>('ClusterMetrics').implement({
  description: 'Totals for a dashboard: everything with VM.ViewAll, otherwise your own VMs; host figures need Host.View',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (c) => c.at }),
    hostsUp: t.exposeInt('hostsUp', { nullable: true, description: 'Online and not in maintenance' }),
    hostsTotal: t.exposeInt('hostsTotal', { nullable: true }),
    cpusTotal: t.exposeInt('cpusTotal', { nullable: true, description: 'Physical CPUs of the hosts that are up' }),
    vcpusTotal: t.exposeInt('vcpusTotal', { nullable: true, description: 'Allocatable vCPUs of the hosts that are up: each host\u2019s CPUs × its CPU overcommit (Host.capacity)' }),
    memoryTotalBytes: t.exposeFloat('memoryTotalBytes', { nullable: true, description: 'Physical memory of the hosts that are up' }),
    memoryAllocatableBytes: t.exposeFloat('memoryAllocatableBytes', { nullable: true, description: 'Allocatable memory of the hosts that are up: each host\u2019s memory × its memory overcommit' }),
    memoryUsedBytes: t.exposeFloat('memoryUsedBytes', { nullable: true }),
    cpuPercent: t.exposeFloat('cpuPercent', { nullable: true, description: 'Of all cores of the hosts that are up' }),
    vmsByState: t.field({ type: [VmStateCountRef], resolve: (c) => c.vmsByState }),
    vcpusAllocated: t.exposeInt('vcpusAllocated'),
    memoryAllocatedBytes: t.exposeFloat('memoryAllocatedBytes'),
    diskAllocatedBytes: t.exposeFloat('diskAllocatedBytes'),
    busiestVms: t.field({ type: [VmMetricSampleRef], description: 'Running VMs using the most CPU, busiest first', resolve: (c) => c.busiestVms }),
  }),
});

const MetricSeriesRef = builder.objectRef<MetricSeries>('MetricSeries').implement({
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The sample field, such as cpuPercent' }),
    avg: t.floatList({ nullable: { list: false, items: true }, resolve: (s) => s.avg }),
    max: t.floatList({ nullable: { list: false, items: true }, description: 'The highest sample in each point (raw samples: the sample)', resolve: (s) => s.max }),
  }),
});

const MetricHistoryRef = builder.objectRef<MetricHistory>('MetricHistory').implement({
  description: 'Figures over a time range, as columns ready to plot (uPlot takes [times, ...series])',
  fields: (t) => ({
    resolutionSeconds: t.exposeInt('resolutionSeconds', { description: 'The collector\u2019s interval for raw samples, else 60 or 3600' }),
    times: t.exposeFloatList('times', { description: 'Seconds since the epoch, one per point' }),
    series: t.field({ type: [MetricSeriesRef], resolve: (h) => h.series }),
  }),
});

const MAX_RANGE_MS = 400 * 86400_000;

function rangeOf(from: Date, to: Date | null | undefined): { from: Date; to: Date } {
  const end = to ?? new Date();
  if (end.getTime() <= from.getTime()) throw ValidationError.forField('to', 'to must be after from');
  if (end.getTime() - from.getTime() > MAX_RANGE_MS) throw ValidationError.forField('from', 'the range can be at most 400 days');
  return { from, to: end };
}

builder.objectField(VmRef, 'metrics', (t) =>
  t.field({
    type: MetricHistoryRef,
    description: 'CPU, memory, disk and network between two times, at the finest resolution kept that gives at most 1,500 points',
    args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime', description: 'Default: now' }) },
    resolve: (vm, args, ctx) => {
      const { from, to } = rangeOf(args.from, args.to);
      return metricHistory(ctx.db, ctx.config, 'vm', vm.id, from, to);
    },
  }),
);

builder.objectField(VmRef, 'latestMetrics', (t) =>
  t.loadable({
    type: VmMetricSampleRef,
    nullable: true,
    description: 'The VM\u2019s newest sample if the collector took it in the last three intervals (null: stopped, or not sampled yet); for lists, loaded for a page at once. disks and nics are empty here',
    resolve: (vm) => vm.id,
    load: (ids: string[], ctx) => latestVmSamples(ctx.db, ctx.config, ids),
  }),
);

builder.objectField(HostRef, 'metrics', (t) =>
  t.field({
    type: MetricHistoryRef,
    description: 'The host\u2019s figures between two times, at the finest resolution kept that gives at most 1,500 points',
    args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime', description: 'Default: now' }) },
    resolve: (host, args, ctx) => {
      const { from, to } = rangeOf(args.from, args.to);
      return metricHistory(ctx.db, ctx.config, 'host', host.id, from, to);
    },
  }),
);

builder.queryField('clusterMetricsHistory', (t) =>
  t.field({
    type: MetricHistoryRef,
    description: 'The hosts\u2019 CPU (weighted by their CPUs; series cpuPercent) and memory (summed; memoryUsedBytes, memoryTotalBytes) between two times, at the resolution a host\u2019s chart of the range has; max repeats avg',
    authScopes: { privilege: 'Host.View' },
    args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime', description: 'Default: now' }) },
    resolve: (_root, args, ctx) => {
      const { from, to } = rangeOf(args.from, args.to);
      return clusterMetricHistory(ctx.db, ctx.config, from, to);
    },
  }),
);

builder.subscriptionFields((t) => ({
  vmMetrics: t.field({
    type: VmMetricSampleRef,
    description: 'The VM\u2019s rates each time the collector samples it (a slow client gets the latest only)',
    authScopes: { authenticated: true },
    // A result depends on the sample and the selection only: sockets asking alike share it (http/sockets.ts).
    extensions: { sharedResults: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, ctx) => {
      const vmId = idOf(String(id), 'Vm');
      const [vm] = await vms.vmsByIds(ctx.db, [vmId]);
      if (!vm || !vms.canSeeVm(ctx.viewer, vm)) throw new NotFoundError('The VM');
      // Rights are fixed for a socket's life: a change of them closes it (http/sockets.ts).
      return sharedLatest(ctx.pubsub, `metrics:vm:${vmId}`, () => ctx.pubsub.subscribe('metrics:vm', vmId));
    },
    resolve: (sample) => sample,
  }),
  hostMetrics: t.field({
    type: HostMetricSampleRef,
    description: 'The host\u2019s figures each time the collector samples it (a slow client gets the latest only)',
    authScopes: { privilege: 'Host.View' },
    extensions: { sharedResults: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, ctx) => {
      const hostId = idOf(String(id), 'Host');
      const [host] = await hostsByIds(ctx.db, [hostId]);
      if (!host || !hasPrivilege(ctx.viewer, 'Host.View')) throw new NotFoundError('The host');
      return sharedLatest(ctx.pubsub, `metrics:host:${hostId}`, () => ctx.pubsub.subscribe('metrics:host', hostId));
    },
    resolve: (sample) => sample,
  }),
  clusterMetrics: t.field({
    type: ClusterMetricsRef,
    description: 'Dashboard totals now and then once per collector interval',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => clusterMetricsFeed(ctx.db, ctx.config, ctx.viewer!),
    resolve: (totals) => totals,
  }),
}));
