// The order of a host's two readings, driven by hand with a reader that answers when told: the
// slow one (disks, memory) starts only once the fast one is back, so libvirtd never serves it
// first and the samples keep their interval (CI once saw 0.5 s, 1.5 s, 0.5 s, … when both started
// together), and what it read reaches the next sample. Embedded PGlite, in-memory pub/sub.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { migrateToLatest, openDatabase } from '../../db/connection.ts';
import type { HostRow } from '../../db/types.ts';
import { HostSampler } from '../../server/collector/collector.ts';
import { FAST_READING, SLOW_READING, type Reading } from '../../server/hypervisor/domstats.ts';
import { loadConfig } from '../../server/config.ts';
import { createEventBus } from '../../server/events/pubsub.ts';
import { createLogger } from '../../server/log.ts';
import { syntheticReading, vmIdOf } from '../../scripts/bench/lib/domstats-feed.ts';

const db = openDatabase({ dataDir: 'memory://' });
const bus = createEventBus(undefined);
let host: HostRow;

before(async () => {
  await migrateToLatest(db);
  const inserted = await db.insertInto('hosts').values({ name: 'readings', uri: 'test:///readings', settings: {}, capabilities: { cpus: 4, memoryMb: 8192 } }).returning('id').executeTakeFirstOrThrow();
  const owner = await db.insertInto('users').values({ email: 'readings@example.com', name: 'readings', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
  const now = new Date();
  await db.insertInto('vms').values({ id: vmIdOf(0), name: 'vm-0', owner_id: owner.id, host_id: inserted.id, vcpus: 2, memory_mb: 2048, disk_gb: 20, state: 'running', created_at: now, updated_at: now }).execute();
  host = await db.selectFrom('hosts').selectAll().where('id', '=', inserted.id).executeTakeFirstOrThrow();
});

after(async () => {
  await bus.close();
  await db.destroy();
});

test('the slow reading starts once the fast one is back, and its figures reach the next sample', async () => {
  const config = loadConfig({ HANGAR_DATA_DIR: 'memory://', HANGAR_METRICS_INTERVAL_SECONDS: '1', HANGAR_METRICS_SLOW_EVERY: '1', LOG_LEVEL: 'silent' });
  const calls: Array<{ reading: Reading; answer: (text: string) => void }> = [];
  const sampler = new HostSampler(host, { db, pubsub: bus.pubsub, config, log: createLogger('silent') }, (_host, reading) => new Promise((resolve) => calls.push({ reading, answer: resolve })));
  const samples: any[] = [];
  const feed = bus.pubsub.subscribe('metrics:vm', vmIdOf(0));
  void (async () => {
    for await (const sample of feed) samples.push(sample);
  })();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  // Round 0: only the fast reading is asked for; the slow one follows its answer.
  const first = sampler.sample();
  await settle();
  assert.deepEqual(calls.map((c) => c.reading), [FAST_READING], 'the slow reading waits for the fast one');
  calls[0].answer(syntheticReading(1, 0, false));
  await first;
  assert.deepEqual(calls.map((c) => c.reading), [FAST_READING, SLOW_READING]);
  calls[1].answer(syntheticReading(1, 0, true));
  await settle();

  // Two more rounds; the first of their slow answers comes back late, after a pause.
  for (const round of [1, 2]) {
    const sampling = sampler.sample();
    await settle();
    assert.deepEqual(calls.at(-1)!.reading, FAST_READING, `round ${round} starts with the fast reading`);
    calls.at(-1)!.answer(syntheticReading(1, round, false));
    await sampling;
    assert.deepEqual(calls.at(-1)!.reading, SLOW_READING);
    if (round === 1) await new Promise((resolve) => setTimeout(resolve, 400));
    calls.at(-1)!.answer(syntheticReading(1, round, true));
    await settle();
  }
  await settle();
  assert.equal(samples.length, 3);
  assert.equal(calls.length, 6);
  // The disk counters of two slow readings made a rate on the sample after them.
  const last = samples.at(-1);
  assert.ok(last.diskReadBytesPerSecond > 0, JSON.stringify(last));
});
