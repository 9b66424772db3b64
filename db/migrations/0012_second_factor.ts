import { sql, type Kysely } from 'kysely';

// Second factors (issue 23): TOTP secrets, WebAuthn credentials, hashed recovery codes, the pending
// step between a right password and a second factor, and roles that require one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('roles').addColumn('requires_second_factor', 'boolean', (c) => c.notNull().defaultTo(false)).execute();

  await db.schema
    .createTable('totp_secrets')
    .addColumn('user_id', 'uuid', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('secret', 'text', (c) => c.notNull())
    // Null until a code from the authenticator app was verified once: only then does it count.
    .addColumn('confirmed_at', 'timestamptz')
    // The RFC 6238 time step of the last code accepted: a code of that step or earlier is refused.
    .addColumn('last_used_step', 'bigint')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'bytea', (c) => c.notNull())
    // The authenticator's signature counter: an assertion that does not move it forward is a clone.
    .addColumn('counter', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('transports', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('webauthn_credentials_user_id_idx').on('webauthn_credentials').column('user_id').execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('recovery_codes_user_id_idx').on('recovery_codes').column('user_id').execute();

  await db.schema
    .createTable('second_factor_challenges')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // 'login' (a right password waiting for its second factor) or 'passkey-registration'.
    .addColumn('purpose', 'text', (c) => c.notNull())
    // The pending sign-in's token (hashed); null for a registration.
    .addColumn('token_hash', 'text', (c) => c.unique())
    // The password hash that was checked: a password changed meanwhile voids the sign-in.
    .addColumn('password_hash', 'text')
    .addColumn('webauthn_challenge', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('second_factor_challenges_user_id_idx').on('second_factor_challenges').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('second_factor_challenges').execute();
  await db.schema.dropTable('recovery_codes').execute();
  await db.schema.dropTable('webauthn_credentials').execute();
  await db.schema.dropTable('totp_secrets').execute();
  await db.schema.alterTable('roles').dropColumn('requires_second_factor').execute();
}
