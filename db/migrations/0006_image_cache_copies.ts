import { sql, type Kysely } from 'kysely';

// The cached copies of images this installation made on its hosts (see server/jobs/image-cache.ts):
// only these are ever pruned, and only once unused for a while. Another installation sharing a
// host, or a copy made before this table, is never touched.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('image_cache_copies')
    .addColumn('host_id', 'uuid', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    // Set each time a deploy is about to use the copy, before it looks for it on the host.
    .addColumn('used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('image_cache_copies_pk', ['host_id', 'name'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('image_cache_copies').execute();
}
