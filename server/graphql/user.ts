import type { PublicUser, QuotaRow } from '../../db/types.ts';
import { NotFoundError } from '../errors.ts';
import { filtered } from '../events/pubsub.ts';
import { hasPrivilege, type Viewer } from '../services/auth.ts';
import { changeOwnPassword } from '../services/own-account.ts';
import { privilegesOfUsers, rolesOfUsers } from '../services/roles.ts';
import { quotasOfUsers, quotaUsageOfUsers, setQuota, type QuotaUsage } from '../services/quotas.ts';
import * as users from '../services/users.ts';
import { emailSchema, passwordSchema, personNameSchema } from '../services/validation.ts';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { builder, NO_MEMO } from './builder.ts';
import type { Context } from './context.ts';
import { idOf } from './errors.ts';
import { resolveKeysetConnection } from './keyset.ts';
import { PrivilegeEnum, RoleRef } from './role.ts';

/** Users see themselves; user viewers and managers see everyone. */
export function canSeeUser(viewer: Viewer | null, userId: string): boolean {
  return viewer !== null && (viewer.userId === userId || hasPrivilege(viewer, 'User.View') || hasPrivilege(viewer, 'User.Manage'));
}

export const UserRef = builder.loadableNode('User', {
  loaderOptions: NO_MEMO,
  id: { resolve: (user: PublicUser) => user.id },
  load: async (ids: string[], ctx) => {
    const visible = ids.filter((id) => canSeeUser(ctx.viewer, id));
    const rows = await users.usersByIds(ctx.db, visible);
    return ids.map((id) => rows.find((r) => r.id === id) ?? new NotFoundError('The user'));
  },
  fields: (t) => ({
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    disabled: t.exposeBoolean('disabled'),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    roles: t.loadableList({
      loaderOptions: NO_MEMO,
      type: RoleRef,
      resolve: (user) => user.id,
      load: (userIds: string[], ctx) => rolesOfUsers(ctx.db, userIds),
    }),
    privileges: t.field({
      type: [PrivilegeEnum],
      description: 'Everything the user may do, from all their roles',
      // A signed-in session already read its own privileges this request: no second query.
      resolve: (user, _args, ctx) =>
        ctx.viewer?.userId === user.id && ctx.viewer.sessionId ? [...ctx.viewer.privileges].sort() : privilegesLoader(ctx).load(user.id),
    }),
    quota: t.loadable({
      loaderOptions: NO_MEMO,
      type: QuotaRef,
      nullable: true,
      resolve: (user) => user.id,
      load: (userIds: string[], ctx) => quotasOfUsers(ctx.db, userIds),
    }),
    quotaUsage: t.loadable({
      loaderOptions: NO_MEMO,
      type: QuotaUsageRef,
      description: 'What counts against the quota now (so a form can tell what is left)',
      resolve: (user) => user.id,
      load: (userIds: string[], ctx) => quotaUsageOfUsers(ctx.db, userIds),
    }),
  }),
});

const privilegesLoader = createContextCache((ctx: Context) => new DataLoader((userIds: readonly string[]) => privilegesOfUsers(ctx.db, userIds), NO_MEMO));

const QuotaRef = builder.objectRef<QuotaRow>('Quota').implement({
  description: 'Limits on what a user may allocate; null means unlimited',
  fields: (t) => ({
    maxVcpus: t.exposeInt('max_vcpus', { nullable: true }),
    maxMemoryMb: t.exposeInt('max_memory_mb', { nullable: true }),
    maxDiskGb: t.exposeInt('max_disk_gb', { nullable: true }),
    maxVms: t.exposeInt('max_vms', { nullable: true }),
    maxSnapshotsPerVm: t.exposeInt('max_snapshots_per_vm', { nullable: true, description: 'Snapshots each VM may have' }),
  }),
});

const QuotaUsageRef = builder.objectRef<QuotaUsage>('QuotaUsage').implement({
  description: 'The VMs a user has (not deleted) and the vCPUs, memory and disk they take, as quotas count them',
  fields: (t) => ({
    vms: t.exposeInt('vms'),
    vcpus: t.exposeInt('vcpus'),
    memoryMb: t.exposeInt('memoryMb'),
    diskGb: t.exposeInt('diskGb'),
  }),
});

const UserFilter = builder.inputType('UserFilter', {
  fields: (t) => ({
    search: t.string({ description: 'Part of the email or name', validate: { maxLength: 200 } }),
    disabled: t.boolean(),
  }),
});

builder.queryFields((t) => ({
  me: t.field({
    type: UserRef,
    nullable: true,
    description: 'The signed-in user, or null',
    authScopes: { public: true },
    resolve: (_root, _args, ctx) => ctx.viewer?.user ?? null,
  }),
  setupRequired: t.boolean({
    description: 'True while Hangar has no user: the first administrator can then be created',
    authScopes: { public: true },
    resolve: async (_root, _args, ctx) => (await users.countUsers(ctx.db)) === 0,
  }),
  users: t.connection({
    type: UserRef,
    authScopes: { anyPrivilege: ['User.View', 'User.Manage'] },
    args: { filter: t.arg({ type: UserFilter, required: false }) },
    resolve: (_root, args, ctx) =>
      resolveKeysetConnection(args, users.USER_ORDER, { defaultSize: 50, maxSize: 200 }, (page) => users.listUsers(ctx.db, args.filter ?? {}, page)),
  }),
}));

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string({ required: true, validate: { schema: emailSchema } }),
    name: t.string({ required: true, validate: { schema: personNameSchema } }),
    password: t.string({ required: true, validate: { schema: passwordSchema } }),
    roleIds: t.idList({ description: 'Roles to give; the User role when empty', validate: { maxLength: 50 } }),
  }),
});

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  fields: (t) => ({
    email: t.string({ validate: { schema: emailSchema } }),
    name: t.string({ validate: { schema: personNameSchema } }),
    password: t.string({ description: 'Sets a new password and ends the user\'s sessions', validate: { schema: passwordSchema } }),
    revokeApiTokens: t.boolean({ description: 'With a password: also revoke the user\'s API tokens (default true)' }),
  }),
});

const SetupAdministratorInput = builder.inputType('SetupAdministratorInput', {
  fields: (t) => ({
    email: t.string({ required: true, validate: { schema: emailSchema } }),
    name: t.string({ required: true, validate: { schema: personNameSchema } }),
    password: t.string({ required: true, validate: { schema: passwordSchema } }),
  }),
});

const QuotaInput = builder.inputType('QuotaInput', {
  fields: (t) => ({
    maxVcpus: t.int({ validate: { min: 0, max: 1_000_000 } }),
    maxMemoryMb: t.int({ validate: { min: 0, max: 1_000_000 } }),
    maxDiskGb: t.int({ validate: { min: 0, max: 1_000_000 } }),
    maxVms: t.int({ validate: { min: 0, max: 1_000_000 } }),
    maxSnapshotsPerVm: t.int({ validate: { min: 0, max: 1_000_000 } }),
  }),
});

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({
    currentPassword: t.string({ required: true, validate: { maxLength: 256 } }),
    newPassword: t.string({ required: true, validate: { schema: passwordSchema } }),
    revokeApiTokens: t.boolean({ description: 'Also revoke your API tokens (default true)' }),
  }),
});

const roleIds = (ids: readonly (string | number)[] | null | undefined) => (ids ?? []).map((id, i) => idOf(String(id), 'Role', `roleIds.${i}`));

/** Who may follow every user (as the users query). */
const canSeeEveryUser = (viewer: Viewer | null) => hasPrivilege(viewer, 'User.View') || hasPrivilege(viewer, 'User.Manage');

builder.mutationFields((t) => ({
  setupAdministrator: t.field({
    errors: {},
    type: UserRef,
    description: 'Creates the first administrator; refused once any user exists',
    authScopes: { public: true },
    extensions: { auditCreates: 'User' },
    args: { input: t.arg({ type: SetupAdministratorInput, required: true }) },
    resolve: (_root, { input }, ctx) => users.setupAdministrator(ctx, input),
  }),
  createUser: t.field({
    errors: {},
    type: UserRef,
    authScopes: { privilege: 'User.Manage' },
    extensions: { auditCreates: 'User' },
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: (_root, { input }, ctx) => users.createUserAndAnnounce(ctx, { ...input, roleIds: input.roleIds ? roleIds(input.roleIds) : undefined }),
  }),
  updateUser: t.field({
    errors: {},
    type: UserRef,
    description: 'Changes email, name or password of a user; only of a user whose every privilege you hold',
    authScopes: { privilege: 'User.Manage' },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateUserInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      users.updateUser(ctx, idOf(String(id), 'User'), {
        email: input.email ?? undefined,
        name: input.name ?? undefined,
        password: input.password ?? undefined,
        revokeApiTokens: input.revokeApiTokens ?? undefined,
      }),
  }),
  disableUser: t.field({
    errors: {},
    type: UserRef,
    description: 'Stops a user from signing in and ends their sessions, tokens and subscriptions at once',
    authScopes: { privilege: 'User.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => users.setUserDisabled(ctx, idOf(String(id), 'User'), true),
  }),
  enableUser: t.field({
    errors: {},
    type: UserRef,
    description: 'Lets a disabled user sign in again; the sessions and tokens disabling ended stay ended',
    authScopes: { privilege: 'User.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => users.setUserDisabled(ctx, idOf(String(id), 'User'), false),
  }),
  setUserRoles: t.field({
    errors: {},
    type: UserRef,
    description: 'Replaces the roles of a user; you can only grant or remove roles whose privileges you hold',
    authScopes: { privilege: 'User.Manage' },
    args: { id: t.arg.id({ required: true }), roleIds: t.arg.idList({ required: true, validate: { maxLength: 50 } }) },
    resolve: (_root, args, ctx) => users.setUserRoles(ctx, idOf(String(args.id), 'User'), roleIds(args.roleIds)),
  }),
  setQuota: t.field({
    errors: {},
    type: QuotaRef,
    description: 'Sets the limits of a user; a missing or null limit is unlimited',
    authScopes: { privilege: 'User.Manage' },
    args: { userId: t.arg.id({ required: true }), input: t.arg({ type: QuotaInput, required: true }) },
    resolve: (_root, { userId, input }, ctx) =>
      setQuota(ctx, idOf(String(userId), 'User', 'userId'), {
        maxVcpus: input.maxVcpus ?? null,
        maxMemoryMb: input.maxMemoryMb ?? null,
        maxDiskGb: input.maxDiskGb ?? null,
        maxVms: input.maxVms ?? null,
        maxSnapshotsPerVm: input.maxSnapshotsPerVm ?? null,
      }),
  }),
  changePassword: t.field({
    type: UserRef,
    errors: {},
    description: 'Changes your own password; your other sessions end, and your API tokens unless revokeApiTokens is false',
    authScopes: { authenticated: true },
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await changeOwnPassword(ctx, input);
      return ctx.viewer!.userId;
    },
  }),
}));

builder.subscriptionFields((t) => ({
  userUpdated: t.field({
    type: UserRef,
    description: 'The user each time it changes (a role it holds included)',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, { id }, ctx) => {
      const userId = idOf(String(id), 'User');
      if (!canSeeUser(ctx.viewer, userId)) throw new NotFoundError('The user');
      return ctx.pubsub.subscribe('user:updated', userId);
    },
    resolve: (event, _args, ctx) => {
      if (!canSeeUser(ctx.viewer, event.id)) throw new NotFoundError('The user');
      return event.id;
    },
  }),
  usersUpdated: t.field({
    type: UserRef,
    description: 'Every user (as in users), each time one is created or changed: profile, roles, quota, disabled, or a role they hold',
    authScopes: { anyPrivilege: ['User.View', 'User.Manage'] },
    subscribe: (_root, _args, ctx) => filtered(ctx.pubsub.subscribe('users:updated'), () => canSeeEveryUser(ctx.viewer)),
    resolve: (event) => event.id,
  }),
}));
