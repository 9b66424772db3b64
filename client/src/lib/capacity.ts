// How a host's or the cluster's allocatable capacity is reached, said the same way on every page.
// The figures themselves come from the server (Host.capacity, ClusterMetrics.vcpusTotal).
import { mib } from './format.ts';

export interface CapacityFigures {
  cpus: number;
  cpuOvercommit: number;
  memoryMb: number;
  memoryOvercommit: number;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "2 CPUs × 4 overcommit"; hosts with different overcommits: "10 CPUs, overcommit per host". */
export function vcpuNote(hosts: CapacityFigures[]): string {
  const cpus = hosts.reduce((a, h) => a + h.cpus, 0);
  const overcommits = new Set(hosts.map((h) => h.cpuOvercommit));
  if (overcommits.size > 1) return `${plural(cpus, 'CPU')}, overcommit per host`;
  return `${plural(cpus, 'CPU')} × ${[...overcommits][0] ?? 1} overcommit`;
}

/** "4 GiB × 1.5 overcommit", or nothing when memory is not overcommitted. */
export function memoryNote(hosts: CapacityFigures[]): string | undefined {
  if (hosts.every((h) => h.memoryOvercommit === 1)) return undefined;
  const memoryMb = hosts.reduce((a, h) => a + h.memoryMb, 0);
  const overcommits = new Set(hosts.map((h) => h.memoryOvercommit));
  return overcommits.size > 1 ? `${mib(memoryMb)}, overcommit per host` : `${mib(memoryMb)} × ${[...overcommits][0]} overcommit`;
}
