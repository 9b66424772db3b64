import { sql, type Kysely } from 'kysely';

// The whole control-plane schema; later issues add their own numbered files.
// Frozen: the built-in roles as they were when this migration was written (later privileges are
// given by their own migrations: Metrics.Read in 0004, VM.ManageAll in 0007).
const BUILT_IN_ROLES: { name: string; description: string; privileges: string[] }[] = [
  {
    name: 'Administrator',
    description: 'Everything',
    privileges: ['VM.Create', 'VM.PowerMgmt', 'VM.Console', 'VM.Delete', 'VM.ViewAll', 'Image.Create', 'Image.Share', 'Image.Manage', 'Host.View', 'Host.Manage', 'User.View', 'User.Manage', 'Role.Manage', 'Audit.Read'],
  },
  {
    name: 'Operator',
    description: 'Runs every VM and image; sees hosts',
    privileges: ['VM.Create', 'VM.PowerMgmt', 'VM.Console', 'VM.Delete', 'VM.ViewAll', 'Image.Create', 'Image.Share', 'Image.Manage', 'Host.View'],
  },
  {
    name: 'User',
    description: 'Runs their own VMs and images',
    privileges: ['VM.Create', 'VM.PowerMgmt', 'VM.Console', 'VM.Delete', 'Image.Create', 'Image.Share'],
  },
  {
    name: 'Auditor',
    description: 'Reads everything, changes nothing',
    privileges: ['Audit.Read', 'VM.ViewAll', 'Host.View', 'User.View'],
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index users_email_key on users (lower(email))`.execute(db);

  await db.schema
    .createTable('roles')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('built_in', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('role_privileges')
    .addColumn('role_id', 'uuid', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('privilege', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_privileges_pkey', ['role_id', 'privilege'])
    .execute();

  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role_id', 'uuid', (c) => c.notNull().references('roles.id').onDelete('restrict'))
    .addPrimaryKeyConstraint('user_roles_pkey', ['user_id', 'role_id'])
    .execute();
  await db.schema.createIndex('user_roles_role_idx').on('user_roles').column('role_id').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('privileges', sql`text[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('login_failures_key_at_idx').on('login_failures').columns(['key', 'at']).execute();

  // Null limit = unlimited.
  await db.schema
    .createTable('quotas')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('max_vcpus', 'integer')
    .addColumn('max_memory_mb', 'integer')
    .addColumn('max_disk_gb', 'integer')
    .addColumn('max_vms', 'integer')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('hosts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('uri', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('offline'))
    .addColumn('status_message', 'text')
    .addColumn('maintenance', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('capabilities', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('images')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('os_family', 'text')
    .addColumn('os_version', 'text')
    .addColumn('format', 'text')
    .addColumn('virtual_size_bytes', 'bigint')
    .addColumn('file_size_bytes', 'bigint')
    .addColumn('sha256', 'text')
    .addColumn('min_disk_gb', 'integer')
    .addColumn('min_memory_mb', 'integer')
    .addColumn('cloud_init', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('default_user', 'text')
    .addColumn('owner_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('visibility', 'text', (c) => c.notNull().defaultTo('private'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('uploading'))
    .addColumn('source', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // id is also the libvirt domain UUID.
  await db.schema
    .createTable('vms')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('host_id', 'uuid', (c) => c.references('hosts.id').onDelete('restrict'))
    .addColumn('image_id', 'uuid', (c) => c.references('images.id').onDelete('restrict'))
    .addColumn('vcpus', 'integer', (c) => c.notNull())
    .addColumn('memory_mb', 'integer', (c) => c.notNull())
    .addColumn('disk_gb', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('vms_owner_idx').on('vms').column('owner_id').execute();
  await db.schema.createIndex('vms_host_idx').on('vms').column('host_id').execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('vm_id', 'uuid', (c) => c.references('vms.id').onDelete('set null'))
    .addColumn('host_id', 'uuid', (c) => c.references('hosts.id').onDelete('set null'))
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('request_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('tasks_vm_idx').on('tasks').column('vm_id').execute();

  await db.schema
    .createTable('task_steps')
    .addColumn('task_id', 'uuid', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message', 'text')
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addPrimaryKeyConstraint('task_steps_pkey', ['task_id', 'position'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  for (const column of ['at', 'actor_id', 'target_id', 'action', 'request_id']) {
    await db.schema.createIndex(`audit_log_${column}_idx`).on('audit_log').column(column).execute();
  }

  for (const role of BUILT_IN_ROLES) {
    const { id } = await db
      .insertInto('roles')
      .values({ name: role.name, description: role.description, built_in: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('role_privileges')
      .values(role.privileges.map((privilege) => ({ role_id: id, privilege })))
      .execute();
  }
}
