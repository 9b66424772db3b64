import type { Kysely } from 'kysely';

// Moving VMs between hosts is its own privilege, VM.Migrate, which the built-in Operator and
// Administrator roles hold (0001's seed predates it, so every install gets it here).
const MIGRATE = 'VM.Migrate';
const ROLES = ['Administrator', 'Operator'];

export async function up(db: Kysely<any>): Promise<void> {
  const roles = await db.selectFrom('roles').select('id').where('built_in', '=', true).where('name', 'in', ROLES).execute();
  if (!roles.length) return;
  await db
    .insertInto('role_privileges')
    .values(roles.map((r) => ({ role_id: r.id, privilege: MIGRATE })))
    .onConflict((oc) => oc.columns(['role_id', 'privilege']).doNothing())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('role_privileges').where('privilege', '=', MIGRATE).execute();
}
