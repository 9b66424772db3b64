import { sql, type Kysely } from 'kysely';

// Issue 24. The VM list's keyset order (created_at, id) of VMs not deleted gets its index: a page
// after any cursor, the last one included, is a short index walk, never a sort of the whole table.
// Cumulative counters for Prometheus: the newest libvirt totals of each VM (CPU time,
// disk and network bytes and operations since its QEMU process started), one row per VM that the
// collector overwrites each interval. /metrics exports them as `_total` counters so `rate()` works
// across scrapes; they are libvirt's own totals, so a collector restart or a takeover by another
// collector never moves them backwards (only a restart of the VM does, a reset Prometheus handles).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vm_metric_counters')
    .addColumn('vm_id', 'uuid', (c) => c.primaryKey().references('vms.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('cpu_seconds', 'float8')
    .addColumn('disk_read_bytes', 'float8')
    .addColumn('disk_write_bytes', 'float8')
    .addColumn('disk_read_ops', 'float8')
    .addColumn('disk_write_ops', 'float8')
    .addColumn('net_rx_bytes', 'float8')
    .addColumn('net_tx_bytes', 'float8')
    .addColumn('net_rx_packets', 'float8')
    .addColumn('net_tx_packets', 'float8')
    .execute();
  // Rewritten every interval: leave room on each page for HOT updates.
  await sql`alter table vm_metric_counters set (fillfactor = 50)`.execute(db);
  await sql`create index vms_list_idx on vms (created_at, id) where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists vms_list_idx`.execute(db);
  await db.schema.dropTable('vm_metric_counters').execute();
}
