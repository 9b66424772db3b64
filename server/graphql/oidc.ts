import { encodeGlobalID } from '@pothos/plugin-relay';
import type { OidcProviderRow } from '../../db/types.ts';
import { NotFoundError } from '../errors.ts';
import * as oidc from '../services/oidc.ts';
import { builder, NO_MEMO } from './builder.ts';
import type { Context } from './context.ts';
import { idOf } from './errors.ts';
import { RoleRef } from './role.ts';

// Which provider group gives which role decides who holds what: managing providers takes both
// managing users and managing roles.
const MANAGE_SSO = ['User.Manage', 'Role.Manage'] as const;

/** Where the provider must send the browser back: register it with the provider. */
function callbackUrlOf(ctx: Context, providerId: string): string | null {
  const base = ctx.config.publicUrl ? new URL(ctx.config.publicUrl).origin : ctx.requestInfo.host ? `http://${ctx.requestInfo.host}` : null;
  return base ? `${base}/auth/oidc/${providerId}/callback` : null;
}

const GroupRoleRef = builder.objectRef<oidc.GroupRole>('OidcGroupRole').implement({
  description: 'Members of the group (in the groups claim) hold the role; set again at every sign-in',
  fields: (t) => ({
    group: t.exposeString('group'),
    role: t.field({ type: RoleRef, resolve: (g) => g.roleId }),
  }),
});

export const OidcProviderRef = builder.loadableNode('OidcProvider', {
  description: 'An OpenID Provider users may sign in with (single sign-on); its client secret is never shown',
  loaderOptions: NO_MEMO,
  id: { resolve: (p: OidcProviderRow) => p.id },
  authScopes: { allPrivileges: MANAGE_SSO },
  load: async (ids: string[], ctx) => {
    const rows = await oidc.oidcProvidersByIds(ctx.db, ids);
    return ids.map((id) => rows.find((r) => r.id === id) ?? new NotFoundError('The sign-in provider'));
  },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Shown on the sign-in button' }),
    issuer: t.exposeString('issuer', { description: 'The issuer URL; its /.well-known/openid-configuration is read' }),
    clientId: t.exposeString('client_id'),
    scopes: t.exposeString('scopes', { description: 'Space-separated; openid among them' }),
    usernameClaim: t.exposeString('username_claim'),
    emailClaim: t.exposeString('email_claim'),
    nameClaim: t.exposeString('name_claim', { description: 'The display name' }),
    groupsClaim: t.exposeString('groups_claim', { description: 'A list of group names (or one name)' }),
    createUsers: t.exposeBoolean('create_users', { description: 'A first sign-in of someone without a Hangar account creates one; otherwise it is refused' }),
    enabled: t.exposeBoolean('enabled'),
    callbackUrl: t.string({ nullable: true, description: 'The redirect URI to register with the provider', resolve: (p, _args, ctx) => callbackUrlOf(ctx, p.id) }),
    groupRoles: t.loadableList({
      loaderOptions: NO_MEMO,
      type: GroupRoleRef,
      resolve: (p) => p.id,
      load: (ids: string[], ctx) => oidc.groupRolesOfProviders(ctx.db, ids),
    }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

const SignInProviderRef = builder.objectRef<{ id: string; name: string }>('SignInProvider').implement({
  description: 'An enabled single sign-on provider, as the sign-in page shows it',
  fields: (t) => ({
    id: t.id({ description: 'The OidcProvider\'s id', resolve: (p) => encodeGlobalID('OidcProvider', p.id) }),
    name: t.exposeString('name'),
    startUrl: t.string({ description: 'Send the browser here to sign in with the provider', resolve: (p) => `/auth/oidc/${p.id}/start` }),
  }),
});

builder.queryFields((t) => ({
  oidcProviders: t.field({
    type: [OidcProviderRef],
    description: 'Every single sign-on provider, enabled or not',
    authScopes: { allPrivileges: MANAGE_SSO },
    resolve: (_root, _args, ctx) => oidc.listOidcProviders(ctx.db),
  }),
  signInProviders: t.field({
    type: [SignInProviderRef],
    description: 'The enabled single sign-on providers, for the sign-in page (no sign-in needed)',
    authScopes: { public: true },
    resolve: (_root, _args, ctx) => oidc.signInProviders(ctx.db),
  }),
}));

const GroupRoleInput = builder.inputType('OidcGroupRoleInput', {
  fields: (t) => ({
    group: t.string({ required: true, validate: { maxLength: 200 } }),
    roleId: t.id({ required: true }),
  }),
});

const providerInputFields = (required: boolean) => (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) => ({
  name: t.string({ required, validate: { maxLength: 60 } }),
  issuer: t.string({ required, validate: { maxLength: 500 } }),
  clientId: t.string({ required, validate: { maxLength: 300 } }),
  clientSecret: t.string({ required, description: required ? undefined : 'Left out: the secret stays', validate: { maxLength: 1000 } }),
  scopes: t.string({ description: 'Default "openid email profile"', validate: { maxLength: 300 } }),
  usernameClaim: t.string({ description: 'Default preferred_username', validate: { maxLength: 100 } }),
  emailClaim: t.string({ description: 'Default email', validate: { maxLength: 100 } }),
  nameClaim: t.string({ description: 'Default name', validate: { maxLength: 100 } }),
  groupsClaim: t.string({ description: 'Default groups', validate: { maxLength: 100 } }),
  createUsers: t.boolean({ description: 'Default false' }),
  enabled: t.boolean({ description: 'Default true' }),
  groupRoles: t.field({ type: [GroupRoleInput], description: required ? undefined : 'Given: replaces the whole mapping', validate: { maxLength: 200 } }),
});

const AddOidcProviderInput = builder.inputType('AddOidcProviderInput', { fields: providerInputFields(true) });
const UpdateOidcProviderInput = builder.inputType('UpdateOidcProviderInput', { fields: providerInputFields(false) });

type ProviderInput = { [K in keyof oidc.AddOidcProviderInput]?: unknown } & { groupRoles?: Array<{ group: string; roleId: string | number }> | null };

/** GraphQL's input as the service takes it: nulls left out, role ids decoded. */
function serviceInput(input: ProviderInput): oidc.UpdateOidcProviderInput {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) if (value !== null && value !== undefined && key !== 'groupRoles') out[key] = value;
  if (input.groupRoles) out.groupRoles = input.groupRoles.map((g, i) => ({ group: g.group, roleId: idOf(String(g.roleId), 'Role', `groupRoles.${i}.roleId`) }));
  return out as oidc.UpdateOidcProviderInput;
}

builder.mutationFields((t) => ({
  addOidcProvider: t.field({
    type: OidcProviderRef,
    errors: {},
    description: 'Adds a single sign-on provider; the roles its groups give must be roles you could grant',
    authScopes: { allPrivileges: MANAGE_SSO },
    extensions: { auditCreates: 'OidcProvider' },
    args: { input: t.arg({ type: AddOidcProviderInput, required: true }) },
    resolve: (_root, { input }, ctx) => oidc.addOidcProvider(ctx, serviceInput(input) as oidc.AddOidcProviderInput),
  }),
  updateOidcProvider: t.field({
    type: OidcProviderRef,
    errors: {},
    authScopes: { allPrivileges: MANAGE_SSO },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateOidcProviderInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => oidc.updateOidcProvider(ctx, idOf(String(id), 'OidcProvider'), serviceInput(input)),
  }),
  deleteOidcProvider: t.field({
    type: OidcProviderRef,
    errors: {},
    description: 'Deletes a provider and its links to users (the users stay); returns the deleted provider',
    authScopes: { allPrivileges: MANAGE_SSO },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => oidc.deleteOidcProvider(ctx, idOf(String(id), 'OidcProvider')),
  }),
}));
