import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import type { AuditEntryRow } from '../../db/types.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { AUDIT_ORDER, auditEntriesByIds, auditTargets, listAudit, type AuditTarget } from '../services/audit.ts';
import { hasPrivilege } from '../services/auth.ts';
import { builder, NO_MEMO } from './builder.ts';
import { idOf } from './errors.ts';
import { resolveKeysetConnection } from './keyset.ts';
import { UserRef } from './user.ts';

const AuditResultEnum = builder.enumType('AuditResult', {
  values: {
    OK: { value: 'ok', description: 'Done' },
    FAILED: { value: 'failed', description: 'Refused by a rule or failed; nothing was changed' },
    REFUSED: { value: 'refused', description: 'The caller lacked the privilege or was not signed in' },
  } as const,
});

const AuditTargetRef = builder.objectRef<AuditTarget>('AuditTarget').implement({
  description: 'What an entry acted on',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'Vm, Host, User, Image, Role, IpPool, ApiToken…' }),
    id: t.id({ description: 'Its global id', resolve: (target) => (target.type === 'Unknown' ? target.id : encodeGlobalID(target.type, target.id)) }),
    name: t.exposeString('name', { nullable: true, description: 'Its name now; once it is gone, the name the log last recorded for it' }),
    exists: t.exposeBoolean('exists', { description: 'False once it is deleted (a VM, host, image or role deleted since)' }),
  }),
});

/** Actions written by the console proxy, not by a mutation. */
const NON_MUTATION_ACTIONS = ['openConsole', 'closeConsole'];

export const AuditEntryRef = builder.loadableNode('AuditEntry', {
  loaderOptions: NO_MEMO,
  id: { resolve: (entry: AuditEntryRow) => entry.id },
  authScopes: { privilege: 'Audit.Read' },
  load: async (ids: string[], ctx) => {
    const numeric = ids.filter((id) => /^\d{1,18}$/.test(id));
    const rows = hasPrivilege(ctx.viewer, 'Audit.Read') ? await auditEntriesByIds(ctx.db, numeric) : [];
    return ids.map((id) => rows.find((r) => String(r.id) === id) ?? new NotFoundError('The audit entry'));
  },
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    actor: t.field({ type: UserRef, nullable: true, resolve: (e) => e.actor_id }),
    actorName: t.exposeString('actor_name', { nullable: true, description: 'The actor\'s email at the time' }),
    action: t.exposeString('action', { description: 'The mutation, e.g. createUser' }),
    targetType: t.exposeString('target_type', { nullable: true }),
    targetId: t.string({
      nullable: true,
      description: 'The global id of the object acted on',
      resolve: (e) => (e.target_id && e.target_type && e.target_type !== 'Unknown' ? Buffer.from(`${e.target_type}:${e.target_id}`).toString('base64') : e.target_id),
    }),
    target: t.loadable({
      type: AuditTargetRef,
      nullable: true,
      description: 'The object acted on, with its name (loaded for a whole page at once)',
      loaderOptions: { cacheKeyFn: (entry: AuditEntryRow) => String(entry.id) },
      resolve: (entry) => (entry.target_type && entry.target_id ? entry : null),
      load: (entries: AuditEntryRow[], ctx) => auditTargets(ctx.db, entries),
    }),
    requestId: t.exposeString('request_id'),
    address: t.exposeString('ip', { nullable: true }),
    result: t.field({ type: AuditResultEnum, resolve: (e) => e.result as 'ok' }),
    detail: t.string({ description: 'Arguments (secrets removed) and error, as JSON', resolve: (e) => JSON.stringify(e.detail) }),
  }),
});

const AuditFilter = builder.inputType('AuditFilter', {
  fields: (t) => ({
    actorId: t.id(),
    targetId: t.id({ description: 'Global id of any object' }),
    action: t.string({ validate: { maxLength: 100 } }),
    requestId: t.string({ validate: { maxLength: 128 } }),
    result: t.field({ type: AuditResultEnum }),
    from: t.field({ type: 'DateTime' }),
    to: t.field({ type: 'DateTime' }),
  }),
});

function rawTargetId(globalId: string): string {
  try {
    return decodeGlobalID(globalId).id;
  } catch {
    throw ValidationError.forField('targetId', 'targetId is not a valid id');
  }
}

const AUDIT_PAGE_DEFAULT = 50;
const AUDIT_PAGE_MAX = 500;

builder.queryFields((t) => ({
  auditLog: t.connection({
    type: AuditEntryRef,
    description: `Newest first, ${AUDIT_PAGE_DEFAULT} entries a page unless first says (at most ${AUDIT_PAGE_MAX}); page on with after: a page's endCursor (forward only)`,
    authScopes: { privilege: 'Audit.Read' },
    args: { filter: t.arg({ type: AuditFilter, required: false }) },
    resolve: async (_root, args, ctx) => {
      const f = args.filter ?? {};
      const filter = {
        actorId: f.actorId ? idOf(String(f.actorId), 'User', 'actorId') : null,
        targetId: f.targetId ? rawTargetId(String(f.targetId)) : null,
        action: f.action,
        requestId: f.requestId,
        result: f.result,
        from: f.from,
        to: f.to,
      };
      return resolveKeysetConnection(args, AUDIT_ORDER, { defaultSize: AUDIT_PAGE_DEFAULT, maxSize: AUDIT_PAGE_MAX }, (page) => listAudit(ctx.db, filter, page));
    },
  }),
}));

builder.queryField('auditActions', (t) =>
  t.stringList({
    description: 'Every action an audit entry can name (the mutations and the console\u2019s), sorted, for a filter',
    authScopes: { privilege: 'Audit.Read' },
    resolve: (_root, _args, _ctx, info) => [...Object.keys(info.schema.getMutationType()?.getFields() ?? {}), ...NON_MUTATION_ACTIONS].sort(),
  }),
);

builder.subscriptionFields((t) => ({
  auditEntryAdded: t.field({
    type: AuditEntryRef,
    description: 'Every new audit entry as it is written',
    authScopes: { privilege: 'Audit.Read' },
    subscribe: (_root, _args, ctx) => ctx.pubsub.subscribe('audit:added'),
    resolve: (event) => event.id,
  }),
}));
