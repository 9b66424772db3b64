import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Db } from '../../db/connection.ts';
import { columnOf, HOST_FIELDS, VM_FIELDS, type HostField, type VmField } from '../events/samples.ts';
import type { Config } from '../config.ts';
import { hasPrivilege } from '../services/auth.ts';
import type { CounterColumn } from '../services/metric-counters.ts';
import { readMetricsExport, type HostSampleColumn, type MetricsExport, type VmSampleColumn } from '../services/metrics-export.ts';
import { API_TOKEN_PREFIX } from '../services/secrets.ts';
import type { ViewerDirectory } from '../services/viewers.ts';
import { bearerTokenFrom } from './session-cookie.ts';

interface Deps {
  db: Db;
  config: Config;
  viewers: ViewerDirectory;
}

const VM_FIELD_HELP: Record<VmField, string> = {
  cpuPercent: 'CPU use of the VM in percent, latest collector sample',
  memoryUsedBytes: 'Memory the guest uses, latest collector sample',
  memoryAvailableBytes: 'Memory the guest has available, latest collector sample',
  diskReadBytesPerSecond: 'Bytes read from the VM disks per second, latest collector sample',
  diskWriteBytesPerSecond: 'Bytes written to the VM disks per second, latest collector sample',
  diskReadOpsPerSecond: 'Read operations on the VM disks per second, latest collector sample',
  diskWriteOpsPerSecond: 'Write operations on the VM disks per second, latest collector sample',
  netRxBytesPerSecond: 'Bytes received by the VM NICs per second, latest collector sample',
  netTxBytesPerSecond: 'Bytes sent by the VM NICs per second, latest collector sample',
  netRxPacketsPerSecond: 'Packets received by the VM NICs per second, latest collector sample',
  netTxPacketsPerSecond: 'Packets sent by the VM NICs per second, latest collector sample',
};

const HOST_FIELD_HELP: Record<HostField, string> = {
  cpuPercent: 'CPU use of the host in percent, latest collector sample',
  memoryUsedBytes: 'Memory used on the host, latest collector sample',
  memoryTotalBytes: 'Memory of the host, latest collector sample',
  vmsRunning: 'VMs running on the host, latest collector sample',
  diskReadBytesPerSecond: 'Bytes read by the VMs of the host per second, latest collector sample',
  diskWriteBytesPerSecond: 'Bytes written by the VMs of the host per second, latest collector sample',
  netRxBytesPerSecond: 'Bytes received by the VMs of the host per second, latest collector sample',
  netTxBytesPerSecond: 'Bytes sent by the VMs of the host per second, latest collector sample',
};

/** The cumulative counters, exported as `hangar_vm_<column>_total`: what `rate()` and `increase()` are for. */
const VM_COUNTER_HELP: Record<CounterColumn, string> = {
  cpu_seconds: 'CPU time the VM (its QEMU process) used since it last started, in seconds; restarts from 0 when the VM restarts',
  disk_read_bytes: 'Bytes read from the VM disks since the VM last started',
  disk_write_bytes: 'Bytes written to the VM disks since the VM last started',
  disk_read_ops: 'Read operations on the VM disks since the VM last started',
  disk_write_ops: 'Write operations on the VM disks since the VM last started',
  net_rx_bytes: 'Bytes received by the VM NICs since the VM last started',
  net_tx_bytes: 'Bytes sent by the VM NICs since the VM last started',
  net_rx_packets: 'Packets received by the VM NICs since the VM last started',
  net_tx_packets: 'Packets sent by the VM NICs since the VM last started',
};

const VM_LABELS = ['vm_id', 'vm', 'host_id', 'host'] as const;
const HOST_LABELS = ['host_id', 'host'] as const;

const TEXT_FORMAT = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * GET /metrics: every VM and host in the Prometheus text format, for holders of an API token with
 * Metrics.Read. A session cookie is not enough: scrapers hold tokens, and a browser's cookie should
 * never read the whole fleet.
 */
export async function serveMetrics(req: IncomingMessage, res: ServerResponse, { db, config, viewers }: Deps): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, '/metrics answers GET and HEAD only', { allow: 'GET, HEAD' });
  const token = bearerTokenFrom(req.headers);
  if (!token) {
    return text(res, 401, 'Send an API token with Metrics.Read as "Authorization: Bearer <token>" (a session cookie is not accepted here)', {
      'www-authenticate': 'Bearer realm="hangar"',
    });
  }
  // API tokens only: a session secret lifted out of a browser is no scraper's credential.
  const viewer = token.startsWith(API_TOKEN_PREFIX) ? await viewers.resolve(token) : null;
  if (!viewer) return text(res, 401, 'The Bearer token is invalid, expired or revoked', { 'www-authenticate': 'Bearer realm="hangar", error="invalid_token"' });
  if (!hasPrivilege(viewer, 'Metrics.Read')) {
    return text(res, 403, 'The token lacks the privilege Metrics.Read', { 'www-authenticate': 'Bearer realm="hangar", error="insufficient_scope", scope="Metrics.Read"' });
  }

  const headers = { 'content-type': TEXT_FORMAT, 'cache-control': 'no-store' };
  // HEAD checks the token and the endpoint without the cost of a scrape.
  if (req.method === 'HEAD') return void res.writeHead(200, headers).end();
  const body = await exposition(await readMetricsExport(db, config));
  res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The export in the text format; prom-client escapes label values and HELP texts. */
export async function exposition({ vms, hosts }: MetricsExport): Promise<string> {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Gauge<L>({ name, help, labelNames, registers: [registry] });

  const vmState = gauge('hangar_vm_state', 'The state of the VM: 1 on the series of its current state (running, stopped, paused, error and so on)', [...VM_LABELS, 'state']);
  const vmVcpus = gauge('hangar_vm_vcpus', 'Virtual CPUs allocated to the VM', VM_LABELS);
  const vmMemory = gauge('hangar_vm_memory_bytes', 'Memory allocated to the VM', VM_LABELS);
  const vmDisk = gauge('hangar_vm_disk_bytes', 'Size of the VM disk', VM_LABELS);
  const vmFigures = VM_FIELDS.map((field) => {
    const column = columnOf(field) as VmSampleColumn;
    return { column, gauge: gauge(`hangar_vm_${column}`, VM_FIELD_HELP[field], VM_LABELS) };
  });
  const vmCounters = (Object.keys(VM_COUNTER_HELP) as CounterColumn[]).map((column) => ({
    column,
    counter: new Counter({ name: `hangar_vm_${column}_total`, help: VM_COUNTER_HELP[column], labelNames: VM_LABELS, registers: [registry] }),
  }));
  for (const vm of vms) {
    const labels = { vm_id: vm.id, vm: vm.name, host_id: vm.hostId ?? '', host: vm.hostName ?? '' };
    for (const { column, counter } of vmCounters) {
      const value = vm.counters?.[column];
      // A fresh registry per scrape: inc() from zero sets the total.
      if (value !== null && value !== undefined && value >= 0) counter.inc(labels, value);
    }
    vmState.set({ ...labels, state: vm.state }, 1);
    vmVcpus.set(labels, vm.vcpus);
    vmMemory.set(labels, vm.memoryBytes);
    vmDisk.set(labels, vm.diskBytes);
    for (const { column, gauge } of vmFigures) {
      const value = vm.sample?.[column];
      if (value !== null && value !== undefined) gauge.set(labels, value);
    }
  }

  const hostStatus = gauge('hangar_host_status', 'The status of the host: 1 on the series of its current status (online, offline, error)', [...HOST_LABELS, 'status']);
  const hostMaintenance = gauge('hangar_host_maintenance', '1 while the host is in maintenance (no new VMs are placed on it)', HOST_LABELS);
  const hostCpus = gauge('hangar_host_cpus', 'CPUs of the host, as libvirt reports them', HOST_LABELS);
  const hostMemory = gauge('hangar_host_memory_bytes', 'Memory of the host, as libvirt reports it', HOST_LABELS);
  const hostVcpus = gauge('hangar_host_allocatable_vcpus', 'Virtual CPUs placement may allocate on the host (CPUs times its CPU overcommit)', HOST_LABELS);
  const hostAllocatableMemory = gauge('hangar_host_allocatable_memory_bytes', 'Memory placement may allocate on the host (memory times its memory overcommit)', HOST_LABELS);
  const hostFigures = HOST_FIELDS.map((field) => {
    const column = columnOf(field) as HostSampleColumn;
    return { column, gauge: gauge(`hangar_host_${column}`, HOST_FIELD_HELP[field], HOST_LABELS) };
  });
  for (const host of hosts) {
    const labels = { host_id: host.id, host: host.name };
    hostStatus.set({ ...labels, status: host.status }, 1);
    hostMaintenance.set(labels, host.maintenance ? 1 : 0);
    if (host.cpus !== null) hostCpus.set(labels, host.cpus);
    if (host.memoryBytes !== null) hostMemory.set(labels, host.memoryBytes);
    if (host.allocatableVcpus !== null) hostVcpus.set(labels, host.allocatableVcpus);
    if (host.allocatableMemoryBytes !== null) hostAllocatableMemory.set(labels, host.allocatableMemoryBytes);
    for (const { column, gauge } of hostFigures) {
      const value = host.sample?.[column];
      if (value !== null && value !== undefined) gauge.set(labels, value);
    }
  }
  return registry.metrics();
}

function text(res: ServerResponse, status: number, message: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}
