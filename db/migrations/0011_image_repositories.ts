import { sql, type Kysely } from 'kysely';

// OS image repositories (issue 22): an index (simplestreams, or the built-in list of vendors'
// cloud images) that offers images, one row per product with its newest version; an image
// installed from one remembers the product and the version it was, so "installed" and "update
// available" are questions about rows. A repository that goes leaves its images in place.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('image_repositories')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('builtin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    // An armoured OpenPGP public key: when set, only the clearsigned index (.sjson) it signed is read.
    .addColumn('signing_key', 'text')
    .addColumn('refreshed_at', 'timestamptz')
    .addColumn('refresh_error', 'text')
    .addColumn('refresh_error_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Every installation offers the built-in repository of vendors' cloud images (an admin may disable
  // it); its definition is code (server/services/builtin-repository.ts), its row is this one.
  await db.insertInto('image_repositories').values({ name: 'Cloud images', url: 'builtin:cloud-images', builtin: true }).execute();
  await db.schema
    .createTable('repository_images')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('repository_id', 'uuid', (c) => c.notNull().references('image_repositories.id').onDelete('cascade'))
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('os_family', 'text')
    .addColumn('os_version', 'text')
    .addColumn('arch', 'text')
    .addColumn('default_user', 'text')
    .addColumn('min_disk_gb', 'integer')
    .addColumn('min_memory_mb', 'integer')
    .addColumn('cloud_init', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('format', 'text')
    .addColumn('size_bytes', 'bigint')
    .addColumn('checksum_algorithm', 'text', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('version_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('install_error', 'text')
    .addColumn('install_error_reason', 'text')
    .addUniqueConstraint('repository_images_product', ['repository_id', 'product'])
    .execute();
  await db.schema
    .alterTable('images')
    .addColumn('repository_image_id', 'uuid', (c) => c.references('repository_images.id').onDelete('set null'))
    .addColumn('repository_version', 'text')
    .execute();
  await db.schema.createIndex('images_repository_image').on('images').column('repository_image_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('images').dropColumn('repository_image_id').dropColumn('repository_version').execute();
  await db.schema.dropTable('repository_images').execute();
  await db.schema.dropTable('image_repositories').execute();
}
