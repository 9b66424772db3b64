// Turns successive counter readings of one host into rates. Each group of counters (cpu, network,
// disks) keeps its own baseline and time, so disk rates span the time between two slow readings
// while cpu and network span one interval. Figures of a group absent from a reading (disks and
// memory in fast readings) keep their last values.

import type { BlockCounters, DomainCounters, HostReading, NicCounters, NodeCounters } from '../hypervisor/domstats.ts';
import type { DiskRates, NicRates, VmRates } from '../events/samples.ts';

const RUNNING = 1;

export interface HostRatesResult {
  /** By domain name. Arrays inside may be shared with earlier results: treat them as read-only. */
  vms: Map<string, VmRates>;
  host: { cpuPercent: number | null; memoryUsedBytes: number | null; memoryTotalBytes: number | null };
}

interface DomainHistory {
  /** The observe() call that last saw the domain; older ones are forgotten. */
  seenRound: number;
  cpuAt: number;
  cpuTimeNs: number | null;
  /** The last vcpu.current read (--vcpu is only in slow readings); 0 when never read. */
  vcpus: number;
  nicAt: number;
  nics: NicCounters[] | null;
  blockAt: number;
  blocks: BlockCounters[] | null;
  /** The rates returned last time: absent groups carry their figures from here. */
  last: VmRates | null;
}

const NO_DISKS: DiskRates[] = [];
const NO_NICS: NicRates[] = [];

function emptyRates(): VmRates {
  return {
    cpuPercent: null,
    memoryUsedBytes: null,
    memoryAvailableBytes: null,
    diskReadBytesPerSecond: null,
    diskWriteBytesPerSecond: null,
    diskReadOpsPerSecond: null,
    diskWriteOpsPerSecond: null,
    netRxBytesPerSecond: null,
    netTxBytesPerSecond: null,
    netRxPacketsPerSecond: null,
    netTxPacketsPerSecond: null,
    disks: NO_DISKS,
    nics: NO_NICS,
  };
}

/** The previous entry of the device named `name`; devices usually keep their index, so look there first. */
function previousOf<T extends { name: string }>(previous: T[], index: number, name: string): T | undefined {
  if (index < previous.length && previous[index].name === name) return previous[index];
  for (let i = 0; i < previous.length; i++) if (previous[i].name === name) return previous[i];
  return undefined;
}

/** The VmRates figures that are numbers (or null until known). */
type RateFigure = { [F in keyof VmRates]: VmRates[F] extends number | null ? F : never }[keyof VmRates];

/** A group of devices: where VmRates lists them, and each counter with the figure that sums its rate over them. */
interface DeviceGroup<C extends string> {
  list: 'nics' | 'disks';
  figures: Record<C, RateFigure>;
}

const NICS: DeviceGroup<'rxBytes' | 'txBytes' | 'rxPackets' | 'txPackets'> = {
  list: 'nics',
  figures: { rxBytes: 'netRxBytesPerSecond', txBytes: 'netTxBytesPerSecond', rxPackets: 'netRxPacketsPerSecond', txPackets: 'netTxPacketsPerSecond' },
};
const DISKS: DeviceGroup<'readBytes' | 'writeBytes' | 'readOps' | 'writeOps'> = {
  list: 'disks',
  figures: { readBytes: 'diskReadBytesPerSecond', writeBytes: 'diskWriteBytesPerSecond', readOps: 'diskReadOpsPerSecond', writeOps: 'diskWriteOpsPerSecond' },
};

/**
 * Fills a device group's figures over `seconds`: each device's rates (matched to the previous
 * reading by name) and their sums; all stay null when a counter went backwards or no device matched.
 */
function fillDeviceRates<C extends string>(rates: VmRates, group: DeviceGroup<C>, now: ({ name: string } & Record<C, number>)[], previous: ({ name: string } & Record<C, number>)[], seconds: number): void {
  const counters = Object.keys(group.figures) as C[];
  const totals = counters.map(() => 0);
  const devices: Record<string, string | number>[] = [];
  for (let i = 0; i < now.length; i++) {
    const current = now[i];
    const before = previousOf(previous, i, current.name);
    if (before === undefined) continue; // plugged since the last reading
    if (counters.some((c) => current[c] < before[c])) return;
    const device: Record<string, string | number> = { name: current.name };
    counters.forEach((c, k) => {
      const rate = (current[c] - before[c]) / seconds;
      device[`${c}PerSecond`] = rate;
      totals[k] += rate;
    });
    devices.push(device);
  }
  if (devices.length === 0 && now.length > 0) return;
  counters.forEach((c, k) => (rates[group.figures[c]] = totals[k]));
  rates[group.list] = devices as unknown as NicRates[] & DiskRates[];
}

/** A reading without this group's counters keeps the figures of the last one. */
function carryDeviceRates<C extends string>(rates: VmRates, group: DeviceGroup<C>, carried: VmRates): void {
  for (const figure of Object.values<RateFigure>(group.figures)) rates[figure] = carried[figure];
  rates[group.list] = carried[group.list] as NicRates[] & DiskRates[];
}

export class HostRates {
  private readonly domains = new Map<string, DomainHistory>();
  private round = 0;
  private node: NodeCounters | null = null;

  observe(reading: HostReading, at: number, vcpusOf?: (domainName: string) => number | undefined): HostRatesResult {
    const round = ++this.round;
    const vms = new Map<string, VmRates>();
    for (const counters of reading.domains) {
      let history = this.domains.get(counters.name);
      if (history === undefined) {
        history = { seenRound: round, cpuAt: 0, cpuTimeNs: null, vcpus: 0, nicAt: 0, nics: null, blockAt: 0, blocks: null, last: null };
        this.domains.set(counters.name, history);
      }
      history.seenRound = round;
      const rates = this.domainRates(counters, history, at, vcpusOf);
      history.last = rates;
      vms.set(counters.name, rates);
    }
    if (this.domains.size > vms.size) {
      for (const [name, history] of this.domains) if (history.seenRound !== round) this.domains.delete(name);
    }
    return { vms, host: this.hostFigures(reading.node) };
  }

  private domainRates(counters: DomainCounters, history: DomainHistory, at: number, vcpusOf: ((domainName: string) => number | undefined) | undefined): VmRates {
    const rates = emptyRates();
    // A domain that is not running has no rates; forgetting its baselines makes its next start a
    // fresh baseline rather than a jump.
    if (counters.state !== null && counters.state !== RUNNING) {
      history.cpuTimeNs = null;
      history.nics = null;
      history.blocks = null;
      return rates;
    }
    const last = history.last;

    if (counters.vcpus !== null && counters.vcpus > 0) history.vcpus = counters.vcpus;
    if (counters.cpuTimeNs !== null) {
      const previous = history.cpuTimeNs;
      if (previous !== null && counters.cpuTimeNs < previous) {
        // The QEMU process was replaced: every counter started again.
        history.nics = null;
        history.blocks = null;
        history.last = null;
      } else if (previous !== null && at > history.cpuAt) {
        const vcpus = counters.vcpus || history.vcpus || vcpusOf?.(counters.name) || 1;
        const percent = ((counters.cpuTimeNs - previous) / ((at - history.cpuAt) * 1e6 * vcpus)) * 100;
        rates.cpuPercent = percent > 100 ? 100 : percent;
      }
      history.cpuTimeNs = counters.cpuTimeNs;
      history.cpuAt = at;
    } else if (last !== null) {
      rates.cpuPercent = last.cpuPercent;
    }
    const carried = history.last;

    if (counters.nics !== null) {
      if (history.nics !== null && at > history.nicAt) fillDeviceRates(rates, NICS, counters.nics, history.nics, (at - history.nicAt) / 1000);
      history.nics = counters.nics;
      history.nicAt = at;
    } else if (carried !== null) {
      carryDeviceRates(rates, NICS, carried);
    }

    if (counters.blocks !== null) {
      const blockAt = counters.blocksAt ?? at;
      if (history.blocks !== null && blockAt > history.blockAt) fillDeviceRates(rates, DISKS, counters.blocks, history.blocks, (blockAt - history.blockAt) / 1000);
      history.blocks = counters.blocks;
      history.blockAt = blockAt;
    } else if (carried !== null) {
      carryDeviceRates(rates, DISKS, carried);
    }

    const balloon = counters.balloon;
    if (balloon !== null) {
      const availableKiB = balloon.availableKiB ?? balloon.currentKiB;
      rates.memoryAvailableBytes = availableKiB * 1024;
      if (balloon.availableKiB !== null && balloon.usableKiB !== null) {
        const usedKiB = balloon.availableKiB - balloon.usableKiB;
        rates.memoryUsedBytes = usedKiB > 0 ? usedKiB * 1024 : 0;
      }
    } else if (carried !== null) {
      rates.memoryAvailableBytes = carried.memoryAvailableBytes;
      rates.memoryUsedBytes = carried.memoryUsedBytes;
    }
    return rates;
  }

  private hostFigures(node: NodeCounters | null): HostRatesResult['host'] {
    if (node === null) return { cpuPercent: null, memoryUsedBytes: null, memoryTotalBytes: null };
    const { cpu, memory } = node;
    let cpuPercent: number | null = null;
    const previous = this.node;
    if (previous !== null) {
      const busy = cpu.userNs + cpu.systemNs - (previous.cpu.userNs + previous.cpu.systemNs);
      const total = busy + cpu.idleNs + cpu.iowaitNs - (previous.cpu.idleNs + previous.cpu.iowaitNs);
      if (busy >= 0 && total > 0 && total >= busy) cpuPercent = (busy / total) * 100;
    }
    this.node = node;
    const usedKiB = memory.totalKiB - memory.freeKiB - memory.buffersKiB - memory.cachedKiB;
    return { cpuPercent, memoryUsedBytes: (usedKiB > 0 ? usedKiB : 0) * 1024, memoryTotalBytes: memory.totalKiB * 1024 };
  }
}
