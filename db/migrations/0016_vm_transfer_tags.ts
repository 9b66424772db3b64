import { sql, type Kysely } from 'kysely';

// Giving a VM to another user (issue 21) is its own privilege, VM.Transfer, held by the built-in
// Administrator only: a transfer spends the recipient's quota, a change to another account that
// Operators (who run VMs but do not manage users) may not make. VMs get tags too, which lists filter by.
const TRANSFER = 'VM.Transfer';
const ROLES = ['Administrator'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vms').addColumn('tags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`)).execute();
  await sql`create index vms_tags_idx on vms using gin (tags)`.execute(db);
  const roles = await db.selectFrom('roles').select('id').where('built_in', '=', true).where('name', 'in', ROLES).execute();
  if (!roles.length) return;
  await db
    .insertInto('role_privileges')
    .values(roles.map((r) => ({ role_id: r.id, privilege: TRANSFER })))
    .onConflict((oc) => oc.columns(['role_id', 'privilege']).doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('role_privileges').where('privilege', '=', TRANSFER).execute();
  await db.schema.dropIndex('vms_tags_idx').execute();
  await db.schema.alterTable('vms').dropColumn('tags').execute();
}
