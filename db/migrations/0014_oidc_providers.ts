import { sql, type Kysely } from 'kysely';

// OIDC single sign-on (issue 23): providers an administrator configures, which provider group
// gives which Hangar role, the link between a provider's account (issuer + sub) and a Hangar user,
// and the sign-ins under way (state, nonce and PKCE verifier kept here, never in the browser).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('oidc_providers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    // Sent to the token endpoint, so kept as is (like TOTP secrets); the API never returns it.
    .addColumn('client_secret', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('openid email profile'))
    .addColumn('username_claim', 'text', (c) => c.notNull().defaultTo('preferred_username'))
    .addColumn('email_claim', 'text', (c) => c.notNull().defaultTo('email'))
    .addColumn('name_claim', 'text', (c) => c.notNull().defaultTo('name'))
    .addColumn('groups_claim', 'text', (c) => c.notNull().defaultTo('groups'))
    .addColumn('create_users', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('oidc_group_roles')
    .addColumn('provider_id', 'uuid', (c) => c.notNull().references('oidc_providers.id').onDelete('cascade'))
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addColumn('role_id', 'uuid', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('oidc_group_roles_pkey', ['provider_id', 'group_name', 'role_id'])
    .execute();
  await db.schema.createIndex('oidc_group_roles_role_id_idx').on('oidc_group_roles').column('role_id').execute();

  await db.schema
    .createTable('oidc_identities')
    .addColumn('provider_id', 'uuid', (c) => c.notNull().references('oidc_providers.id').onDelete('cascade'))
    // The ID token's sub: stable at its issuer, unlike an email or a user name.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('username', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_login_at', 'timestamptz')
    .addPrimaryKeyConstraint('oidc_identities_pkey', ['provider_id', 'subject'])
    .execute();
  await db.schema.createIndex('oidc_identities_user_id_idx').on('oidc_identities').column('user_id').execute();

  await db.schema
    .createTable('oidc_logins')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('provider_id', 'uuid', (c) => c.notNull().references('oidc_providers.id').onDelete('cascade'))
    // The hash of the httpOnly cookie that ties the sign-in to the browser that started it.
    .addColumn('browser_hash', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_logins').execute();
  await db.schema.dropTable('oidc_identities').execute();
  await db.schema.dropTable('oidc_group_roles').execute();
  await db.schema.dropTable('oidc_providers').execute();
}
