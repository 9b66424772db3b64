// The cumulative totals of a domain, as libvirt counts them since its QEMU process started: what
// /metrics exports as `_total` counters. They come straight from the reading (never from the
// collector's own memory), so a restarted collector or another collector taking the host over
// reports the same, ever-growing values; only a restart of the VM starts them again from zero.

import type { DomainCounters } from '../hypervisor/domstats.ts';

export interface CounterTotals {
  cpuSeconds: number | null;
  /** Summed over the domain's disks; null when the reading had no disk statistics (fast readings). */
  diskReadBytes: number | null;
  diskWriteBytes: number | null;
  diskReadOps: number | null;
  diskWriteOps: number | null;
  /** Summed over the domain's NICs. */
  netRxBytes: number | null;
  netTxBytes: number | null;
  netRxPackets: number | null;
  netTxPackets: number | null;
}

export const COUNTER_FIELDS = ['cpuSeconds', 'diskReadBytes', 'diskWriteBytes', 'diskReadOps', 'diskWriteOps', 'netRxBytes', 'netTxBytes', 'netRxPackets', 'netTxPackets'] as const satisfies readonly (keyof CounterTotals)[];

const RUNNING = 1;

function sum<T>(list: readonly T[] | null, of: (item: T) => number): number | null {
  if (list === null) return null;
  let total = 0;
  for (const item of list) total += of(item);
  return total;
}

/** A running domain's totals; null for a domain that is not running (its counters are gone with its process). */
export function counterTotals(domain: DomainCounters): CounterTotals | null {
  if (domain.state !== null && domain.state !== RUNNING) return null;
  if (domain.cpuTimeNs === null && domain.nics === null && domain.blocks === null) return null;
  return {
    cpuSeconds: domain.cpuTimeNs === null ? null : domain.cpuTimeNs / 1e9,
    diskReadBytes: sum(domain.blocks, (b) => b.readBytes),
    diskWriteBytes: sum(domain.blocks, (b) => b.writeBytes),
    diskReadOps: sum(domain.blocks, (b) => b.readOps),
    diskWriteOps: sum(domain.blocks, (b) => b.writeOps),
    netRxBytes: sum(domain.nics, (n) => n.rxBytes),
    netTxBytes: sum(domain.nics, (n) => n.txBytes),
    netRxPackets: sum(domain.nics, (n) => n.rxPackets),
    netTxPackets: sum(domain.nics, (n) => n.txPackets),
  };
}
