import { sql, type Kysely } from 'kysely';

// Cumulative counters for Prometheus (issue 24): the newest libvirt totals of each VM (CPU time,
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
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vm_metric_counters').execute();
}
