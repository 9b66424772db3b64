import { sql, type Kysely } from 'kysely';

// Console tickets: short-lived, single-use permissions to open one VM's console, kept in the
// database (only their hash) so whichever API replica the browser's WebSocket reaches can redeem them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('console_tickets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('vm_id', 'uuid', (c) => c.notNull().references('vms.id').onDelete('cascade'))
    // The credential the ticket was asked with: signing out or revoking the token voids the ticket too.
    .addColumn('session_id', 'uuid', (c) => c.references('sessions.id').onDelete('cascade'))
    .addColumn('api_token_id', 'uuid', (c) => c.references('api_tokens.id').onDelete('cascade'))
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_tickets_expires_at_idx').on('console_tickets').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('console_tickets').execute();
}
