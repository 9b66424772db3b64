import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, RoleRow } from '../../db/types.ts';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../errors.ts';
import type { Viewer } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { isPrivilege, type Privilege } from './privileges.ts';
import { keysetOrder, pageByKeyset, type KeysetPage, type KeysetPageArgs } from './keyset.ts';
import { descriptionSchema, parseInput, privilegeListSchema, roleNameSchema } from './validation.ts';
import { assertAdministratorRemains, assertMayActOnUser } from './user-authority.ts';
import { publishUserShown } from './user-events.ts';

export const createRoleSchema = z.object({
  name: roleNameSchema,
  description: descriptionSchema.default(''),
  privileges: privilegeListSchema,
});
export const updateRoleSchema = z.object({
  name: roleNameSchema.optional(),
  description: descriptionSchema.optional(),
  privileges: privilegeListSchema.optional(),
});

export async function findRole(db: Db, id: string): Promise<RoleRow> {
  const role = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  if (!role) throw new NotFoundError('The role');
  return role;
}

export async function rolesByIds(db: Db, ids: readonly string[]): Promise<RoleRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('roles').selectAll().where('id', 'in', ids).execute();
}

/** Built-in roles first, then by name. */
export const ROLE_ORDER = keysetOrder('roles', 'the role list', [
  { column: 'built_in', kind: 'boolean', desc: true },
  { column: 'name', kind: 'text' },
  { column: 'id', kind: 'uuid' },
]);

export async function listRoles(db: Db, page: KeysetPageArgs): Promise<KeysetPage<RoleRow>> {
  return pageByKeyset(db.selectFrom('roles').selectAll(), ROLE_ORDER, page);
}

export async function rolesOfUsers(db: Db, userIds: readonly string[]): Promise<RoleRow[][]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('user_roles as ur')
    .innerJoin('roles as r', 'r.id', 'ur.role_id')
    .select(['ur.user_id', 'r.id', 'r.name', 'r.description', 'r.built_in', 'r.requires_second_factor', 'r.created_at'])
    .where('ur.user_id', 'in', userIds)
    .orderBy('r.name')
    .execute();
  return userIds.map((userId) => rows.filter((r) => r.user_id === userId).map(({ user_id: _, ...role }) => role));
}

export async function privilegesOfRoles(db: Db, roleIds: readonly string[]): Promise<Privilege[][]> {
  if (roleIds.length === 0) return [];
  const rows = await db.selectFrom('role_privileges').selectAll().where('role_id', 'in', roleIds).orderBy('privilege').execute();
  return roleIds.map((roleId) => rows.filter((r) => r.role_id === roleId).map((r) => r.privilege).filter(isPrivilege));
}

export async function privilegesOfUsers(db: Db, userIds: readonly string[]): Promise<Privilege[][]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('user_roles as ur')
    .innerJoin('role_privileges as rp', 'rp.role_id', 'ur.role_id')
    .select(['ur.user_id', 'rp.privilege'])
    .distinct()
    .where('ur.user_id', 'in', userIds)
    .orderBy('rp.privilege')
    .execute();
  return userIds.map((userId) => rows.filter((r) => r.user_id === userId).map((r) => r.privilege).filter(isPrivilege));
}

function assertPrivilegesHeld(actor: Viewer, privileges: readonly string[], what: string): void {
  const missing = privileges.filter((p) => !actor.privileges.has(p as Privilege));
  if (missing.length) throw new PermissionError(`You cannot ${what} privileges you do not hold yourself: ${missing.join(', ')}`);
}

/** Roles may only be granted or taken away by someone who holds all their privileges. */
export async function assertRolesGrantable(trx: Transaction<Database>, actor: Viewer, roleIds: string[]): Promise<void> {
  if (roleIds.length === 0) return;
  const found = await trx.selectFrom('roles').select('id').where('id', 'in', roleIds).execute();
  if (found.length !== roleIds.length) throw ValidationError.forField('roleIds', 'One of the roles does not exist');
  const privileges = await trx.selectFrom('role_privileges').select('privilege').distinct().where('role_id', 'in', roleIds).execute();
  assertPrivilegesHeld(actor, privileges.map((p) => p.privilege), 'grant or remove roles with');
}

export async function createRole(db: Db, actor: Viewer, raw: z.input<typeof createRoleSchema>): Promise<RoleRow> {
  const input = parseInput(createRoleSchema, raw);
  assertPrivilegesHeld(actor, input.privileges, 'grant');
  return db.transaction().execute(async (trx) => {
    await assertNameFree(trx, input.name, null);
    const role = await trx.insertInto('roles').values({ name: input.name, description: input.description }).returningAll().executeTakeFirstOrThrow();
    await replacePrivileges(trx, role.id, input.privileges);
    return role;
  });
}

export async function updateRole(ctx: ServiceContext, id: string, raw: z.input<typeof updateRoleSchema>): Promise<RoleRow> {
  const actor = actorOf(ctx);
  const input = parseInput(updateRoleSchema, raw);
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const role = await lockMutableRole(trx, id);
    if (input.name !== undefined) await assertNameFree(trx, input.name, id);
    if (input.privileges) {
      const current = await trx.selectFrom('role_privileges').select('privilege').where('role_id', '=', id).execute();
      const changed = symmetricDifference(current.map((c) => c.privilege), input.privileges);
      assertPrivilegesHeld(actor, changed, 'grant or remove');
      // Changing a role's privileges changes every holder's rights: as setUserRoles, only on users the actor may act on.
      if (changed.length) for (const holder of await roleHolderIds(trx, id)) await assertMayActOnUser(trx, actor, holder);
      await replacePrivileges(trx, id, input.privileges);
      await assertAdministratorRemains(trx);
    }
    if (input.name === undefined && input.description === undefined) return role;
    return trx.updateTable('roles').set({ name: input.name, description: input.description }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  });
  // A change of privileges touches everyone who holds the role.
  if (input.privileges) ctx.viewers.announce({ all: true });
  // Its holders show the role's name and privileges: their views and user lists refresh.
  if (input.name || input.privileges) for (const userId of await roleHolderIds(ctx.db, updated.id)) publishUserShown(ctx, userId);
  return updated;
}

/** The users who hold the role. */
export async function roleHolderIds(db: Db | Transaction<Database>, roleId: string): Promise<string[]> {
  const rows = await db.selectFrom('user_roles').select('user_id').where('role_id', '=', roleId).execute();
  return rows.map((r) => r.user_id);
}

export async function deleteRole(db: Db, actor: Viewer, id: string): Promise<RoleRow> {
  return db.transaction().execute(async (trx) => {
    const role = await lockMutableRole(trx, id);
    const holders = await trx.selectFrom('user_roles').select((eb) => eb.fn.countAll<string>().as('n')).where('role_id', '=', id).executeTakeFirstOrThrow();
    if (Number(holders.n) > 0) throw new ConflictError(`The role ${role.name} is held by ${holders.n} user(s); take it away from them first`);
    const privileges = await trx.selectFrom('role_privileges').select('privilege').where('role_id', '=', id).execute();
    assertPrivilegesHeld(actor, privileges.map((p) => p.privilege), 'delete a role with');
    await trx.deleteFrom('roles').where('id', '=', id).execute();
    return role;
  });
}

async function lockMutableRole(trx: Transaction<Database>, id: string): Promise<RoleRow> {
  const role = await trx.selectFrom('roles').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!role) throw new NotFoundError('The role');
  if (role.built_in) throw new ConflictError(`The built-in role ${role.name} cannot be changed; create a role of your own`);
  return role;
}

async function assertNameFree(trx: Transaction<Database>, name: string, exceptId: string | null): Promise<void> {
  let query = trx.selectFrom('roles').select('id').where('name', '=', name);
  if (exceptId) query = query.where('id', '<>', exceptId);
  if (await query.executeTakeFirst()) throw new ConflictError(`A role named ${name} already exists`);
}

async function replacePrivileges(trx: Transaction<Database>, roleId: string, privileges: string[]): Promise<void> {
  await trx.deleteFrom('role_privileges').where('role_id', '=', roleId).execute();
  const unique = [...new Set(privileges)];
  if (unique.length) await trx.insertInto('role_privileges').values(unique.map((privilege) => ({ role_id: roleId, privilege }))).execute();
}

function symmetricDifference(a: string[], b: string[]): string[] {
  return [...a.filter((x) => !b.includes(x)), ...b.filter((x) => !a.includes(x))];
}
