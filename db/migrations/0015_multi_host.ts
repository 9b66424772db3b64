import type { Kysely } from 'kysely';

// Many hosts (issue 19):
// - a drain (setHostMaintenance with drain) is a parent task whose children are the migrations it
//   queued, one per VM: the parent's steps are its children, and it ends when the last of them does;
// - what a failed migration made on a host that did not answer then (its domain, its volumes) is
//   written down, and removed when that host answers again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tasks').addColumn('parent_task_id', 'uuid', (c) => c.references('tasks.id').onDelete('cascade')).execute();
  await db.schema.createIndex('tasks_parent_task_id_idx').on('tasks').column('parent_task_id').where('parent_task_id', 'is not', null).execute();
  await db.schema
    .createTable('host_leftovers')
    .addColumn('host_id', 'uuid', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('vm_id', 'uuid', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(db.fn('now')))
    .addPrimaryKeyConstraint('host_leftovers_pkey', ['host_id', 'vm_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('host_leftovers').execute();
  await db.schema.dropIndex('tasks_parent_task_id_idx').execute();
  await db.schema.alterTable('tasks').dropColumn('parent_task_id').execute();
}
