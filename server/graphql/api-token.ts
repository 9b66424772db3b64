import type { ApiTokenRow } from '../../db/types.ts';
import { NotFoundError } from '../errors.ts';
import * as tokens from '../services/api-tokens.ts';
import { hasPrivilege, type Viewer } from '../services/auth.ts';
import { ALL_PRIVILEGES } from '../services/privileges.ts';
import { tokenNameSchema } from '../services/validation.ts';
import { builder, NO_MEMO } from './builder.ts';
import { idOf } from './errors.ts';
import { PrivilegeEnum } from './role.ts';
import { UserRef } from './user.ts';

function canSeeToken(viewer: Viewer | null, token: ApiTokenRow): boolean {
  return viewer !== null && (token.user_id === viewer.userId || hasPrivilege(viewer, 'User.Manage'));
}

export const ApiTokenRef = builder.loadableNode('ApiToken', {
  loaderOptions: NO_MEMO,
  id: { resolve: (token: ApiTokenRow) => token.id },
  description: 'A Bearer token for integrations; its secret is shown only when created',
  load: async (ids: string[], ctx) => {
    const rows = await tokens.apiTokensByIds(ctx.db, ids);
    return ids.map((id) => {
      const row = rows.find((r) => r.id === id);
      return row && canSeeToken(ctx.viewer, row) ? row : new NotFoundError('The API token');
    });
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    owner: t.field({ type: UserRef, resolve: (token) => token.user_id }),
    privileges: t.field({ type: [PrivilegeEnum], resolve: (token) => token.privileges as never }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    expiresAt: t.expose('expires_at', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revoked_at', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectField(ApiTokenRef, 'parent', (t) =>
  t.field({
    type: ApiTokenRef,
    nullable: true,
    description: 'The token that made this one (null: made while signed in); revoking it revokes this one',
    resolve: (token) => token.parent_id,
  }),
);

builder.objectField(UserRef, 'apiTokens', (t) =>
  t.field({
    type: [ApiTokenRef],
    description: 'The user\'s API tokens (yours, or anyone\'s for user managers)',
    resolve: (user, _args, ctx) => (ctx.viewer?.userId === user.id || hasPrivilege(ctx.viewer, 'User.Manage') ? tokens.listApiTokens(ctx.db, user.id) : []),
  }),
);

const CreatedApiToken = builder.objectRef<{ token: ApiTokenRow; secret: string }>('CreatedApiToken').implement({
  fields: (t) => ({
    token: t.field({ type: ApiTokenRef, resolve: (r) => r.token }),
    secret: t.exposeString('secret', { description: 'Send as "Authorization: Bearer <secret>"; it cannot be shown again' }),
  }),
});

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: { schema: tokenNameSchema } }),
    privileges: t.field({ type: [PrivilegeEnum], required: true, description: 'A subset of your own privileges', validate: { maxLength: ALL_PRIVILEGES.length } }),
    expiresInDays: t.int({ description: '1 to 365; 90 when not given. A token asking makes a child of itself that expires no later than it does and is revoked with it', validate: { min: 1, max: 365 } }),
  }),
});

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: CreatedApiToken,
    errors: {},
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const created = await tokens.createApiToken(ctx.db, ctx.viewer!, { ...input, expiresInDays: input.expiresInDays ?? undefined });
      return Object.assign(created, { id: created.token.id });
    },
    extensions: { auditCreates: 'ApiToken' },
  }),
  revokeApiToken: t.field({
    type: ApiTokenRef,
    errors: {},
    description: 'Revokes a token and every token it made, at once; open subscriptions using them end',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => (await tokens.revokeApiToken(ctx, idOf(String(id), 'ApiToken'))).token,
  }),
}));
