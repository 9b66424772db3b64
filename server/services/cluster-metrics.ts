import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import { columnOf, VM_FIELDS, type VmSample } from '../events/samples.ts';
import type { Config } from '../config.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import { hostCapacity } from './host-capacity.ts';
import { resolutionFor, type MetricHistory } from './metrics.ts';
import { totalDiskGb } from './vm-disk-rows.ts';

// The dashboard's totals, computed from the database once per interval per API process however
// many dashboards are open, and cut to what each viewer may see.

export interface ClusterMetrics {
  at: Date;
  /** Host figures need Host.View; null for others. */
  hostsUp: number | null;
  hostsTotal: number | null;
  /** Physical CPUs of the hosts that are up. */
  cpusTotal: number | null;
  /** Allocatable vCPUs of the hosts that are up (each host's CPUs × its overcommit, as placement counts). */
  vcpusTotal: number | null;
  memoryTotalBytes: number | null;
  /** Allocatable memory of the hosts that are up (each host's memory × its overcommit). */
  memoryAllocatableBytes: number | null;
  memoryUsedBytes: number | null;
  cpuPercent: number | null;
  vmsByState: Array<{ state: string; count: number }>;
  vcpusAllocated: number;
  memoryAllocatedBytes: number;
  diskAllocatedBytes: number;
  busiestVms: VmSample[];
}

interface Snapshot {
  at: Date;
  hosts: Array<{ id: string; up: boolean; cpus: number; vcpus: number; memoryMb: number; allocatableMemoryMb: number; cpuPercent: number | null; memoryUsedBytes: number | null }>;
  vmGroups: Array<{ owner_id: string; state: string; count: number; vcpus: number; memory_mb: number; disk_gb: number }>;
  /** Latest samples of running VMs, busiest first. */
  busiest: Array<VmSample & { ownerId: string }>;
}

const BUSIEST = 5;
const snapshots = new WeakMap<Db, { taken: number; value: Promise<Snapshot> }>();

/** Totals for the viewer now, then once per interval, for as long as the consumer pulls them. */
export async function* clusterMetricsFeed(db: Db, config: Config, viewer: Viewer): AsyncGenerator<ClusterMetrics> {
  for (;;) {
    yield totalsFor(viewer, await sharedSnapshot(db, config));
    await sleep(config.metrics.intervalMs, undefined, { ref: false });
  }
}

function sharedSnapshot(db: Db, config: Config): Promise<Snapshot> {
  const cached = snapshots.get(db);
  if (cached && Date.now() - cached.taken < config.metrics.intervalMs / 2) return cached.value;
  const value = takeSnapshot(db, config);
  snapshots.set(db, { taken: Date.now(), value });
  value.catch(() => snapshots.delete(db));
  return value;
}

async function takeSnapshot(db: Db, config: Config): Promise<Snapshot> {
  const recent = sql<Date>`now() - ${`${config.metrics.intervalMs * 3} milliseconds`}::interval`;
  const [hosts, hostSamples, vmGroups, vmSamples] = await Promise.all([
    db.selectFrom('hosts').select(['id', 'status', 'maintenance', 'capabilities', 'settings']).execute(),
    db.selectFrom('host_metric_samples').distinctOn('host_id').select(['host_id', 'cpu_percent', 'memory_used_bytes']).where('at', '>', recent).orderBy('host_id').orderBy('at', 'desc').execute(),
    db
      .selectFrom('vms')
      .select(['owner_id', 'state', sql<number>`count(*)::int`.as('count'), sql<number>`sum(vcpus)::int`.as('vcpus'), sql<number>`sum(memory_mb)::float8`.as('memory_mb'), sql<number>`sum(${totalDiskGb})::float8`.as('disk_gb')])
      .where('deleted_at', 'is', null)
      .groupBy(['owner_id', 'state'])
      .execute(),
    db
      .selectFrom('vm_metric_samples as s')
      .innerJoin('vms as v', 'v.id', 's.vm_id')
      .distinctOn('s.vm_id')
      .selectAll('s')
      .select('v.owner_id')
      .where('s.at', '>', recent)
      .where('v.state', '=', 'running')
      .orderBy('s.vm_id')
      .orderBy('s.at', 'desc')
      .execute(),
  ]);
  const sampleOf = new Map(hostSamples.map((s) => [s.host_id, s]));
  const busiest = vmSamples
    .map((row) => {
      const sample = { vmId: row.vm_id, hostId: '', at: row.at.getTime(), ownerId: row.owner_id, disks: [], nics: [] } as unknown as VmSample & { ownerId: string };
      for (const field of VM_FIELDS) sample[field] = (row as unknown as Record<string, number | null>)[columnOf(field)];
      return sample;
    })
    .sort((a, b) => (b.cpuPercent ?? -1) - (a.cpuPercent ?? -1));
  return {
    at: new Date(),
    hosts: hosts.map((h) => {
      const capacity = hostCapacity(h, config);
      const sample = sampleOf.get(h.id);
      return { id: h.id, up: h.status === 'online' && !h.maintenance, cpus: capacity.cpus, vcpus: capacity.vcpus, memoryMb: capacity.memoryMb, allocatableMemoryMb: capacity.allocatableMemoryMb, cpuPercent: sample?.cpu_percent ?? null, memoryUsedBytes: sample?.memory_used_bytes ?? null };
    }),
    vmGroups,
    busiest,
  };
}

export function totalsFor(viewer: Viewer, snapshot: Snapshot): ClusterMetrics {
  const everything = hasPrivilege(viewer, 'VM.ViewAll');
  const groups = everything ? snapshot.vmGroups : snapshot.vmGroups.filter((g) => g.owner_id === viewer.userId);
  const byState = new Map<string, number>();
  let vcpus = 0;
  let memoryMb = 0;
  let diskGb = 0;
  for (const g of groups) {
    byState.set(g.state, (byState.get(g.state) ?? 0) + g.count);
    vcpus += g.vcpus;
    memoryMb += g.memory_mb;
    diskGb += g.disk_gb;
  }
  const busiest: VmSample[] = [];
  for (const sample of snapshot.busiest) {
    if (busiest.length === BUSIEST) break;
    if (everything || sample.ownerId === viewer.userId) busiest.push(sample);
  }
  const seesHosts = hasPrivilege(viewer, 'Host.View');
  const up = snapshot.hosts.filter((h) => h.up);
  const sampled = up.filter((h) => h.cpuPercent !== null);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    at: snapshot.at,
    hostsUp: seesHosts ? up.length : null,
    hostsTotal: seesHosts ? snapshot.hosts.length : null,
    cpusTotal: seesHosts ? sum(up.map((h) => h.cpus)) : null,
    vcpusTotal: seesHosts ? sum(up.map((h) => h.vcpus)) : null,
    memoryTotalBytes: seesHosts ? sum(up.map((h) => h.memoryMb)) * 1024 * 1024 : null,
    memoryAllocatableBytes: seesHosts ? sum(up.map((h) => h.allocatableMemoryMb)) * 1024 * 1024 : null,
    memoryUsedBytes: seesHosts && sampled.length ? sum(sampled.map((h) => h.memoryUsedBytes ?? 0)) : null,
    // Weighted by cores: a busy 64-core host counts for more than an idle 2-core one.
    cpuPercent: seesHosts && sampled.length ? sum(sampled.map((h) => h.cpuPercent! * h.cpus)) / Math.max(1, sum(sampled.map((h) => h.cpus))) : null,
    vmsByState: [...byState].map(([state, count]) => ({ state, count })).sort((a, b) => a.state.localeCompare(b.state)),
    vcpusAllocated: vcpus,
    memoryAllocatedBytes: memoryMb * 1024 * 1024,
    diskAllocatedBytes: diskGb * 1024 ** 3,
    busiestVms: busiest,
  };
}

const CLUSTER_FIELDS = ['cpuPercent', 'memoryUsedBytes', 'memoryTotalBytes'] as const;

/**
 * The cluster's CPU and memory between two times, from the hosts' samples and rollups at the
 * resolution a host's chart of the same range would use: CPU weighted by each host's CPUs, memory
 * summed. Buckets not rolled up yet come from the raw samples, so the chart reaches now.
 */
export async function clusterMetricHistory(db: Db, config: Config, from: Date, to: Date): Promise<MetricHistory> {
  const resolution = resolutionFor(config, from.getTime(), to.getTime());
  const binSeconds = resolution === 0 ? config.metrics.intervalMs / 1000 : resolution;
  const bin = sql`date_bin(${`${binSeconds} seconds`}::interval, at, timestamptz '2000-01-01 00:00:00+00')`;
  const raw = (after: ReturnType<typeof sql>) => sql`select host_id, ${bin} as b, avg(cpu_percent) as cpu, avg(memory_used_bytes) as used, avg(memory_total_bytes) as total
    from host_metric_samples where at >= ${from} and at <= ${to} ${after} group by 1, 2`;
  // Each host's figure per bucket first (a bucket may hold two of its samples), then the cluster's.
  const perHost =
    resolution === 0
      ? raw(sql``)
      : sql`select host_id, at as b, cpu_percent_avg as cpu, memory_used_bytes_avg as used, memory_total_bytes_avg as total
          from host_metric_rollups where resolution = ${resolution} and at >= ${from} and at <= ${to}
        union all
        ${raw(sql`and at >= coalesce((select max(at) + ${`${resolution} seconds`}::interval from host_metric_rollups where resolution = ${resolution} and at >= ${from} and at <= ${to}), ${from})`)}`;
  const { rows } = await sql<{ t: number; cpu: number | null; used: number | null; total: number | null }>`
    select extract(epoch from p.b)::float8 as t,
      sum(p.cpu * c.cpus) / nullif(sum(c.cpus) filter (where p.cpu is not null), 0) as cpu,
      sum(p.used)::float8 as used, sum(p.total)::float8 as total
    from (${perHost}) p
    left join hosts h on h.id = p.host_id
    cross join lateral (select greatest(coalesce((h.capabilities->>'cpus')::float8, 1), 1) as cpus) c
    group by 1 order by 1`.execute(db);
  const column = { cpuPercent: 'cpu', memoryUsedBytes: 'used', memoryTotalBytes: 'total' } as const;
  return {
    resolutionSeconds: binSeconds,
    times: rows.map((r) => Number(r.t)),
    series: CLUSTER_FIELDS.map((name) => {
      const avg = rows.map((r) => (r[column[name]] == null ? null : Number(r[column[name]])));
      return { name, avg, max: avg };
    }),
  };
}
