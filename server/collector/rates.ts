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
      this.nicRates(counters.nics, history, at, rates);
      history.nics = counters.nics;
      history.nicAt = at;
    } else if (carried !== null) {
      rates.netRxBytesPerSecond = carried.netRxBytesPerSecond;
      rates.netTxBytesPerSecond = carried.netTxBytesPerSecond;
      rates.netRxPacketsPerSecond = carried.netRxPacketsPerSecond;
      rates.netTxPacketsPerSecond = carried.netTxPacketsPerSecond;
      rates.nics = carried.nics;
    }

    if (counters.blocks !== null) {
      const blockAt = counters.blocksAt ?? at;
      this.diskRates(counters.blocks, history, blockAt, rates);
      history.blocks = counters.blocks;
      history.blockAt = blockAt;
    } else if (carried !== null) {
      rates.diskReadBytesPerSecond = carried.diskReadBytesPerSecond;
      rates.diskWriteBytesPerSecond = carried.diskWriteBytesPerSecond;
      rates.diskReadOpsPerSecond = carried.diskReadOpsPerSecond;
      rates.diskWriteOpsPerSecond = carried.diskWriteOpsPerSecond;
      rates.disks = carried.disks;
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

  /** Fills the network figures; all null when there is no baseline or a counter went backwards. */
  private nicRates(nics: NicCounters[], history: DomainHistory, at: number, rates: VmRates): void {
    const previous = history.nics;
    if (previous === null || at <= history.nicAt) return;
    const seconds = (at - history.nicAt) / 1000;
    let rxBytes = 0;
    let txBytes = 0;
    let rxPackets = 0;
    let txPackets = 0;
    let matched = 0;
    const perNic: NicRates[] = [];
    for (let i = 0; i < nics.length; i++) {
      const now = nics[i];
      const before = previousOf(previous, i, now.name);
      if (before === undefined) continue; // plugged since the last reading
      if (now.rxBytes < before.rxBytes || now.txBytes < before.txBytes || now.rxPackets < before.rxPackets || now.txPackets < before.txPackets) return;
      const nic: NicRates = {
        name: now.name,
        rxBytesPerSecond: (now.rxBytes - before.rxBytes) / seconds,
        txBytesPerSecond: (now.txBytes - before.txBytes) / seconds,
        rxPacketsPerSecond: (now.rxPackets - before.rxPackets) / seconds,
        txPacketsPerSecond: (now.txPackets - before.txPackets) / seconds,
      };
      perNic.push(nic);
      rxBytes += nic.rxBytesPerSecond;
      txBytes += nic.txBytesPerSecond;
      rxPackets += nic.rxPacketsPerSecond;
      txPackets += nic.txPacketsPerSecond;
      matched++;
    }
    if (matched === 0 && nics.length > 0) return;
    rates.netRxBytesPerSecond = rxBytes;
    rates.netTxBytesPerSecond = txBytes;
    rates.netRxPacketsPerSecond = rxPackets;
    rates.netTxPacketsPerSecond = txPackets;
    rates.nics = perNic;
  }

  /** Fills the disk figures over the time since the last reading that had disks. */
  private diskRates(blocks: BlockCounters[], history: DomainHistory, at: number, rates: VmRates): void {
    const previous = history.blocks;
    if (previous === null || at <= history.blockAt) return;
    const seconds = (at - history.blockAt) / 1000;
    let readBytes = 0;
    let writeBytes = 0;
    let readOps = 0;
    let writeOps = 0;
    let matched = 0;
    const perDisk: DiskRates[] = [];
    for (let i = 0; i < blocks.length; i++) {
      const now = blocks[i];
      const before = previousOf(previous, i, now.name);
      if (before === undefined) continue;
      if (now.readBytes < before.readBytes || now.writeBytes < before.writeBytes || now.readOps < before.readOps || now.writeOps < before.writeOps) return;
      const disk: DiskRates = {
        name: now.name,
        readBytesPerSecond: (now.readBytes - before.readBytes) / seconds,
        writeBytesPerSecond: (now.writeBytes - before.writeBytes) / seconds,
        readOpsPerSecond: (now.readOps - before.readOps) / seconds,
        writeOpsPerSecond: (now.writeOps - before.writeOps) / seconds,
      };
      perDisk.push(disk);
      readBytes += disk.readBytesPerSecond;
      writeBytes += disk.writeBytesPerSecond;
      readOps += disk.readOpsPerSecond;
      writeOps += disk.writeOpsPerSecond;
      matched++;
    }
    if (matched === 0 && blocks.length > 0) return;
    rates.diskReadBytesPerSecond = readBytes;
    rates.diskWriteBytesPerSecond = writeBytes;
    rates.diskReadOpsPerSecond = readOps;
    rates.diskWriteOpsPerSecond = writeOps;
    rates.disks = perDisk;
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
