import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ZodPlugin from '@pothos/plugin-zod';
import { GraphQLError } from 'graphql';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../errors.ts';
import { hasPrivilege } from '../services/auth.ts';
import type { Privilege } from '../services/privileges.ts';
import { validationErrorFromZod } from '../services/validation.ts';
import './audit-plugin.ts';
import type { Context } from './context.ts';

/**
 * Loaders batch but do not memoize: a subscription keeps one context for its whole life, so a
 * memoized load would serve the first event's row to every later event.
 */
export const NO_MEMO = { cache: false } as const;

/** How many ids one `nodes(ids:)` takes. */
export const NODES_MAX_IDS = 100;

const capitalize = (s: string) => s[0].toUpperCase() + s.slice(1);

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { public: boolean; authenticated: boolean; signedInWithSession: boolean; privilege: Privilege; anyPrivilege: Privilege[]; allPrivileges: readonly string[] };
  Scalars: { DateTime: { Input: Date; Output: Date | string } };
  DefaultFieldNullability: false;
}>({
  // audit first: it must wrap every other plugin to see refusals and validation failures.
  plugins: ['audit', ErrorsPlugin, ScopeAuthPlugin, RelayPlugin, DataloaderPlugin, ZodPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      public: true,
      // A user who must still enrol a required second factor is not signed in for anything else.
      authenticated: ctx.viewer !== null && !ctx.viewer.secondFactorEnrolmentRequired,
      // Signed in with a session, enrolment pending or not: the second-factor enrolment fields.
      signedInWithSession: ctx.viewer !== null && ctx.viewer.sessionId !== null,
      privilege: (privilege: Privilege) => hasPrivilege(ctx.viewer, privilege),
      anyPrivilege: (privileges: Privilege[]) => privileges.some((p) => hasPrivilege(ctx.viewer, p)),
      // An operation's declared privileges (operations/*.ts), all of them.
      allPrivileges: (privileges: readonly string[]) => privileges.every((p) => hasPrivilege(ctx.viewer, p as Privilege)),
    }),
    authorizeOnSubscribe: true,
    unauthorizedError: (_parent, ctx) =>
      ctx.viewer
        ? new GraphQLError('You do not have the privilege this needs', { extensions: { code: 'FORBIDDEN' } })
        : new GraphQLError('Sign in first', { extensions: { code: 'UNAUTHENTICATED' } }),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Every list argument has a cap; this is the one the relay plugin defines.
    nodesQueryOptions: { args: { ids: { validate: { maxLength: NODES_MAX_IDS } } } },
  },
  errors: {
    defaultTypes: [ValidationError, NotFoundError, ConflictError, PermissionError],
    directResult: true,
    // Validation of arguments is reported like any other ValidationError, as a union member.
    unsafelyHandleInputErrors: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
  zod: { validationError: (zodError) => validationErrorFromZod(zodError) },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.scalarType('DateTime', {
  description: 'An ISO 8601 date and time',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) throw new GraphQLError('Expected an ISO 8601 date and time', { extensions: { code: 'BAD_USER_INPUT' } });
    return date;
  },
});
