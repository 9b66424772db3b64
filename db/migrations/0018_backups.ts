import { sql, type Kysely } from 'kysely';

// Backups (issue 20): targets an admin registers (a libvirt storage pool on one host, or a path
// every host sees) and the backups taken into them, full or incremental from a parent. A backup
// outlives its VM (vm_id goes null only if the row is ever purged; deleted VMs keep their rows), so
// it carries its owner, the VM's name and what a restore needs (vm_spec). Schedules and retention
// come later on top: schedule_id is their hook (no foreign key yet).
const PRIVILEGES: Record<string, string[]> = {
  Administrator: ['VM.Backup', 'Backup.Restore', 'BackupTarget.Manage'],
  Operator: ['VM.Backup', 'Backup.Restore'],
  User: ['VM.Backup', 'Backup.Restore'],
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backup_targets')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    // null: a shared path every host sees at the same place (a pool of that path is made on each host as needed).
    .addColumn('host_id', 'uuid', (c) => c.references('hosts.id').onDelete('restrict'))
    .addColumn('pool', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('backups')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('vm_id', 'uuid', (c) => c.references('vms.id').onDelete('set null'))
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('vm_name', 'text', (c) => c.notNull())
    .addColumn('vm_spec', 'jsonb', (c) => c.notNull())
    .addColumn('target_id', 'uuid', (c) => c.notNull().references('backup_targets.id').onDelete('restrict'))
    .addColumn('host_id', 'uuid', (c) => c.references('hosts.id').onDelete('set null'))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('full').check(sql`kind in ('full', 'incremental')`))
    .addColumn('parent_id', 'uuid', (c) => c.references('backups.id').onDelete('restrict'))
    .addColumn('checkpoint', 'text')
    .addColumn('reason', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued').check(sql`status in ('queued', 'running', 'ready', 'failed')`))
    .addColumn('error', 'text')
    .addColumn('disks', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('size_bytes', 'bigint')
    .addColumn('read_bytes', 'bigint')
    .addColumn('chain_length', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('task_id', 'uuid', (c) => c.references('tasks.id').onDelete('set null'))
    .addColumn('schedule_id', 'uuid')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('backups_vm_idx').on('backups').columns(['vm_id', 'created_at']).execute();
  await db.schema.createIndex('backups_owner_idx').on('backups').columns(['owner_id', 'created_at']).execute();
  await db.schema.createIndex('backups_parent_idx').on('backups').column('parent_id').execute();
  const roles = await db.selectFrom('roles').select(['id', 'name']).where('built_in', '=', true).where('name', 'in', Object.keys(PRIVILEGES)).execute();
  const rows = roles.flatMap((r) => PRIVILEGES[r.name]!.map((privilege) => ({ role_id: r.id, privilege })));
  if (rows.length) await db.insertInto('role_privileges').values(rows).onConflict((oc) => oc.columns(['role_id', 'privilege']).doNothing()).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('role_privileges').where('privilege', 'in', ['VM.Backup', 'Backup.Restore', 'BackupTarget.Manage']).execute();
  await db.schema.dropTable('backups').execute();
  await db.schema.dropTable('backup_targets').execute();
}
