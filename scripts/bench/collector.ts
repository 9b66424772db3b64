// Collector CPU per VM-sample for one host of 1,000 domains, fed with domstats output built from a
// real recording (so virsh's own cost is left out, as the issue asks). Everything the collector
// does per interval is measured: parse, rates, the known-VM lookup, 1,000 publishes through Redis
// and the stored samples (the Postgres server's own CPU is not in this process). Setting:
// BENCH_COLLECTOR_DOMAINS (1000), BENCH_COLLECTOR_ROUNDS (30).
import { HostSampler } from '../../server/collector/collector.ts';
import { SLOW_READING } from '../../server/hypervisor/domstats.ts';
import { loadConfig } from '../../server/config.ts';
import { createEventBus } from '../../server/events/pubsub.ts';
import { createLogger } from '../../server/log.ts';
import { migrateToLatest, openDatabase } from '../../db/connection.ts';
import { benchDatabase } from './lib/database.ts';
import type { BenchContext } from './lib/context.ts';
import { syntheticReading, vmIdOf } from './lib/domstats-feed.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function benchCollector(ctx: BenchContext): Promise<void> {
  const domains = Number(process.env.BENCH_COLLECTOR_DOMAINS ?? 1000);
  const rounds = Number(process.env.BENCH_COLLECTOR_ROUNDS ?? 30);
  const warmup = 5;
  const database = await benchDatabase();
  const config = loadConfig({ ...database.env, REDIS_URL, HANGAR_REDIS_CHANNEL_PREFIX: `bench-collector-${process.pid}`, LOG_LEVEL: 'warn' });
  const db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const bus = createEventBus(config.redisUrl, undefined, config.redisChannelPrefix);
  try {
    await migrateToLatest(db);
    const host = await db.insertInto('hosts').values({ name: 'bench', uri: 'test:///bench', settings: {}, capabilities: { cpus: 32, memoryMb: 262144 } }).returning(['id']).executeTakeFirstOrThrow();
    const owner = await db.insertInto('users').values({ email: 'bench@example.com', name: 'bench', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
    const now = new Date();
    for (let i = 0; i < domains; i += 500) {
      const rows = Array.from({ length: Math.min(500, domains - i) }, (_, k) => ({ id: vmIdOf(i + k), name: `vm-${i + k}`, owner_id: owner.id, host_id: host.id, vcpus: 2, memory_mb: 2048, disk_gb: 20, state: 'running', created_at: now, updated_at: now }));
      await db.insertInto('vms').values(rows).execute();
    }
    const hostRow = await db.selectFrom('hosts').selectAll().where('id', '=', host.id).executeTakeFirstOrThrow();

    // The readings are made before the clock starts: producing them is virsh's work, not ours.
    const total = warmup + rounds;
    const fast = Array.from({ length: total }, (_, r) => syntheticReading(domains, r, false));
    const slow = Array.from({ length: total }, (_, r) => syntheticReading(domains, r, true));
    let round = 0;
    const sampler = new HostSampler(hostRow, { db, pubsub: bus.pubsub, config, log: createLogger('warn') }, async (_host, reading) => (reading === SLOW_READING ? slow : fast)[Math.min(round, total - 1)]);

    let published = 0;
    const counter = bus.pubsub.subscribe('metrics:vm', vmIdOf(0));
    void (async () => {
      for await (const _ of counter) published++;
    })();

    let cpuMicros = 0;
    let wallMs = 0;
    for (round = 0; round < total; round++) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      await sampler.sample();
      // Let the slow reading's parse (started inside sample) finish inside the measured round.
      await new Promise((resolve) => setImmediate(resolve));
      const used = process.cpuUsage(cpu);
      if (round >= warmup) {
        cpuMicros += used.user + used.system;
        wallMs += performance.now() - started;
      }
    }
    const stored = await db.selectFrom('vm_metric_samples').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(stored.n) !== domains * total) throw new Error(`the collector stored ${stored.n} samples, expected ${domains * total}`);
    await new Promise((r) => setTimeout(r, 200));
    if (published < total - 1) throw new Error(`VM 0's samples reached a subscriber ${published} times in ${total} rounds`);
    await counter.return?.();
    const perSample = cpuMicros / 1000 / (rounds * domains);
    ctx.note(`collector: ${domains} domains × ${rounds} rounds on ${database.kind}, Redis pub/sub; ${(cpuMicros / 1000 / rounds).toFixed(1)} ms CPU and ${(wallMs / rounds).toFixed(1)} ms wall per round (target: 1,000 VMs at 5 s under 2% of a core = 0.1 ms per VM-sample)`);
    ctx.figure('collector_cpu_ms_per_vm_sample', perSample, 'ms');
  } finally {
    await bus.close();
    await db.destroy();
    await database.drop();
  }
}
