import { sql, type Kysely } from 'kysely';

// A VM's hardware after it exists (issue 21): network interfaces and the ISO library.
// - vm_interfaces: every NIC of a VM, in order (position 0 is the one it was made with, which
//   vms.network and vms.mac_address keep describing). Existing VMs' NICs move in. An address from a
//   pool now belongs to an interface (ip_allocations.interface_id), so a VM may hold one per NIC.
// - images.kind: 'disk' (what every image was so far) or 'iso' (a CD/DVD image for the CD-ROM).
// - vms.cdrom_image_id: the ISO of the catalogue in the VM's CD-ROM; vms.boot_order: the devices
//   it boots from in order (hd, cdrom, network); vms.boot_once: its next start boots the CD-ROM.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vm_interfaces')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('vm_id', 'uuid', (c) => c.notNull().references('vms.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('mac_address', 'text', (c) => c.notNull())
    .addColumn('network', 'jsonb', (c) => c.notNull())
    .addColumn('bandwidth', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('vm_interfaces_position_uq', ['vm_id', 'position'])
    .addUniqueConstraint('vm_interfaces_mac_uq', ['vm_id', 'mac_address'])
    .execute();
  await sql`
    insert into vm_interfaces (vm_id, position, mac_address, network)
    select id, 0, mac_address, network from vms where network is not null and mac_address is not null
  `.execute(db);
  await db.schema.alterTable('ip_allocations').addColumn('interface_id', 'uuid', (c) => c.references('vm_interfaces.id').onDelete('cascade').unique()).execute();
  await sql`update ip_allocations a set interface_id = i.id from vm_interfaces i where i.vm_id = a.vm_id and i.position = 0`.execute(db);
  // One address per interface now, so a VM may hold several.
  await sql`alter table ip_allocations drop constraint if exists ip_allocations_vm_id_key`.execute(db);
  await sql`alter table ip_allocations drop constraint if exists ip_allocations_vm_id_unique`.execute(db);

  await db.schema.alterTable('images').addColumn('kind', 'text', (c) => c.notNull().defaultTo('disk')).execute();
  await db.schema
    .alterTable('vms')
    .addColumn('cdrom_image_id', 'uuid', (c) => c.references('images.id').onDelete('set null'))
    .addColumn('boot_order', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{hd}'::text[]`))
    .addColumn('boot_once', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // A VM made to boot a host ISO booted it first.
  await sql`update vms set boot_order = '{cdrom,hd}' where iso_path is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vms').dropColumn('boot_once').dropColumn('boot_order').dropColumn('cdrom_image_id').execute();
  await db.schema.alterTable('images').dropColumn('kind').execute();
  await sql`delete from ip_allocations a using vm_interfaces i where a.interface_id = i.id and i.position > 0`.execute(db);
  await db.schema.alterTable('ip_allocations').dropColumn('interface_id').execute();
  await sql`alter table ip_allocations add constraint ip_allocations_vm_id_key unique (vm_id)`.execute(db);
  await db.schema.dropTable('vm_interfaces').execute();
}
