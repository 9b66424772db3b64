import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../../db/connection.ts';
import type { HostRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { rollUpAndPrune, storeSamples } from '../services/metrics.ts';
import { COUNTER_COLUMNS, storeCounters, type VmCounterRow } from '../services/metric-counters.ts';
import { FAST_READING, parseHostReading, readWithVirsh, SLOW_READING, type HostReading, type Reading } from '../hypervisor/domstats.ts';
import type { HostSample, VmSample } from '../events/samples.ts';
import { balanceLeases, leaseTiming, releaseLeases, type LeaseTiming } from './leases.ts';
import { HostRates } from './rates.ts';
import { COUNTER_FIELDS, counterTotals } from './counters.ts';

/** Runs a reading's virsh commands on a host; returns their outputs joined by MARKER lines. */
export type ReadHost = (host: HostRow, reading: Reading, timeoutMs: number) => Promise<string>;

const DOMAIN_PREFIX = 'hangar-';
const ROLLUP_EVERY_MS = 60_000;

export interface CollectorDeps {
  db: Db;
  pubsub: PubSub;
  config: Config;
  log: Logger;
  /** Replaces virsh (the benchmark feeds recorded output). */
  readHost?: ReadHost;
  id?: string;
}

/**
 * Samples the hosts this collector holds a lease on, every interval: one domstats per host for
 * all its domains (through a long-lived virsh shell), counters turned into rates, published live
 * and stored. Disk and guest-memory statistics go through QEMU's monitor and can stall on a loaded
 * host, so they are read on their own, every few intervals, with a timeout, and never hold up the
 * CPU and network figures.
 */
export class Collector {
  readonly id: string;
  private readonly deps: CollectorDeps;
  private readonly read: ReadHost;
  private readonly samplers = new Map<string, HostSampler>();
  private readonly timing: LeaseTiming;
  /** When the leases were last renewed (performance.now()). */
  private renewedAt = 0;
  private leaseTimer: NodeJS.Timeout | null = null;
  private rollupTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private balancing = false;

  constructor(deps: CollectorDeps) {
    this.deps = deps;
    this.read = deps.readHost ?? ((host, reading, timeoutMs) => readWithVirsh(host.uri, reading, timeoutMs));
    this.id = deps.id ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.timing = leaseTiming(deps.config.metrics.intervalMs);
  }

  async start(): Promise<void> {
    await this.balance();
    this.leaseTimer = setInterval(() => void this.balance(), this.timing.renewEveryMs);
    this.rollupTimer = setInterval(() => void this.rollUp(), ROLLUP_EVERY_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    if (this.rollupTimer) clearInterval(this.rollupTimer);
    for (const sampler of this.samplers.values()) sampler.stop();
    this.samplers.clear();
    await releaseLeases(this.deps.db, this.id).catch((err: Error) => this.deps.log.warn({ err: err.message }, 'could not release collector leases'));
  }

  /** Hosts this collector samples now. */
  hostIds(): string[] {
    return [...this.samplers.keys()];
  }

  private async balance(): Promise<void> {
    if (this.stopped) return;
    if (this.balancing) return this.stopIfLapsed(); // the last round still waits on the database
    this.balancing = true;
    const { db, log } = this.deps;
    try {
      const held = new Set(await balanceLeases(db, this.id, this.timing));
      this.renewedAt = performance.now();
      if (this.stopped) return;
      for (const [hostId, sampler] of this.samplers) {
        if (!held.has(hostId)) {
          sampler.stop();
          this.samplers.delete(hostId);
          log.info({ hostId }, 'collector gave up a host');
        }
      }
      const added = [...held].filter((id) => !this.samplers.has(id));
      if (added.length === 0) return;
      const hosts = await db.selectFrom('hosts').selectAll().where('id', 'in', added).execute();
      for (const host of hosts) {
        if (this.stopped || this.samplers.has(host.id)) continue;
        const sampler = new HostSampler(host, this.deps, this.read);
        this.samplers.set(host.id, sampler);
        sampler.start();
        log.info({ host: host.name }, 'collector samples a host');
      }
    } catch (error) {
      // Leases simply lapse and another collector takes over.
      log.warn({ err: (error as Error).message }, 'collector could not renew its leases');
      this.stopIfLapsed();
    } finally {
      this.balancing = false;
    }
  }

  /** Leases not renewed for a lease's length may be another collector's now: its hosts are not ours to sample. */
  private stopIfLapsed(): void {
    if (this.samplers.size === 0 || performance.now() - this.renewedAt < this.timing.leaseMs) return;
    for (const sampler of this.samplers.values()) sampler.stop();
    this.samplers.clear();
    this.deps.log.warn('collector stopped sampling: its leases lapsed');
  }

  private async rollUp(): Promise<void> {
    try {
      await rollUpAndPrune(this.deps.db, this.deps.config);
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message }, 'metrics rollup failed');
    }
  }
}

/** One host's sampling loop (exported for the benchmark, which drives it round by round). */
export class HostSampler {
  private readonly host: HostRow;
  private readonly deps: CollectorDeps;
  private readonly read: ReadHost;
  private readonly rates = new HostRates();
  private timer: NodeJS.Timeout | null = null;
  private round = 0;
  private busy = false;
  private slowBusy = false;
  /** The latest disk and guest-memory reading not yet merged into a sample, and when it came back. */
  private slowReading: { reading: HostReading; at: number } | null = null;
  private stopped = false;
  private failing = false;

  constructor(host: HostRow, deps: CollectorDeps, read: ReadHost) {
    this.host = host;
    this.deps = deps;
    this.read = read;
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(tick, this.deps.config.metrics.intervalMs);
      void this.sample();
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One interval. An interval whose reading has not come back yet is skipped, not piled up. */
  async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const { config, db, pubsub, log } = this.deps;
    const interval = config.metrics.intervalMs;
    try {
      const stdout = await this.read(this.host, FAST_READING, Math.max(interval, 2000));
      const at = Date.now();
      // The slow reading starts only now: started together, libvirtd served it first every other
      // interval and the samples came 0.5 s and 1.5 s apart instead of 1 s (seen in CI).
      if (this.round++ % config.metrics.slowEvery === 0) this.readSlow();
      const reading = parseHostReading(stdout);
      if (this.slowReading) {
        mergeSlow(reading, this.slowReading.reading, this.slowReading.at);
        this.slowReading = null;
      }
      // Only VMs of this installation: several Hangars (or other tools) may share a libvirt.
      const rows = await db.selectFrom('vms').select(['id', 'vcpus']).where('host_id', '=', this.host.id).where('deleted_at', 'is', null).execute();
      const known = new Map(rows.map((r) => [r.id, r.vcpus]));
      const { vms, host } = this.rates.observe(reading, at, (name) => known.get(name.slice(DOMAIN_PREFIX.length)));
      const samples: VmSample[] = [];
      let diskRead = 0;
      let diskWrite = 0;
      let netRx = 0;
      let netTx = 0;
      for (const [name, rates] of vms) {
        const vmId = name.startsWith(DOMAIN_PREFIX) ? name.slice(DOMAIN_PREFIX.length) : '';
        if (!known.has(vmId)) continue;
        samples.push({ ...rates, vmId, hostId: this.host.id, at });
        diskRead += rates.diskReadBytesPerSecond ?? 0;
        diskWrite += rates.diskWriteBytesPerSecond ?? 0;
        netRx += rates.netRxBytesPerSecond ?? 0;
        netTx += rates.netTxBytesPerSecond ?? 0;
      }
      const counters: VmCounterRow[] = [];
      let running = 0;
      for (const domain of reading.domains) {
        const vmId = domain.name.startsWith(DOMAIN_PREFIX) ? domain.name.slice(DOMAIN_PREFIX.length) : '';
        if (!known.has(vmId)) continue;
        if (domain.state === 1) running++;
        const totals = counterTotals(domain);
        if (totals === null) continue;
        const values = {} as VmCounterRow['values'];
        COUNTER_FIELDS.forEach((field, i) => (values[COUNTER_COLUMNS[i]] = totals[field]));
        counters.push({ vmId, values });
      }
      const hostSample: HostSample = {
        hostId: this.host.id,
        at,
        ...host,
        vmsRunning: running,
        diskReadBytesPerSecond: diskRead,
        diskWriteBytesPerSecond: diskWrite,
        netRxBytesPerSecond: netRx,
        netTxBytesPerSecond: netTx,
      };
      for (const sample of samples) pubsub.publish('metrics:vm', sample.vmId, sample);
      pubsub.publish('metrics:host', this.host.id, hostSample);
      // Side by side (two pool connections): the totals add no round trip to the interval.
      await Promise.all([storeSamples(db, hostSample, samples), storeCounters(db, at, counters)]);
      if (this.failing) log.info({ host: this.host.name }, 'collector reads the host again');
      this.failing = false;
    } catch (error) {
      // An unreachable host is the worker's to report; the collector only notes it once.
      if (!this.failing) log.warn({ host: this.host.name, err: (error as Error).message }, 'collector could not read a host');
      this.failing = true;
    } finally {
      this.busy = false;
    }
  }

  private readSlow(): void {
    if (this.slowBusy) return;
    this.slowBusy = true;
    const timeoutMs = Math.max(2 * this.deps.config.metrics.intervalMs, 4000);
    this.read(this.host, SLOW_READING, timeoutMs)
      .then((stdout) => (this.slowReading = { reading: parseHostReading(stdout), at: Date.now() }))
      .catch((error: Error) => this.deps.log.debug({ host: this.host.name, err: error.message }, 'slow statistics timed out'))
      .finally(() => (this.slowBusy = false));
  }
}

/** Puts a slow reading's disk and memory groups on the matching domains of a fast reading; disk rates use the slow reading's own time. */
function mergeSlow(reading: HostReading, slow: HostReading, slowAt: number): void {
  const byName = new Map(slow.domains.map((d) => [d.name, d]));
  for (const domain of reading.domains) {
    const other = byName.get(domain.name);
    if (!other) continue;
    domain.blocks = other.blocks;
    domain.blocksAt = slowAt;
    domain.balloon = other.balloon;
  }
}
