// The collector's store of libvirt's cumulative totals (what /metrics exports as _total counters).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { migrateToLatest, openDatabase, type Db } from '../../db/connection.ts';
import { counterTotals } from '../../server/collector/counters.ts';
import { COUNTER_COLUMNS, storeCounters, type CounterColumn } from '../../server/services/metric-counters.ts';
import { freshPostgresDatabase } from '../support/hangar.ts';

let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
let db: Db;
let vmId: string;

before(async () => {
  database = await freshPostgresDatabase();
  db = openDatabase({ url: database.url, dataDir: 'memory://' });
  await migrateToLatest(db);
  const owner = await db.insertInto('users').values({ email: 'c@example.com', name: 'c', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
  vmId = (await db.insertInto('vms').values({ name: 'v', owner_id: owner.id, vcpus: 1, memory_mb: 64, disk_gb: 1, state: 'running' }).returning('id').executeTakeFirstOrThrow()).id;
});

after(async () => {
  await db.destroy();
  await database.drop();
});

const row = (values: Partial<Record<CounterColumn, number | null>>) => ({ vmId, values: Object.fromEntries(COUNTER_COLUMNS.map((c) => [c, values[c] ?? null])) as Record<CounterColumn, number | null> });
const stored = () => db.selectFrom('vm_metric_counters').selectAll().where('vm_id', '=', vmId).executeTakeFirstOrThrow();

test('totals are stored as read; disk totals missing from a fast reading keep their last value; a VM restart voids them', async () => {
  await storeCounters(db, Date.now() - 2000, [row({ cpu_seconds: 10.5, disk_read_bytes: 100, net_rx_bytes: 5 })]);
  await storeCounters(db, Date.now() - 1000, [row({ cpu_seconds: 12, net_rx_bytes: 6 })]);
  let now = await stored();
  assert.equal(now.cpu_seconds, 12);
  assert.equal(now.net_rx_bytes, 6);
  assert.equal(now.disk_read_bytes, 100, 'kept from the slow reading');
  // The QEMU process was replaced: the CPU total went back, so the old disk totals are not this process's.
  await storeCounters(db, Date.now(), [row({ cpu_seconds: 0.5, net_rx_bytes: 0 })]);
  now = await stored();
  assert.equal(now.cpu_seconds, 0.5);
  assert.equal(now.disk_read_bytes, null);
  // A VM the database does not have (deleted meanwhile) is skipped, not an error.
  await storeCounters(db, Date.now(), [{ ...row({ cpu_seconds: 1 }), vmId: randomUUID() }]);
  assert.equal((await db.selectFrom('vm_metric_counters').select('vm_id').execute()).length, 1);
});

test('a reading becomes totals: nanoseconds to seconds, devices summed, nothing for a domain that is not running', () => {
  const totals = counterTotals({
    name: 'hangar-x',
    state: 1,
    cpuTimeNs: 2_500_000_000,
    vcpus: null,
    balloon: null,
    blocks: [
      { name: 'vda', readBytes: 10, writeBytes: 20, readOps: 1, writeOps: 2 },
      { name: 'vdb', readBytes: 5, writeBytes: 0, readOps: 1, writeOps: 0 },
    ],
    nics: [],
  });
  assert.deepEqual(totals, { cpuSeconds: 2.5, diskReadBytes: 15, diskWriteBytes: 20, diskReadOps: 2, diskWriteOps: 2, netRxBytes: 0, netTxBytes: 0, netRxPackets: 0, netTxPackets: 0 });
  assert.equal(counterTotals({ name: 'hangar-y', state: 5, cpuTimeNs: null, vcpus: null, balloon: null, blocks: null, nics: null }), null);
});
