import { sql, type Kysely } from 'kysely';

// Sign-in throttling as counters updated in one statement each (login-throttle.ts), keyed by
// (account, address) pair and by address, instead of one row per failure counted before inserting
// (parallel guesses all passed the count) and keyed by account (a stranger could lock anyone out).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    // Attempts charged in the current run: before the password is checked, refunded when it was right.
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // No attempt for this key is checked before then (the back-off of an (account, address) pair).
    .addColumn('blocked_until', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('login_throttle_updated_at_idx').on('login_throttle').column('updated_at').execute();
  await db.schema.dropTable('login_failures').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_failures')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('login_failures_key_at_idx').on('login_failures').columns(['key', 'at']).execute();
  await db.schema.dropTable('login_throttle').execute();
}
