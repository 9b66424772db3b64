import { sql, type Kysely } from 'kysely';

// Hosts drive real hypervisors, VMs carry their power state, tasks their job, worker and log.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('hosts')
    .addColumn('domain_type', 'text', (c) => c.notNull().defaultTo('qemu'))
    .addColumn('domain_type_reason', 'text')
    .execute();

  await db.schema
    .alterTable('vms')
    .addColumn('iso_path', 'text')
    .addColumn('state_message', 'text')
    .addColumn('deleted_at', 'timestamptz')
    .execute();

  await db.schema
    .alterTable('tasks')
    .addColumn('job_id', 'text')
    .addColumn('worker_id', 'text')
    .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  for (const column of ['host_id', 'user_id', 'status', 'created_at']) {
    await db.schema.createIndex(`tasks_${column}_idx`).on('tasks').column(column).execute();
  }

  await db.schema
    .createTable('task_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('task_id', 'uuid', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('line', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('task_log_task_idx').on('task_log').column('task_id').execute();
}
