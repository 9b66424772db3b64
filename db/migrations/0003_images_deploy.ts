import { sql, type Kysely } from 'kysely';

// Images in a store, shared with chosen users; VMs deployed from them with cloud-init; IP pools.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('images')
    .addColumn('status_message', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('images_owner_idx').on('images').column('owner_id').execute();

  await db.schema
    .createTable('image_shares')
    .addColumn('image_id', 'uuid', (c) => c.notNull().references('images.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('image_shares_pk', ['image_id', 'user_id'])
    .execute();
  await db.schema.createIndex('image_shares_user_idx').on('image_shares').column('user_id').execute();

  // The guest's configuration, kept so a reinstall configures it the same way. Holds the
  // password's sha512-crypt hash, never the password.
  await db.schema
    .alterTable('vms')
    .addColumn('mac_address', 'text')
    .addColumn('guest_config', 'jsonb')
    .execute();

  await db.schema
    .createTable('ip_pools')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('host_id', 'uuid', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('cidr', 'text', (c) => c.notNull())
    .addColumn('gateway', 'text')
    .addColumn('dns', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('range_start', 'text', (c) => c.notNull())
    .addColumn('range_end', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // One row per address in use: the primary key makes a double allocation impossible.
  await db.schema
    .createTable('ip_allocations')
    .addColumn('pool_id', 'uuid', (c) => c.notNull().references('ip_pools.id').onDelete('restrict'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('vm_id', 'uuid', (c) => c.notNull().unique().references('vms.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('ip_allocations_pk', ['pool_id', 'address'])
    .execute();
}
