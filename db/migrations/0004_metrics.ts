import { sql, type Kysely } from 'kysely';

// Frozen: the sample fields as they were when this migration was written (server/collector/fields.ts then).
const VM_FIELDS = [
  'cpuPercent',
  'memoryUsedBytes',
  'memoryAvailableBytes',
  'diskReadBytesPerSecond',
  'diskWriteBytesPerSecond',
  'diskReadOpsPerSecond',
  'diskWriteOpsPerSecond',
  'netRxBytesPerSecond',
  'netTxBytesPerSecond',
  'netRxPacketsPerSecond',
  'netTxPacketsPerSecond',
] as const;
const HOST_FIELDS = [
  'cpuPercent',
  'memoryUsedBytes',
  'memoryTotalBytes',
  'vmsRunning',
  'diskReadBytesPerSecond',
  'diskWriteBytesPerSecond',
  'netRxBytesPerSecond',
  'netTxBytesPerSecond',
] as const;

/** `diskReadBytesPerSecond` → `disk_read_bytes_per_second`. */
function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

// Metrics: raw samples and their rollups per VM and host, collectors and their host leases, and
// the privilege to scrape /metrics.
export async function up(db: Kysely<any>): Promise<void> {
  for (const [kind, fields] of [['vm', VM_FIELDS], ['host', HOST_FIELDS]] as const) {
    const owner = `${kind}_id`;
    let samples = db.schema
      .createTable(`${kind}_metric_samples`)
      .addColumn(owner, 'uuid', (c) => c.notNull().references(`${kind}s.id`).onDelete('cascade'))
      .addColumn('at', 'timestamptz', (c) => c.notNull());
    for (const field of fields) samples = samples.addColumn(columnOf(field), 'double precision');
    await samples.addPrimaryKeyConstraint(`${kind}_metric_samples_pk`, [owner, 'at']).execute();
    // Pruning deletes by time across every owner.
    await db.schema.createIndex(`${kind}_metric_samples_at_idx`).on(`${kind}_metric_samples`).column('at').execute();

    // resolution: the bucket's length in seconds (60, 3600).
    let rollups = db.schema
      .createTable(`${kind}_metric_rollups`)
      .addColumn(owner, 'uuid', (c) => c.notNull().references(`${kind}s.id`).onDelete('cascade'))
      .addColumn('resolution', 'integer', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull())
      .addColumn('samples', 'integer', (c) => c.notNull());
    for (const field of fields) {
      rollups = rollups.addColumn(`${columnOf(field)}_avg`, 'double precision').addColumn(`${columnOf(field)}_max`, 'double precision');
    }
    await rollups.addPrimaryKeyConstraint(`${kind}_metric_rollups_pk`, [owner, 'resolution', 'at']).execute();
    await db.schema.createIndex(`${kind}_metric_rollups_at_idx`).on(`${kind}_metric_rollups`).columns(['resolution', 'at']).execute();
  }

  // Up to when each resolution has been rolled up (buckets before it are complete).
  await db.schema
    .createTable('metric_rollup_marks')
    .addColumn('resolution', 'integer', (c) => c.primaryKey())
    .addColumn('done_until', 'timestamptz', (c) => c.notNull())
    .execute();

  // Live collectors (a heartbeat) and which one samples each host (a lease it renews).
  await db.schema
    .createTable('collectors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('collector_leases')
    .addColumn('host_id', 'uuid', (c) => c.primaryKey().references('hosts.id').onDelete('cascade'))
    .addColumn('collector_id', 'text')
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Scraping /metrics shows every VM and host: its own privilege, held by the built-in roles that see everything.
  for (const role of ['Administrator', 'Operator', 'Auditor']) {
    await sql`insert into role_privileges (role_id, privilege) select id, 'Metrics.Read' from roles where name = ${role} and built_in on conflict do nothing`.execute(db);
  }
}
