import type { Db } from '../../db/connection.ts';
import { sql } from 'kysely';
import type { AuditEntryRow, NewAuditEntry } from '../../db/types.ts';
import { ValidationError } from '../errors.ts';

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

/** Where a page ends: the time (UTC, to the microsecond as stored) and id of its last entry. */
export interface AuditCursor {
  at: string;
  id: string;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,18})$/;

export function encodeAuditCursor(cursor: AuditCursor): string {
  return Buffer.from(`${cursor.at}|${cursor.id}`).toString('base64url');
}

/** Only cursors this list handed out are taken: no offsets, nothing else. */
export function decodeAuditCursor(raw: string, field = 'after'): AuditCursor {
  const match = raw.length <= 64 ? CURSOR.exec(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  if (!match) throw ValidationError.forField(field, `${field} is not a cursor of the audit log (use a page's endCursor)`);
  return { at: match[1], id: match[2] };
}

export interface AuditPage {
  entries: Array<{ entry: AuditEntryRow; cursor: AuditCursor }>;
  hasNextPage: boolean;
}

/**
 * Newest first, by (at, id); a page starts after the cursor of the previous one. Keyset paging
 * reads only the page (and one row to tell whether more follow), however deep it is.
 */
export async function queryAudit(db: Db, filter: AuditFilter, page: { limit: number; after?: AuditCursor | null }): Promise<AuditPage> {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    // The cursor keeps the microseconds that a JavaScript Date would lose.
    .select(sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_at'));
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.requestId) query = query.where('request_id', '=', filter.requestId);
  if (filter.result) query = query.where('result', '=', filter.result);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (page.after) {
    const { at, id } = page.after;
    query = query.where(sql<boolean>`at <= ${at}::timestamptz and (at, id) < (${at}::timestamptz, ${id}::bigint)`);
  }
  const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(page.limit + 1).execute();
  return {
    entries: rows.slice(0, page.limit).map(({ cursor_at, ...entry }) => ({ entry, cursor: { at: cursor_at, id: String(entry.id) } })),
    hasNextPage: rows.length > page.limit,
  };
}

export async function auditEntriesByIds(db: Db, ids: readonly string[]): Promise<AuditEntryRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('audit_log').selectAll().where('id', 'in', ids as never).execute();
}
