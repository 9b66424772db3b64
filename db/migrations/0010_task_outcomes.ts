import type { Kysely } from 'kysely';

// Honest task outcomes: a log line may be a warning (a shutdown that ended in a forced power-off),
// a running task may be asked to stop (cancelTask), and a task knows the VM state it was queued
// from, so cancelling it before it ran gives the VM that state back.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('task_log').addColumn('warning', 'boolean', (c) => c.notNull().defaultTo(false)).execute();
  await db.schema.alterTable('tasks').addColumn('cancel_requested_at', 'timestamptz').addColumn('vm_state_before', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tasks').dropColumn('vm_state_before').dropColumn('cancel_requested_at').execute();
  await db.schema.alterTable('task_log').dropColumn('warning').execute();
}
