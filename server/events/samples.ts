// The figures a sample carries, named once (they sit beside the pub/sub topics that carry them, below
// every layer that reads them): the collector computes them, the history tables store
// them (column = snake_case of the name), rollups keep their average and maximum, GraphQL and
// /metrics expose them.

export const VM_FIELDS = [
  'cpuPercent',
  'memoryUsedBytes',
  'memoryAvailableBytes',
  'diskReadBytesPerSecond',
  'diskWriteBytesPerSecond',
  'diskReadOpsPerSecond',
  'diskWriteOpsPerSecond',
  'netRxBytesPerSecond',
  'netTxBytesPerSecond',
  'netRxPacketsPerSecond',
  'netTxPacketsPerSecond',
] as const;

export const HOST_FIELDS = [
  'cpuPercent',
  'memoryUsedBytes',
  'memoryTotalBytes',
  'vmsRunning',
  'diskReadBytesPerSecond',
  'diskWriteBytesPerSecond',
  'netRxBytesPerSecond',
  'netTxBytesPerSecond',
] as const;

export type VmField = (typeof VM_FIELDS)[number];
export type HostField = (typeof HOST_FIELDS)[number];

export interface DiskRates {
  name: string;
  readBytesPerSecond: number;
  writeBytesPerSecond: number;
  readOpsPerSecond: number;
  writeOpsPerSecond: number;
}

export interface NicRates {
  name: string;
  rxBytesPerSecond: number;
  txBytesPerSecond: number;
  rxPacketsPerSecond: number;
  txPacketsPerSecond: number;
}

/** One VM's rates over the last interval. A figure is null until two readings of it exist. */
export type VmRates = Record<VmField, number | null> & { disks: DiskRates[]; nics: NicRates[] };

/** What is published live and stored: a VM's rates at a time (ms since the epoch). */
export interface VmSample extends VmRates {
  vmId: string;
  hostId: string;
  at: number;
}

export type HostSample = Record<HostField, number | null> & { hostId: string; at: number };

/** `diskReadBytesPerSecond` → `disk_read_bytes_per_second`. */
export function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
