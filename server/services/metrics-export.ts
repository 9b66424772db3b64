import { sql } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { HostMetricSamplesTable, VmMetricSamplesTable } from '../../db/types.ts';
import { columnOf, HOST_FIELDS, VM_FIELDS } from '../events/samples.ts';
import type { Config } from '../config.ts';
import { capabilitiesOf, settingsOf } from './hosts.ts';
import { COUNTER_COLUMNS, type CounterColumn } from './metric-counters.ts';

export type VmSampleColumn = Exclude<keyof VmMetricSamplesTable, 'vm_id' | 'at'>;
export type HostSampleColumn = Exclude<keyof HostMetricSamplesTable, 'host_id' | 'at'>;
export const VM_SAMPLE_COLUMNS = VM_FIELDS.map(columnOf) as VmSampleColumn[];
export const HOST_SAMPLE_COLUMNS = HOST_FIELDS.map(columnOf) as HostSampleColumn[];

/** A sample older than this many collector intervals is stale: its owner shows no figures. */
export const STALE_AFTER_INTERVALS = 3;

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

export interface VmMetricsExport {
  id: string;
  name: string;
  state: string;
  hostId: string | null;
  hostName: string | null;
  vcpus: number;
  memoryBytes: number;
  diskBytes: number;
  /** Null without a recent sample; a figure is null when no recent sample has it. */
  sample: Record<VmSampleColumn, number | null> | null;
  /** libvirt's cumulative totals since the VM last started; null unless the collector read them recently. */
  counters: Record<CounterColumn, number | null> | null;
}

export interface HostMetricsExport {
  id: string;
  name: string;
  status: string;
  maintenance: boolean;
  /** From the capabilities libvirt reported; null before the host was read. */
  cpus: number | null;
  memoryBytes: number | null;
  /** What placement may hand out: capacity × the host's overcommit ratio. */
  allocatableVcpus: number | null;
  allocatableMemoryBytes: number | null;
  sample: Record<HostSampleColumn, number | null> | null;
}

export interface MetricsExport {
  vms: VmMetricsExport[];
  hosts: HostMetricsExport[];
}

/**
 * The newest value of a column among the recent samples of each owner. A figure read only every
 * few intervals (HANGAR_METRICS_SLOW_EVERY) may be null in the newest row while an older recent row has it.
 */
function newestOf<C extends string>(column: C) {
  return sql<number | null>`(array_agg(${sql.ref(column)} order by ${sql.ref('at')} desc) filter (where ${sql.ref(column)} is not null))[1]`.as(column);
}

/**
 * Every VM not deleted and every host, with their allocation and capacity and their latest recent
 * sample: one query per table, whatever the number of VMs.
 */
export async function readMetricsExport(db: Db, config: Pick<Config, 'metrics' | 'hostConcurrency'>, now = Date.now()): Promise<MetricsExport> {
  const cutoff = new Date(now - STALE_AFTER_INTERVALS * config.metrics.intervalMs);
  const [vmRows, hostRows, vmSamples, hostSamples, vmCounters] = await Promise.all([
    db
      .selectFrom('vms')
      .select(['id', 'name', 'state', 'host_id', 'vcpus', 'memory_mb', 'disk_gb'])
      .where('deleted_at', 'is', null)
      .where('state', '<>', 'deleted')
      .orderBy('name')
      .orderBy('id')
      .execute(),
    db.selectFrom('hosts').select(['id', 'name', 'status', 'maintenance', 'capabilities', 'settings']).orderBy('name').execute(),
    db
      .selectFrom('vm_metric_samples')
      .select(['vm_id', ...VM_SAMPLE_COLUMNS.map(newestOf)])
      .where('at', '>', cutoff)
      .groupBy('vm_id')
      .execute(),
    db
      .selectFrom('host_metric_samples')
      .select(['host_id', ...HOST_SAMPLE_COLUMNS.map(newestOf)])
      .where('at', '>', cutoff)
      .groupBy('host_id')
      .execute(),
    // Totals of a VM that stopped (or whose host went unread) are not exported: its series end.
    db.selectFrom('vm_metric_counters').select(['vm_id', ...COUNTER_COLUMNS]).where('at', '>', cutoff).execute(),
  ]);

  const vmSampleOf = new Map(vmSamples.map((row) => [row.vm_id, pick(row, VM_SAMPLE_COLUMNS)]));
  const vmCountersOf = new Map(vmCounters.map((row) => [row.vm_id, pick(row, COUNTER_COLUMNS)]));
  const hostSampleOf = new Map(hostSamples.map((row) => [row.host_id, pick(row, HOST_SAMPLE_COLUMNS)]));
  const hostNameOf = new Map(hostRows.map((h) => [h.id, h.name]));

  return {
    vms: vmRows.map((vm) => ({
      id: vm.id,
      name: vm.name,
      state: vm.state,
      hostId: vm.host_id,
      hostName: vm.host_id ? (hostNameOf.get(vm.host_id) ?? null) : null,
      vcpus: vm.vcpus,
      memoryBytes: vm.memory_mb * MiB,
      diskBytes: vm.disk_gb * GiB,
      sample: vmSampleOf.get(vm.id) ?? null,
      counters: vmCountersOf.get(vm.id) ?? null,
    })),
    hosts: hostRows.map((host) => {
      const caps = capabilitiesOf(host);
      const settings = settingsOf(host, config);
      const cpus = typeof caps.cpus === 'number' && caps.cpus > 0 ? caps.cpus : null;
      const memoryMb = typeof caps.memoryMb === 'number' && caps.memoryMb > 0 ? caps.memoryMb : null;
      return {
        id: host.id,
        name: host.name,
        status: host.status,
        maintenance: host.maintenance,
        cpus,
        memoryBytes: memoryMb === null ? null : memoryMb * MiB,
        allocatableVcpus: cpus === null ? null : cpus * settings.cpuOvercommit,
        allocatableMemoryBytes: memoryMb === null ? null : Math.floor(memoryMb * settings.memoryOvercommit) * MiB,
        sample: hostSampleOf.get(host.id) ?? null,
      };
    }),
  };
}

function pick<C extends string>(row: Record<string, unknown>, columns: readonly C[]): Record<C, number | null> {
  const figures = {} as Record<C, number | null>;
  for (const column of columns) {
    const value = row[column];
    figures[column] = value === null || value === undefined ? null : Number(value);
  }
  return figures;
}
