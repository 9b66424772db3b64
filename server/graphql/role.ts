import type { RoleRow } from '../../db/types.ts';
import { NotFoundError } from '../errors.ts';
import { ALL_PRIVILEGES, PRIVILEGES, type Privilege } from '../services/privileges.ts';
import * as roles from '../services/roles.ts';
import { descriptionSchema, roleNameSchema } from '../services/validation.ts';
import { builder, NO_MEMO } from './builder.ts';
import { idOf } from './errors.ts';
import { resolveKeysetConnection } from './keyset.ts';

export const PrivilegeEnum = builder.enumType('Privilege', {
  values: Object.fromEntries(ALL_PRIVILEGES.map((p) => [p.replace('.', '_'), { value: p, description: PRIVILEGES[p] }])) as Record<string, { value: Privilege; description: string }>,
});

const PrivilegeInfo = builder.objectRef<Privilege>('PrivilegeInfo').implement({
  fields: (t) => ({
    privilege: t.field({ type: PrivilegeEnum, resolve: (p) => p }),
    description: t.string({ resolve: (p) => PRIVILEGES[p] }),
  }),
});

// Roles are not secret: every signed-in user may read them (one who must still enrol a second factor too: `me { roles }`).
export const RoleRef = builder.loadableNode('Role', {
  loaderOptions: NO_MEMO,
  id: { resolve: (role: RoleRow) => role.id },
  authScopes: { authenticated: true, signedInWithSession: true },
  load: async (ids: string[], ctx) => {
    const rows = await roles.rolesByIds(ctx.db, ids);
    return ids.map((id) => rows.find((r) => r.id === id) ?? new NotFoundError('The role'));
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    builtIn: t.exposeBoolean('built_in', { description: 'Built-in roles cannot be changed or deleted' }),
    requiresSecondFactor: t.exposeBoolean('requires_second_factor', { description: 'Holders must enrol a second factor before they can do anything else (setRoleRequiresSecondFactor)' }),
    privileges: t.loadableList({
      loaderOptions: NO_MEMO,
      type: PrivilegeEnum,
      resolve: (role) => role.id,
      load: (roleIds: string[], ctx) => roles.privilegesOfRoles(ctx.db, roleIds),
    }),
  }),
});

builder.queryFields((t) => ({
  roles: t.connection({
    type: RoleRef,
    authScopes: { authenticated: true },
    resolve: (_root, args, ctx) => resolveKeysetConnection(args, roles.ROLE_ORDER, { defaultSize: 100, maxSize: 200 }, (page) => roles.listRoles(ctx.db, page)),
  }),
  privileges: t.field({
    type: [PrivilegeInfo],
    description: 'Every privilege Hangar knows, with what it allows',
    authScopes: { authenticated: true },
    resolve: () => ALL_PRIVILEGES,
  }),
}));

const CreateRoleInput = builder.inputType('CreateRoleInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: { schema: roleNameSchema } }),
    description: t.string({ validate: { schema: descriptionSchema } }),
    privileges: t.field({ type: [PrivilegeEnum], required: true, validate: { maxLength: ALL_PRIVILEGES.length } }),
  }),
});

const UpdateRoleInput = builder.inputType('UpdateRoleInput', {
  fields: (t) => ({
    name: t.string({ validate: { schema: roleNameSchema } }),
    description: t.string({ validate: { schema: descriptionSchema } }),
    privileges: t.field({ type: [PrivilegeEnum], validate: { maxLength: ALL_PRIVILEGES.length } }),
  }),
});

builder.mutationFields((t) => ({
  createRole: t.field({
    type: RoleRef,
    errors: {},
    authScopes: { privilege: 'Role.Manage' },
    extensions: { auditCreates: 'Role' },
    args: { input: t.arg({ type: CreateRoleInput, required: true }) },
    resolve: (_root, { input }, ctx) => roles.createRole(ctx.db, ctx.viewer!, { ...input, description: input.description ?? undefined }),
  }),
  updateRole: t.field({
    type: RoleRef,
    errors: {},
    authScopes: { privilege: 'Role.Manage' },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateRoleInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      roles.updateRole(ctx, idOf(String(id), 'Role'), {
        name: input.name ?? undefined,
        description: input.description ?? undefined,
        privileges: input.privileges ?? undefined,
      }),
  }),
  deleteRole: t.field({
    type: RoleRef,
    errors: {},
    description: 'Deletes a role no user holds; returns the deleted role',
    authScopes: { privilege: 'Role.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => roles.deleteRole(ctx.db, ctx.viewer!, idOf(String(id), 'Role')),
  }),
}));
