import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { errorTypeMap } from '@pothos/plugin-errors';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLFieldResolver } from 'graphql';
import { recordAudit, type AuditResult } from '../services/audit.ts';
import type { Context } from './context.ts';

// Never written to the audit log.
const SECRET_ARGUMENTS = new Set(['password', 'clientSecret', 'currentPassword', 'newPassword', 'secret', 'token', 'code', 'totpCode', 'recoveryCode', 'passkeyResponse', 'response']);

/**
 * Writes one audit entry for every mutation field, succeeded, failed or refused. It wraps the
 * argument mappers too, so input refused by validation and calls refused by scope-auth are recorded.
 */
export class AuditPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    if (!resolver || fieldConfig.parentType !== 'Mutation') return resolver;
    const action = fieldConfig.name;
    const createdType = fieldConfig.extensions?.auditCreates as string | undefined;
    // What a succeeded mutation adds to its entry beyond its arguments (a transfer: both owners).
    const detailOf = fieldConfig.extensions?.auditDetail as ((value: unknown) => Record<string, unknown>) | undefined;
    return async (parent, rawArgs, context, info) => {
      const ctx = context as unknown as Context;
      const args = rawArgs as Record<string, unknown>;
      try {
        const value = await resolver(parent, rawArgs, context, info);
        // Errors the errors plugin turned into union members come back as proxies it keeps track of.
        if (value instanceof Error || errorTypeMap.has(value as object)) await writeEntry(ctx, action, args, 'failed', value as Error);
        else await writeEntry(ctx, action, args, 'ok', undefined, createdType ? value : undefined, createdType, detailOf?.(value));
        return value;
      } catch (error) {
        const code = (error as { extensions?: { code?: string } }).extensions?.code;
        const refused = code === 'FORBIDDEN' || code === 'UNAUTHENTICATED';
        await writeEntry(ctx, action, args, refused ? 'refused' : 'failed', error as Error);
        throw error;
      }
    };
  }
}

async function writeEntry(ctx: Context, action: string, args: Record<string, unknown>, result: AuditResult, error?: Error, created?: unknown, createdType?: string, extra?: Record<string, unknown>): Promise<void> {
  const target = auditTarget(args, created, createdType);
  try {
    const entry = await recordAudit(ctx.db, {
      actor_id: ctx.viewer?.userId ?? null,
      actor_name: ctx.viewer?.user.email ?? null,
      action,
      target_type: target?.type ?? null,
      target_id: target?.id ?? null,
      request_id: ctx.requestInfo.requestId,
      ip: ctx.requestInfo.ip,
      result,
      detail: {
        arguments: redact(args),
        ...(extra ? (redact(extra) as Record<string, unknown>) : {}),
        ...(error ? { error: error.name, message: error.message } : {}),
        ...(ctx.viewer?.tokenId ? { apiTokenId: ctx.viewer.tokenId } : {}),
      },
    });
    ctx.pubsub.publish('audit:added', { id: entry.id });
  } catch (auditError) {
    ctx.log.error({ err: auditError, action, requestId: ctx.requestInfo.requestId }, 'could not write the audit entry');
    throw auditError;
  }
}

/** The object acted on: the `id` argument, or the object a create returned, itself or as its payload's `vm` (`extensions.auditCreates` names its type). */
function auditTarget(args: Record<string, unknown>, created: unknown, createdType: string | undefined): { type: string; id: string } | null {
  const input = (args.input ?? {}) as Record<string, unknown>;
  const given = args.id ?? args.userId ?? args.vmId ?? input.id ?? input.userId;
  if (typeof given === 'string') {
    try {
      const { typename, id } = decodeGlobalID(given);
      return { type: typename, id };
    } catch {
      return { type: 'Unknown', id: given.slice(0, 200) };
    }
  }
  // A payload (VmTaskPayload) names what it made in its own field.
  const made = created as { id?: unknown; vm?: { id?: unknown } } | undefined;
  const id = made?.id ?? made?.vm?.id;
  return createdType && typeof id === 'string' ? { type: createdType, id } : null;
}

/** Postgres text and jsonb cannot hold NUL: a refused argument with one must still be audited. */
function storable(text: string): string {
  return text.replace(/\u0000/g, '\uFFFD');
}

function redact(value: unknown): unknown {
  if (typeof value === 'string') return storable(value.slice(0, 500));
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, SECRET_ARGUMENTS.has(key) ? '[redacted]' : redact(v)]),
    );
  }
  return value;
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      audit: AuditPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin('audit', AuditPlugin);
