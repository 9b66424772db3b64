import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { ApiTokenRow } from '../../db/types.ts';
import { NotFoundError, PermissionError } from '../errors.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from './secrets.ts';
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

/** Creates a token for the viewer holding a subset of the viewer's privileges; the secret is returned once. */
export async function createApiToken(db: Db, viewer: Viewer, raw: z.input<typeof createApiTokenSchema>): Promise<{ token: ApiTokenRow; secret: string }> {
  const input = parseInput(createApiTokenSchema, raw);
  const missing = input.privileges.filter((p) => !viewer.privileges.has(p as never));
  if (missing.length) throw new PermissionError(`A token cannot hold privileges you do not hold: ${missing.join(', ')}`);
  const secret = newSecret(API_TOKEN_PREFIX);
  const token = await db
    .insertInto('api_tokens')
    .values({
      user_id: viewer.userId,
      name: input.name,
      token_hash: hashSecret(secret),
      privileges: [...new Set(input.privileges)],
      expires_at: new Date(Date.now() + input.expiresInDays * 86400_000),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, secret };
}

/** Owners revoke their own tokens; user managers revoke anyone's. Revoking twice is harmless. */
export async function revokeApiToken(db: Db, viewer: Viewer, id: string): Promise<ApiTokenRow> {
  const token = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  if (!token || (token.user_id !== viewer.userId && !hasPrivilege(viewer, 'User.Manage'))) throw new NotFoundError('The API token');
  if (token.revoked_at) return token;
  return db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}
