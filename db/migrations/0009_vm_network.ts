import { sql, type Kysely } from 'kysely';

// What a VM's NIC attaches to, recorded on the VM when it is made ({kind, name}; null: no NIC).
// Until now every definition of the domain read the host's current setting, so changing a host's
// network silently moved or removed the NICs of its existing VMs, and nothing could say what a VM
// really had. Existing VMs get their host's setting of today, which is what they were defined with.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vms').addColumn('network', 'jsonb').execute();
  await sql`
    update vms set network = hosts.settings -> 'network'
    from hosts
    where vms.host_id = hosts.id and jsonb_typeof(hosts.settings -> 'network') = 'object'
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vms').dropColumn('network').execute();
}
