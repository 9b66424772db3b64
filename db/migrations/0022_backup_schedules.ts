import { sql, type Kysely } from 'kysely';

// Backup schedules (issue 20): a cron expression in a time zone, the VMs it backs up (named ones,
// or every VM with a tag its owner may act on), a target, how many incrementals before the next
// full, and a retention policy applied after each run. pg-boss holds the timing (one schedule per
// row, keyed by its id); this row holds what a run does and what the last run did.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backup_schedules')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    // It acts with its owner's rights as they are at each run: a disabled owner's schedule does nothing.
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('vm_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('tag', 'text')
    .addColumn('target_id', 'uuid', (c) => c.notNull().references('backup_targets.id').onDelete('restrict'))
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('chain_cap', 'integer', (c) => c.notNull().defaultTo(14))
    .addColumn('keep_last', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('keep_daily', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('keep_weekly', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('keep_monthly', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('last_run', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('backup_schedules_selects', sql`cardinality(vm_ids) > 0 or tag is not null`)
    .execute();
  await db.schema.createIndex('backup_schedules_owner_idx').on('backup_schedules').column('owner_id').execute();
  await db.schema.createIndex('backups_schedule_idx').on('backups').columns(['schedule_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('backups_schedule_idx').execute();
  await db.schema.dropTable('backup_schedules').execute();
}
