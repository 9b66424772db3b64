import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database } from '../../db/types.ts';
import { ConflictError, PermissionError } from '../errors.ts';
import type { Viewer } from './auth.ts';

/**
 * No one outranks their source: the one rule for every change aimed at a user (profile, password,
 * disable, enable, roles, quota, their tokens). The actor must hold every privilege the target
 * holds, or be the target signed in with a session. A token's privileges are already the
 * intersection with its owner's (Viewer.privileges), so a token needs its own privileges to cover
 * the target's, even when the target is its owner: a narrow token must not reset its owner's password.
 */
export async function assertMayActOnUser(db: Transaction<Database> | Db, actor: Viewer, targetId: string): Promise<void> {
  if (actor.userId === targetId && actor.tokenId === null) return;
  const rows = await db
    .selectFrom('user_roles as ur')
    .innerJoin('role_privileges as rp', 'rp.role_id', 'ur.role_id')
    .select('rp.privilege')
    .distinct()
    .where('ur.user_id', '=', targetId)
    .execute();
  const missing = rows.map((r) => r.privilege).filter((p) => !actor.privileges.has(p as never)).sort();
  if (missing.length) {
    const who = actor.userId === targetId ? 'This API token' : 'You';
    throw new PermissionError(`${who} may not act on a user who holds privileges ${who === 'You' ? 'you do' : 'it does'} not: ${missing.join(', ')}`);
  }
}

/** Refuses a change that would leave nobody able to manage users and roles. */
export async function assertAdministratorRemains(trx: Transaction<Database>): Promise<void> {
  const holds = (privilege: string) => sql<boolean>`exists (
    select 1 from user_roles ur join role_privileges rp on rp.role_id = ur.role_id
    where ur.user_id = users.id and rp.privilege = ${privilege})`;
  const row = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('disabled', '=', false)
    .where(holds('User.Manage'))
    .where(holds('Role.Manage'))
    .executeTakeFirstOrThrow();
  if (Number(row.n) === 0) throw new ConflictError('This would leave no enabled user who can manage users and roles');
}
