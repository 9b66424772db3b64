// Metric history and collector leases on both databases, without libvirt: samples stored,
// rolled up to 1 minute and 1 hour, pruned, read back as plot-ready series; hosts shared out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { balanceLeases, leaseHolders, leaseTiming, releaseLeases } from '../../server/collector/leases.ts';
import { VM_FIELDS, type HostSample, type VmSample } from '../../server/events/samples.ts';
import { metricHistory, resolutionFor, rollUpAndPrune, storeSamples } from '../../server/services/metrics.ts';
import { clusterMetricHistory } from '../../server/services/cluster-metrics.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../db/connection.ts';
import { Collector } from '../../server/collector/collector.ts';
import { createEventBus } from '../../server/events/pubsub.ts';
import { createLogger } from '../../server/log.ts';
import { BACKENDS, useTestHangar } from '../support/hangar.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function vmSample(vmId: string, hostId: string, at: number, cpu: number): VmSample {
  const figures = Object.fromEntries(VM_FIELDS.map((f) => [f, null])) as Record<(typeof VM_FIELDS)[number], number | null>;
  return { ...figures, cpuPercent: cpu, diskReadBytesPerSecond: cpu * 1000, vmId, hostId, at, disks: [], nics: [] };
}

function hostSample(hostId: string, at: number, cpu: number): HostSample {
  return { hostId, at, cpuPercent: cpu, memoryUsedBytes: 1e9, memoryTotalBytes: 4e9, vmsRunning: 1, diskReadBytesPerSecond: 0, diskWriteBytesPerSecond: 0, netRxBytesPerSecond: 0, netTxBytesPerSecond: 0 };
}

for (const backend of BACKENDS) {
  describe(`metric history and collector leases (${backend})`, () => {
    const hangar = useTestHangar(backend);

    async function hostsAndVm(count: number): Promise<{ hostIds: string[]; vmId: string }> {
      const { db } = hangar().hangar;
      const suffix = Math.random().toString(36).slice(2, 8);
      const hosts = await db
        .insertInto('hosts')
        .values(Array.from({ length: count }, (_, i) => ({ name: `h${i}-${suffix}`, uri: `test:///h${i}-${suffix}`, settings: {}, capabilities: { cpus: 4, memoryMb: 4096 } })))
        .returning('id')
        .execute();
      const owner = await db.insertInto('users').values({ email: `m-${suffix}@example.com`, name: 'm', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
      const vm = await db
        .insertInto('vms')
        .values({ name: `vm-${suffix}`, owner_id: owner.id, host_id: hosts[0].id, vcpus: 1, memory_mb: 128, disk_gb: 1, created_at: new Date(), updated_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { hostIds: hosts.map((h) => h.id), vmId: vm.id };
    }

    test('samples roll up to 1-minute and 1-hour averages and maxima, then are pruned', async () => {
      const { db } = hangar().hangar;
      const config = { ...loadConfig({}), metrics: { intervalMs: 5000, slowEvery: 3, rawRetentionMs: 4 * HOUR, minuteRetentionMs: 5 * HOUR, hourRetentionMs: 48 * HOUR } };
      const { hostIds, vmId } = await hostsAndVm(1);
      // Three hours of samples, every 30 s: cpu climbs 0, 1, 2, … within each minute pair.
      const start = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
      for (let at = start; at < start + 3 * HOUR; at += 30_000) {
        const cpu = ((at - start) / 30_000) % 2 === 0 ? 10 : 30;
        await storeSamples(db, hostSample(hostIds[0], at, cpu), [vmSample(vmId, hostIds[0], at, cpu)]);
      }
      const now = start + 3 * HOUR + 30_000;
      await rollUpAndPrune(db, config, now);
      await rollUpAndPrune(db, config, now); // a repeat changes nothing

      const minutes = await db.selectFrom('vm_metric_rollups').selectAll().where('vm_id', '=', vmId).where('resolution', '=', 60).orderBy('at').execute();
      assert.equal(minutes.length, 180);
      assert.deepEqual([minutes[0].samples, minutes[0].cpu_percent_avg, minutes[0].cpu_percent_max, minutes[0].disk_read_bytes_per_second_max], [2, 20, 30, 30_000]);
      assert.equal(minutes[0].at.getTime(), start);
      const hours = await db.selectFrom('vm_metric_rollups').selectAll().where('vm_id', '=', vmId).where('resolution', '=', 3600).orderBy('at').execute();
      assert.deepEqual(hours.map((h) => [h.at.getTime() - start, h.samples, h.cpu_percent_avg, h.cpu_percent_max]), [
        [0, 120, 20, 30],
        [HOUR, 120, 20, 30],
        [2 * HOUR, 120, 20, 30],
      ]);
      // A sample stored late (its collector's clock behind, a slow store) still reaches the rollups of
      // a minute already rolled up, and of its hour.
      const late = start + 3 * HOUR - 2 * MINUTE + 15_000;
      await storeSamples(db, hostSample(hostIds[0], late, 90), [vmSample(vmId, hostIds[0], late, 90)]);
      await rollUpAndPrune(db, config, now);
      const lateMinute = await db.selectFrom('vm_metric_rollups').selectAll().where('vm_id', '=', vmId).where('resolution', '=', 60).where('at', '=', new Date(late - 15_000)).executeTakeFirstOrThrow();
      assert.deepEqual([lateMinute.samples, lateMinute.cpu_percent_max], [3, 90]);
      const lastHour = await db.selectFrom('vm_metric_rollups').selectAll().where('vm_id', '=', vmId).where('resolution', '=', 3600).where('at', '=', new Date(start + 2 * HOUR)).executeTakeFirstOrThrow();
      assert.deepEqual([lastHour.samples, lastHour.cpu_percent_max], [121, 90]);
      await db.deleteFrom('vm_metric_samples').where('vm_id', '=', vmId).where('at', '=', new Date(late)).execute();
      await db.deleteFrom('host_metric_samples').where('host_id', '=', hostIds[0]).where('at', '=', new Date(late)).execute();
      await rollUpAndPrune(db, config, now);

      const hostMinutes = await db.selectFrom('host_metric_rollups').select(db.fn.countAll<number>().as('n')).where('host_id', '=', hostIds[0]).where('resolution', '=', 60).executeTakeFirstOrThrow();
      assert.equal(Number(hostMinutes.n), 180);

      // A range the raw samples still cover at ≤ 1,500 points comes raw; older or longer ones from rollups.
      assert.equal(resolutionFor(config, now - HOUR, now, now), 0);
      assert.equal(resolutionFor(config, now - 3 * HOUR, now, now), 60);
      assert.equal(resolutionFor(config, now - 40 * HOUR, now, now), 3600);
      const raw = await metricHistory(db, config, 'vm', vmId, new Date(now - HOUR), new Date(now));
      assert.equal(raw.resolutionSeconds, 5);
      assert.equal(raw.times.length, 119); // every 30 s from start + 2 h 30 s to start + 3 h − 30 s
      const cpu = raw.series.find((s) => s.name === 'cpuPercent')!;
      assert.deepEqual(new Set(cpu.avg), new Set([10, 30]));
      assert.deepEqual(raw.times, [...raw.times].sort((a, b) => a - b));
      const perMinute = await metricHistory(db, config, 'vm', vmId, new Date(start), new Date(now));
      assert.equal(perMinute.resolutionSeconds, 60);
      assert.equal(perMinute.times.length, 180);
      assert.equal(perMinute.times[0], start / 1000);
      assert.deepEqual(new Set(perMinute.series.find((s) => s.name === 'cpuPercent')!.max), new Set([30]));
      assert.ok(perMinute.series.every((s) => s.avg.length === 180));
      // A sample not rolled up yet (the hour under way) still shows: a partial bucket at the end.
      const fresh = start + 3 * HOUR + 5_000;
      await storeSamples(db, hostSample(hostIds[0], fresh, 50), [vmSample(vmId, hostIds[0], fresh, 50)]);
      const hourly = await metricHistory(db, config, 'vm', vmId, new Date(now - 40 * HOUR), new Date(now));
      assert.equal(hourly.resolutionSeconds, 3600);
      assert.deepEqual(hourly.times, [0, 1, 2, 3].map((h) => (start + h * HOUR) / 1000));
      assert.deepEqual(hourly.series.find((s) => s.name === 'cpuPercent')!.max, [30, 30, 30, 50]);
      await db.deleteFrom('vm_metric_samples').where('vm_id', '=', vmId).where('at', '=', new Date(fresh)).execute();
      await db.deleteFrom('host_metric_samples').where('host_id', '=', hostIds[0]).where('at', '=', new Date(fresh)).execute();

      // Two hours later, raw samples older than the 4 h retention are gone; the rollups stay.
      await rollUpAndPrune(db, config, now + 2 * HOUR);
      const oldest = await db.selectFrom('vm_metric_samples').select(db.fn.min('at').as('at')).where('vm_id', '=', vmId).executeTakeFirstOrThrow();
      assert.ok(new Date(oldest.at as Date).getTime() >= now - 2 * HOUR);
      assert.equal((await db.selectFrom('vm_metric_rollups').select('at').where('vm_id', '=', vmId).where('resolution', '=', 60).execute()).length, 179, 'minute rollups older than 5 h (the first) are pruned');

      // Past the minute retention only the hourly rollups are left.
      await rollUpAndPrune(db, config, now + 6 * HOUR);
      const left = await db.selectFrom('vm_metric_rollups').select(['resolution']).where('vm_id', '=', vmId).execute();
      assert.ok(left.length > 0 && left.every((r) => r.resolution === 3600), JSON.stringify(left.slice(0, 3)));
    });

    test('an hour\u2019s average weighs only the readings a figure has', async () => {
      const { db } = hangar().hangar;
      const config = { ...loadConfig({}), metrics: { intervalMs: 5000, slowEvery: 3, rawRetentionMs: 24 * HOUR, minuteRetentionMs: 30 * 24 * HOUR, hourRetentionMs: 48 * HOUR } };
      const { hostIds, vmId } = await hostsAndVm(1);
      // One hour every 30 s. The VM starts in the first minute: its first row has no CPU figure yet
      // (rates need two readings), its second reads 100 %; then it idles at 0 % for the hour.
      const start = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
      for (let at = start, i = 0; at < start + HOUR; at += 30_000, i++) {
        const sample = vmSample(vmId, hostIds[0], at, i === 1 ? 100 : 0);
        await storeSamples(db, hostSample(hostIds[0], at, 1), [i === 0 ? { ...sample, cpuPercent: null } : sample]);
      }
      await rollUpAndPrune(db, config, start + HOUR + 30_000);
      const hour = await db.selectFrom('vm_metric_rollups').selectAll().where('vm_id', '=', vmId).where('resolution', '=', 3600).executeTakeFirstOrThrow();
      assert.equal(hour.samples, 120);
      // 100 over the 119 readings there are (averaging the minutes by their rows would say 200/120).
      assert.ok(Math.abs(hour.cpu_percent_avg! - 100 / 119) < 1e-9, String(hour.cpu_percent_avg));
      assert.equal(hour.cpu_percent_max, 100);
    });

    test('the last hour is raw samples at any interval, so the live chart\u2019s history is as fine as its live points', () => {
      const now = Date.now();
      for (const seconds of [1, 2, 5]) {
        const config = { ...loadConfig({}), metrics: { ...loadConfig({}).metrics, intervalMs: seconds * 1000 } };
        assert.equal(resolutionFor(config, now - HOUR - 2000, now, now), 0, `${seconds} s`);
        assert.equal(resolutionFor(config, now - 3 * HOUR, now, now), 60, `${seconds} s`);
      }
    });

    test('the cluster\u2019s history: CPU weighted by each host\u2019s CPUs, memory summed, raw for an hour and from minute rollups for longer', async () => {
      const { db } = hangar().hangar;
      const config = { ...loadConfig({}), metrics: { intervalMs: 2000, slowEvery: 3, rawRetentionMs: 24 * HOUR, minuteRetentionMs: 30 * 24 * HOUR, hourRetentionMs: 48 * HOUR } };
      const suffix = Math.random().toString(36).slice(2, 8);
      const [small, big] = await db
        .insertInto('hosts')
        .values([
          { name: `small-${suffix}`, uri: `test:///small-${suffix}`, settings: {}, capabilities: { cpus: 2, memoryMb: 4096 } },
          { name: `big-${suffix}`, uri: `test:///big-${suffix}`, settings: {}, capabilities: { cpus: 6, memoryMb: 8192 } },
        ])
        .returning('id')
        .execute();
      // Hours ahead of now, past what other tests stored and rolled up, every 30 s; the big host a second later (the same 2 s bucket).
      const base = Math.ceil(Date.now() / HOUR) * HOUR + 10 * HOUR;
      const row = (hostId: string, at: number, cpu: number, used: number, total: number) => ({ host_id: hostId, at: new Date(at), cpu_percent: cpu, memory_used_bytes: used, memory_total_bytes: total, vms_running: 0, disk_read_bytes_per_second: 0, disk_write_bytes_per_second: 0, net_rx_bytes_per_second: 0, net_tx_bytes_per_second: 0 });
      const rows = [];
      for (let at = base; at < base + 3 * HOUR; at += 30_000) rows.push(row(small.id, at, 10, 1e9, 4e9), row(big.id, at + 1000, 50, 2e9, 8e9));
      await db.insertInto('host_metric_samples').values(rows).execute();

      const hour = await clusterMetricHistory(db, config, new Date(base), new Date(base + HOUR - 1000));
      assert.equal(hour.resolutionSeconds, 2);
      assert.equal(hour.times.length, 120);
      const series = (h: typeof hour, name: string) => new Set(h.series.find((s) => s.name === name)!.avg);
      assert.deepEqual(series(hour, 'cpuPercent'), new Set([40])); // (10 × 2 + 50 × 6) / 8
      assert.deepEqual(series(hour, 'memoryUsedBytes'), new Set([3e9]));
      assert.deepEqual(series(hour, 'memoryTotalBytes'), new Set([12e9]));

      await rollUpAndPrune(db, config, base + 3 * HOUR + 5 * MINUTE);
      // One more sample, not rolled up yet: the chart still reaches it.
      await db.insertInto('host_metric_samples').values([row(small.id, base + 3 * HOUR + 10_000, 10, 1e9, 4e9), row(big.id, base + 3 * HOUR + 11_000, 50, 2e9, 8e9)]).execute();
      const three = await clusterMetricHistory(db, config, new Date(base), new Date(base + 3 * HOUR + MINUTE));
      assert.equal(three.resolutionSeconds, 60);
      assert.equal(three.times.length, 181);
      assert.equal(three.times[0], base / 1000);
      assert.equal(three.times.at(-1), (base + 3 * HOUR) / 1000);
      assert.deepEqual(series(three, 'cpuPercent'), new Set([40]));
      assert.deepEqual(series(three, 'memoryUsedBytes'), new Set([3e9]));
    });

    test('collectors share the hosts, take over a silent one\u2019s within two intervals, and give hosts back when they stop', async () => {
      const { db } = hangar().hangar;
      await hostsAndVm(4);
      const total = (await db.selectFrom('hosts').select('id').execute()).length;
      const timing = leaseTiming(1000); // what a collector uses at a 1 s interval
      const a = await balanceLeases(db, 'collector-a', timing);
      assert.equal(a.length, total, 'alone, a collector takes every host');
      const b1 = await balanceLeases(db, 'collector-b', timing);
      assert.equal(b1.length, 0, 'the newcomer finds every host leased');
      const a2 = await balanceLeases(db, 'collector-a', timing);
      assert.equal(a2.length, Math.ceil(total / 2), 'a gives back what is beyond its share');
      const b2 = await balanceLeases(db, 'collector-b', timing);
      assert.equal(b2.length, total - a2.length);
      assert.deepEqual(new Set([...a2, ...b2]).size, total);

      // a goes silent. While its leases hold, b takes nothing of a's.
      const b3 = await balanceLeases(db, 'collector-b', timing);
      assert.deepEqual([...b3].sort(), [...b2].sort());
      // Once they lapse (an interval after a's last round), b takes every host on its next round:
      // a collector renews every ⅓ interval, so within 1⅓ intervals of a's death.
      await new Promise((r) => setTimeout(r, timing.leaseMs + 100));
      const b4 = await balanceLeases(db, 'collector-b', timing);
      assert.equal(b4.length, total, 'b holds every host once a\u2019s leases lapse');
      const holders = await leaseHolders(db);
      assert.ok([...holders.values()].every((h) => h === 'collector-b'));

      await releaseLeases(db, 'collector-b');
      const c = await balanceLeases(db, 'collector-c', timing);
      assert.equal(c.length, total, 'released hosts are free at once');
      await releaseLeases(db, 'collector-c');
    });
  });
}

describe('a collector that loses its database (postgres)', () => {
  const hangar = useTestHangar('postgres');

  test('stops sampling once its leases lapse, so it never samples a host another collector took', async () => {
    const t = hangar();
    const suffix = Math.random().toString(36).slice(2, 8);
    await t.hangar.db.insertInto('hosts').values({ name: `lost-${suffix}`, uri: 'test:///default', settings: {}, capabilities: { cpus: 4, memoryMb: 4096 } }).execute();
    const base = loadConfig({});
    const config = { ...base, metrics: { ...base.metrics, intervalMs: 1000 } };
    // Its own connection pool, so it alone loses the database.
    const own = openDatabase({ url: t.env.DATABASE_URL, dataDir: 'memory://' });
    const bus = createEventBus(undefined);
    const collector = new Collector({ db: own, pubsub: bus.pubsub, config, log: createLogger('silent') });
    try {
      await collector.start();
      assert.ok(collector.hostIds().length > 0, 'it samples the hosts it leased');
      await own.destroy();
      const lostAt = performance.now();
      while (collector.hostIds().length > 0 && performance.now() - lostAt < 5000) await new Promise((r) => setTimeout(r, 50));
      const stoppedAfter = performance.now() - lostAt;
      assert.equal(collector.hostIds().length, 0, 'still sampling 5 s after losing the database');
      // Leases last one interval; the next failed renewal after that stops it.
      assert.ok(stoppedAfter <= 2 * config.metrics.intervalMs, `stopped after ${stoppedAfter.toFixed(0)} ms`);
    } finally {
      await collector.stop();
      await bus.close();
    }
  });
});
