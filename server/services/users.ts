import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import { PUBLIC_USER_COLUMNS, type Database, type PublicUser } from '../../db/types.ts';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../errors.ts';
import type { Viewer } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { ADMINISTRATOR_ROLE, DEFAULT_USER_ROLE } from './privileges.ts';
import { hashPassword } from './secrets.ts';
import { emailSchema, parseInput, passwordSchema, personNameSchema } from './validation.ts';
import { assertRolesGrantable } from './roles.ts';
import { revokeTokensOfUser } from './api-tokens.ts';
import { assertAdministratorRemains, assertMayActOnUser } from './user-authority.ts';
import { keysetOrder, pageByKeyset, type KeysetPage, type KeysetPageArgs } from './keyset.ts';
import { publishUserListed, publishUserUpdated } from './user-events.ts';

export const createUserSchema = z.object({
  email: emailSchema,
  name: personNameSchema,
  password: passwordSchema,
  roleIds: z.array(z.uuid()).max(50).optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;

export const updateUserSchema = z.object({
  email: emailSchema.optional(),
  name: personNameSchema.optional(),
  password: passwordSchema.optional(),
  /** With a password: revoke the user's API tokens too (the default). */
  revokeApiTokens: z.boolean().default(true),
});
export type UpdateUserInput = z.input<typeof updateUserSchema>;

export async function findUser(db: Db, id: string): Promise<PublicUser> {
  const user = await db.selectFrom('users').select(PUBLIC_USER_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!user) throw new NotFoundError('The user');
  return user;
}

export async function usersByIds(db: Db, ids: readonly string[]): Promise<PublicUser[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').select(PUBLIC_USER_COLUMNS).where('id', 'in', ids).execute();
}

export interface UserFilter {
  search?: string | null;
  disabled?: boolean | null;
}

/** Oldest first. */
export const USER_ORDER = keysetOrder('users', 'the user list', [
  { column: 'created_at', kind: 'timestamp' },
  { column: 'id', kind: 'uuid' },
]);

export async function listUsers(db: Db, filter: UserFilter, page: KeysetPageArgs): Promise<KeysetPage<PublicUser>> {
  let query = db.selectFrom('users').select(PUBLIC_USER_COLUMNS);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('email', 'ilike', pattern), eb('name', 'ilike', pattern)]));
  }
  if (filter.disabled !== undefined && filter.disabled !== null) query = query.where('disabled', '=', filter.disabled);
  return pageByKeyset(query, USER_ORDER, page);
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function insertUser(trx: Transaction<Database>, input: z.output<typeof createUserSchema>, roleIds: string[]): Promise<PublicUser> {
  const taken = await trx.selectFrom('users').select('id').where(sql`lower(email)`, '=', input.email.toLowerCase()).executeTakeFirst();
  if (taken) throw new ConflictError(`A user with the email ${input.email} already exists`);
  const user = await trx
    .insertInto('users')
    .values({ email: input.email, name: input.name, password_hash: await hashPassword(input.password) })
    .returning(PUBLIC_USER_COLUMNS)
    .executeTakeFirstOrThrow();
  if (roleIds.length) await trx.insertInto('user_roles').values(roleIds.map((role_id) => ({ user_id: user.id, role_id }))).execute();
  await trx.insertInto('quotas').values({ user_id: user.id, max_vcpus: null, max_memory_mb: null, max_disk_gb: null, max_vms: null }).execute();
  return user;
}

async function roleIdByName(trx: Transaction<Database>, name: string): Promise<string> {
  const role = await trx.selectFrom('roles').select('id').where('name', '=', name).executeTakeFirstOrThrow();
  return role.id;
}

/** createUser for a request: user lists hear of the new user. */
export async function createUserAndAnnounce(ctx: ServiceContext, raw: CreateUserInput): Promise<PublicUser> {
  const user = await createUser(ctx.db, actorOf(ctx), raw);
  publishUserListed(ctx, user.id);
  return user;
}

/** Announces nothing (the shell calls it before any API listens). */
export async function createUser(db: Db, actor: Viewer, raw: CreateUserInput): Promise<PublicUser> {
  const input = parseInput(createUserSchema, raw);
  return db.transaction().execute(async (trx) => {
    const roleIds = input.roleIds?.length ? [...new Set(input.roleIds)] : [await roleIdByName(trx, DEFAULT_USER_ROLE)];
    await assertRolesGrantable(trx, actor, roleIds);
    return insertUser(trx, input, roleIds);
  });
}

/** First run only: creates an administrator while no user exists at all. */
export async function setupAdministrator(ctx: ServiceContext, raw: Omit<CreateUserInput, 'roleIds'>): Promise<PublicUser> {
  const input = parseInput(createUserSchema.omit({ roleIds: true }), raw);
  const user = await ctx.db.transaction().execute(async (trx) => {
    // Serializes concurrent first-run requests so exactly one can win.
    await sql`select pg_advisory_xact_lock(7216001)`.execute(trx);
    const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (existing) throw new ConflictError('Hangar already has users; ask an administrator for an account');
    return insertUser(trx, input, [await roleIdByName(trx, ADMINISTRATOR_ROLE)]);
  });
  publishUserListed(ctx, user.id);
  return user;
}

export async function updateUser(ctx: ServiceContext, id: string, raw: UpdateUserInput): Promise<PublicUser> {
  const actor = actorOf(ctx);
  const input = parseInput(updateUserSchema, raw);
  if (input.email === undefined && input.name === undefined && input.password === undefined) {
    throw new ValidationError('Nothing to change: give an email, a name or a password');
  }
  // Your own password changes only with the current one (changePassword): a stolen session or a
  // token would otherwise turn itself into a password, a credential that outlives it.
  if (input.password && actor.userId === id) {
    throw actor.tokenId
      ? new PermissionError('An API token cannot set the password of its own user; use changePassword')
      : ValidationError.forField('password', 'Change your own password with changePassword: it asks for your current one');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const updated = await ctx.db.transaction().execute(async (trx) => {
    await lockUser(trx, id);
    await assertMayActOnUser(trx, actor, id);
    if (input.email) {
      const taken = await trx.selectFrom('users').select('id').where(sql`lower(email)`, '=', input.email.toLowerCase()).where('id', '<>', id).executeTakeFirst();
      if (taken) throw new ConflictError(`A user with the email ${input.email} already exists`);
    }
    const user = await trx
      .updateTable('users')
      .set({ email: input.email, name: input.name, password_hash: passwordHash, updated_at: new Date() })
      .where('id', '=', id)
      .returning(PUBLIC_USER_COLUMNS)
      .executeTakeFirstOrThrow();
    if (passwordHash) {
      // A password set by someone else ends the user's sessions; their tokens too unless asked not to.
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      if (input.revokeApiTokens) await revokeTokensOfUser(trx, id);
    }
    return user;
  });
  publishUserUpdated(ctx, id);
  return updated;
}

/**
 * Disabling ends the user's sessions and revokes their tokens in the same transaction, so enabling
 * them again revives nothing: they sign in anew and make new tokens.
 */
export async function setUserDisabled(ctx: ServiceContext, id: string, disabled: boolean): Promise<PublicUser> {
  const actor = actorOf(ctx);
  if (disabled && id === actor.userId) throw new ConflictError('You cannot disable your own account');
  const changed = await ctx.db.transaction().execute(async (trx) => {
    await lockUser(trx, id);
    await assertMayActOnUser(trx, actor, id);
    const user = await trx.updateTable('users').set({ disabled, updated_at: new Date() }).where('id', '=', id).returning(PUBLIC_USER_COLUMNS).executeTakeFirstOrThrow();
    if (disabled) {
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await revokeTokensOfUser(trx, id);
      await assertAdministratorRemains(trx);
    }
    return user;
  });
  publishUserUpdated(ctx, id);
  return changed;
}

export async function setUserRoles(ctx: ServiceContext, id: string, roleIdsRaw: string[]): Promise<PublicUser> {
  const actor = actorOf(ctx);
  const roleIds = [...new Set(parseInput(z.array(z.uuid()).max(50), roleIdsRaw))];
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const user = await lockUser(trx, id);
    await assertMayActOnUser(trx, actor, id);
    const current = await trx.selectFrom('user_roles').select('role_id').where('user_id', '=', id).execute();
    const added = roleIds.filter((r) => !current.some((c) => c.role_id === r));
    const removed = current.map((c) => c.role_id).filter((r) => !roleIds.includes(r));
    // Adding or taking away a role you could not grant yourself is refused alike.
    await assertRolesGrantable(trx, actor, [...added, ...removed]);
    await trx.deleteFrom('user_roles').where('user_id', '=', id).execute();
    if (roleIds.length) await trx.insertInto('user_roles').values(roleIds.map((role_id) => ({ user_id: id, role_id }))).execute();
    await assertAdministratorRemains(trx);
    return user;
  });
  publishUserUpdated(ctx, id);
  return changed;
}

async function lockUser(trx: Transaction<Database>, id: string): Promise<PublicUser> {
  const user = await trx.selectFrom('users').select(PUBLIC_USER_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!user) throw new NotFoundError('The user');
  return user;
}

