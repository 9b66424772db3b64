import type { HostRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import { capabilitiesOf, settingsOf } from './hosts.ts';

// What a host can give out: its CPUs and memory times the host's overcommit. The one definition
// placement, the host page and the dashboard share (the dashboard once counted physical CPUs and
// the host page allocatable vCPUs: "1 of 2" beside "1 of 8").

export interface HostCapacity {
  /** Physical CPUs (threads) the host reports. */
  cpus: number;
  cpuOvercommit: number;
  /** vCPUs the host may give out: cpus × cpuOvercommit, rounded down. */
  vcpus: number;
  /** Physical memory. */
  memoryMb: number;
  memoryOvercommit: number;
  /** Memory the host may give out: memoryMb × memoryOvercommit, rounded down. */
  allocatableMemoryMb: number;
}

export function hostCapacity(host: Pick<HostRow, 'capabilities' | 'settings'>, config: Pick<Config, 'hostConcurrency'>): HostCapacity {
  const capabilities = capabilitiesOf(host);
  const settings = settingsOf(host, config);
  const cpus = capabilities.cpus ?? 0;
  const memoryMb = capabilities.memoryMb ?? 0;
  return {
    cpus,
    cpuOvercommit: settings.cpuOvercommit,
    vcpus: Math.floor(cpus * settings.cpuOvercommit + 1e-9),
    memoryMb,
    memoryOvercommit: settings.memoryOvercommit,
    allocatableMemoryMb: Math.floor(memoryMb * settings.memoryOvercommit + 1e-9),
  };
}
