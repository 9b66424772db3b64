import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { ApiTokenRow, Database } from '../../db/types.ts';
import { NotFoundError, PermissionError } from '../errors.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from './secrets.ts';
import { ancestryAlive } from './token-chain.ts';
import { assertMayActOnUser } from './user-authority.ts';
import { parseInput, privilegeListSchema, tokenNameSchema } from './validation.ts';

export const createApiTokenSchema = z.object({
  name: tokenNameSchema,
  privileges: privilegeListSchema.min(1, 'A token needs at least one privilege'),
  expiresInDays: z.number().int().min(1).max(365).default(90),
});

export async function apiTokensByIds(db: Db, ids: readonly string[]): Promise<ApiTokenRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('api_tokens').selectAll().where('id', 'in', ids).execute();
}

export async function listApiTokens(db: Db, userId: string): Promise<ApiTokenRow[]> {
  return db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

/**
 * Creates a token for the viewer holding a subset of the viewer's privileges; the secret is returned
 * once. A token asking makes a child of itself: no more privileges than it holds, expiring no later
 * than it does (a later expiry is cut to its own), and revoked with it.
 */
export async function createApiToken(db: Db, viewer: Viewer, raw: z.input<typeof createApiTokenSchema>): Promise<{ token: ApiTokenRow; secret: string }> {
  const input = parseInput(createApiTokenSchema, raw);
  const missing = input.privileges.filter((p) => !viewer.privileges.has(p as never));
  if (missing.length) throw new PermissionError(`A token cannot hold privileges ${viewer.tokenId ? 'the token asking does' : 'you do'} not hold: ${missing.join(', ')}`);
  const secret = newSecret(API_TOKEN_PREFIX);
  const asked = new Date(Date.now() + input.expiresInDays * 86400_000);
  return db.transaction().execute(async (trx) => {
    let expiresAt = asked;
    if (viewer.tokenId) {
      // Locked so the parent cannot be revoked between this check and the child's insert.
      const parent = await trx
        .selectFrom('api_tokens as t')
        .select(['t.expires_at'])
        .where('t.id', '=', viewer.tokenId)
        .where('t.revoked_at', 'is', null)
        .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', sql<Date>`now()`)]))
        .where(ancestryAlive('t.parent_id'))
        .forUpdate()
        .executeTakeFirst();
      if (!parent) throw new PermissionError('The API token asking has been revoked or has expired');
      if (parent.expires_at && parent.expires_at < expiresAt) expiresAt = parent.expires_at;
    } else if (viewer.sessionId) {
      // Locked as for a parent token: a disable or password change ending the session (and revoking the
      // user's tokens) either waits for this token, and revokes it, or has ended the session before it.
      const session = await trx
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select('s.id')
        .where('s.id', '=', viewer.sessionId)
        .where('s.expires_at', '>', sql<Date>`now()`)
        .where('u.disabled', '=', false)
        .forShare()
        .executeTakeFirst();
      if (!session) throw new PermissionError('The session asking has ended');
    }
    const token = await trx
      .insertInto('api_tokens')
      .values({
        user_id: viewer.userId,
        name: input.name,
        token_hash: hashSecret(secret),
        privileges: [...new Set(input.privileges)],
        expires_at: expiresAt,
        parent_id: viewer.tokenId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { token, secret };
  });
}

export interface RevokedApiToken {
  token: ApiTokenRow;
  /** Every token this revocation ended: the token and its descendants. */
  revokedIds: string[];
}

/**
 * Owners revoke their own tokens; user managers revoke the tokens of users they may act on.
 * A token's descendants are revoked with it, in the same statement. Revoking twice is harmless.
 */
export async function revokeApiToken(ctx: ServiceContext, id: string): Promise<RevokedApiToken> {
  const viewer = actorOf(ctx);
  const revoked = await ctx.db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('api_tokens').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!found || (found.user_id !== viewer.userId && !hasPrivilege(viewer, 'User.Manage'))) throw new NotFoundError('The API token');
    // Another user's token, or (for a token) one it did not make: acting on that user. A narrow token
    // may end itself and its descendants, not its owner's other credentials.
    if (found.user_id !== viewer.userId || (viewer.tokenId && !(await madeBy(trx, id, viewer.tokenId)))) await assertMayActOnUser(trx, viewer, found.user_id);
    const revoked = await sql<{ id: string }>`
      with recursive tree(id) as (
        select ${id}::uuid
        union
        select c.id from api_tokens c join tree on c.parent_id = tree.id
      )
      update api_tokens set revoked_at = now()
      where id in (select id from tree) and revoked_at is null
      returning id`.execute(trx);
    const token = await trx.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { token, revokedIds: revoked.rows.map((r) => r.id) };
  });
  // Open subscriptions and cached sessions of every revoked token end at once.
  ctx.viewers.announce({ tokenIds: [revoked.token.id, ...revoked.revokedIds] });
  return revoked;
}

/** True when `tokenId` is `ancestorId` or one of its descendants. */
async function madeBy(trx: Transaction<Database>, tokenId: string, ancestorId: string): Promise<boolean> {
  const row = await sql<{ found: boolean }>`
    with recursive chain(id, parent_id) as (
      select id, parent_id from api_tokens where id = ${tokenId}::uuid
      union
      select a.id, a.parent_id from api_tokens a join chain c on a.id = c.parent_id
    )
    select exists (select 1 from chain where id = ${ancestorId}::uuid) as found`.execute(trx);
  return row.rows[0]?.found === true;
}

/** Revokes every live token of the user (on disable, or a password change); returns their ids. */
export async function revokeTokensOfUser(trx: Transaction<Database>, userId: string): Promise<string[]> {
  const rows = await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).returning('id').execute();
  return rows.map((r) => r.id);
}
