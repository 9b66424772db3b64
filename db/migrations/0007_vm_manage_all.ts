import { sql, type Kysely } from 'kysely';

// Seeing is not acting: acting on a VM one does not own needs VM.ManageAll, which the built-in
// Operator and Administrator roles hold (a fresh install's 0001 may already have seeded it).
// And API tokens made by a token are its children (parent_id), revoked and expiring with it.
const MANAGE_ALL = 'VM.ManageAll';
const ROLES_THAT_MANAGE_ALL = ['Administrator', 'Operator'];

export async function up(db: Kysely<any>): Promise<void> {
  const roles = await db.selectFrom('roles').select('id').where('built_in', '=', true).where('name', 'in', ROLES_THAT_MANAGE_ALL).execute();
  if (roles.length) {
    await db
      .insertInto('role_privileges')
      .values(roles.map((r) => ({ role_id: r.id, privilege: MANAGE_ALL })))
      .onConflict((oc) => oc.columns(['role_id', 'privilege']).doNothing())
      .execute();
  }

  await db.schema
    .alterTable('api_tokens')
    .addColumn('parent_id', 'uuid', (c) => c.references('api_tokens.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('api_tokens_parent_idx').on('api_tokens').column('parent_id').where(sql.ref('parent_id'), 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('api_tokens_parent_idx').execute();
  await db.schema.alterTable('api_tokens').dropColumn('parent_id').execute();
  await db.deleteFrom('role_privileges').where('privilege', '=', MANAGE_ALL).execute();
}
