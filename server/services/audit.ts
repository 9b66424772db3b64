import type { Db } from '../../db/connection.ts';
import type { AuditEntryRow, NewAuditEntry } from '../../db/types.ts';

export type AuditResult = 'ok' | 'refused' | 'failed';

export async function recordAudit(db: Db, entry: Omit<NewAuditEntry, 'detail'> & { detail?: Record<string, unknown> }): Promise<AuditEntryRow> {
  return db
    .insertInto('audit_log')
    .values({ ...entry, detail: JSON.stringify(entry.detail ?? {}) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface AuditFilter {
  actorId?: string | null;
  targetId?: string | null;
  action?: string | null;
  requestId?: string | null;
  result?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function queryAudit(db: Db, filter: AuditFilter, page: { limit: number; before?: string | null; after?: string | null }): Promise<AuditEntryRow[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.requestId) query = query.where('request_id', '=', filter.requestId);
  if (filter.result) query = query.where('result', '=', filter.result);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (page.before) query = query.where('id', '<', page.before as never);
  if (page.after) query = query.where('id', '>', page.after as never);
  return query.orderBy('id', 'desc').limit(page.limit).execute();
}

export async function auditEntriesByIds(db: Db, ids: readonly string[]): Promise<AuditEntryRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('audit_log').selectAll().where('id', 'in', ids as never).execute();
}
