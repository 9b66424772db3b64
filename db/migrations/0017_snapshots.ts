import { sql, type Kysely } from 'kysely';

// VM snapshots (issue 20): one row per snapshot, named in libvirt by its id; a per-VM snapshot
// quota; and the VM.Snapshot privilege, which the built-in Administrator, Operator and User roles
// hold (as they hold VM.PowerMgmt).
const SNAPSHOT = 'VM.Snapshot';
const ROLES = ['Administrator', 'Operator', 'User'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('vm_snapshots')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('vm_id', 'uuid', (c) => c.notNull().references('vms.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('parent_id', 'uuid', (c) => c.references('vm_snapshots.id').onDelete('set null'))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // creating: its task runs; ready: on the host; deleting: its delete is queued.
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('creating'))
    .addColumn('includes_memory', 'boolean', (c) => c.notNull())
    .addColumn('quiesced', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('is_current', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('size_bytes', 'bigint')
    .execute();
  await db.schema.createIndex('vm_snapshots_vm_name_idx').on('vm_snapshots').columns(['vm_id', 'name']).unique().execute();
  await db.schema.alterTable('quotas').addColumn('max_snapshots_per_vm', 'integer').execute();
  const roles = await db.selectFrom('roles').select('id').where('built_in', '=', true).where('name', 'in', ROLES).execute();
  if (!roles.length) return;
  await db
    .insertInto('role_privileges')
    .values(roles.map((r) => ({ role_id: r.id, privilege: SNAPSHOT })))
    .onConflict((oc) => oc.columns(['role_id', 'privilege']).doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('role_privileges').where('privilege', '=', SNAPSHOT).execute();
  await db.schema.alterTable('quotas').dropColumn('max_snapshots_per_vm').execute();
  await db.schema.dropTable('vm_snapshots').execute();
}
