import { sql, type Kysely } from 'kysely';

// A VM's disks (issue 21): its boot disk (the volume it was made with) and the blank disks
// attached later, each with its bus, target and I/O limits. Existing VMs get their boot disk.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vm_disks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('vm_id', 'uuid', (c) => c.notNull().references('vms.id').onDelete('cascade'))
    .addColumn('volume', 'text', (c) => c.notNull())
    // null: the disk pool of whichever host the VM is on (a migration keeps it so).
    .addColumn('pool', 'text')
    .addColumn('size_gb', 'integer', (c) => c.notNull())
    .addColumn('bus', 'text', (c) => c.notNull().defaultTo('virtio').check(sql`bus in ('virtio', 'scsi', 'sata')`))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('boot_order', 'integer')
    .addColumn('is_boot', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('io_limits', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('vm_disks_target_key', ['vm_id', 'target'])
    .execute();
  await sql`create unique index vm_disks_boot_idx on vm_disks (vm_id) where is_boot`.execute(db);
  await sql`insert into vm_disks (vm_id, volume, pool, size_gb, bus, target, boot_order, is_boot)
            select id, id::text || '.qcow2', null, disk_gb, 'virtio', 'vda', 1, true from vms where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vm_disks').execute();
}
