import type { Db } from '../../db/connection.ts';
import type { AuditEntryRow, NewAuditEntry } from '../../db/types.ts';
import { decodeCursor, encodeCursor, keysetOrder, pageByKeyset, type KeysetPage, type KeysetPageArgs } from './keyset.ts';

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

/** Newest first, by (at, id). */
export const AUDIT_ORDER = keysetOrder('audit', 'the audit log', [
  { column: 'at', kind: 'timestamp', desc: true },
  { column: 'id', kind: 'bigint', desc: true },
]);

/** Audit entries matching the filter, a keyset page at a time (see keyset.ts). */
export async function listAudit(db: Db, filter: AuditFilter, page: KeysetPageArgs): Promise<KeysetPage<AuditEntryRow>> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.requestId) query = query.where('request_id', '=', filter.requestId);
  if (filter.result) query = query.where('result', '=', filter.result);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  return pageByKeyset(query, AUDIT_ORDER, page);
}

// (at, id) forms of the audit cursor, for callers that hold an entry's time and id.
export interface AuditCursor {
  at: string;
  id: string;
}

export function encodeAuditCursor(cursor: AuditCursor): string {
  return encodeCursor(AUDIT_ORDER, [cursor.at, cursor.id]);
}

export function decodeAuditCursor(raw: string, field = 'after'): AuditCursor {
  const [at, id] = decodeCursor(AUDIT_ORDER, raw, field);
  return { at, id };
}

export async function queryAudit(db: Db, filter: AuditFilter, page: { limit: number; after?: AuditCursor | null }): Promise<{ entries: Array<{ entry: AuditEntryRow; cursor: AuditCursor }>; hasNextPage: boolean }> {
  const { rows, hasNextPage } = await listAudit(db, filter, { limit: page.limit, after: page.after ? [page.after.at, page.after.id] : null });
  return { entries: rows.map(({ row, key: [at, id] }) => ({ entry: row, cursor: { at, id } })), hasNextPage };
}

export async function auditEntriesByIds(db: Db, ids: readonly string[]): Promise<AuditEntryRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('audit_log').selectAll().where('id', 'in', ids as never).execute();
}
