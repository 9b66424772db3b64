import { sql } from 'kysely';
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

/** What an entry acted on, as a reader sees it: the object's name now, or the last name the log holds for it once it is gone. */
export interface AuditTarget {
  type: string;
  id: string;
  name: string | null;
  /** The object still exists (a deleted VM, host, image or role does not). */
  exists: boolean;
}

// The tables whose rows audit entries name, and what makes a row gone (VMs are kept, marked deleted).
const TARGET_TABLES: Record<string, { table: 'vms' | 'hosts' | 'users' | 'images' | 'roles' | 'ip_pools' | 'api_tokens' | 'oidc_providers'; softDeleted?: boolean }> = {
  Vm: { table: 'vms', softDeleted: true },
  Host: { table: 'hosts' },
  User: { table: 'users' },
  Image: { table: 'images' },
  Role: { table: 'roles' },
  IpPool: { table: 'ip_pools' },
  ApiToken: { table: 'api_tokens' },
  OidcProvider: { table: 'oidc_providers' },
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The name an entry's arguments gave its target (createVm's input.name, addHost's name, createUser's input.email…). */
const NAME_IN_DETAIL = sql<string | null>`coalesce(detail->'arguments'->'input'->>'name', detail->'arguments'->>'name', detail->>'name', detail->'arguments'->'input'->>'email', detail->>'email')`;

/** The targets of many entries in one query per kind of target, plus one for targets that are gone. */
export async function auditTargets(db: Db, entries: ReadonlyArray<Pick<AuditEntryRow, 'target_type' | 'target_id'>>): Promise<Array<AuditTarget | null>> {
  const byType = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!e.target_type || !e.target_id || !TARGET_TABLES[e.target_type] || !UUID.test(e.target_id)) continue;
    byType.set(e.target_type, (byType.get(e.target_type) ?? new Set()).add(e.target_id));
  }
  const found = new Map<string, { name: string; exists: boolean }>();
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      const { table, softDeleted } = TARGET_TABLES[type];
      const rows = await sql<{ id: string; name: string; gone: boolean }>`select id::text, name, ${softDeleted ? sql`deleted_at is not null` : sql`false`} as gone
        from ${sql.table(table)} where id = any(${[...ids]}::uuid[])`.execute(db);
      for (const r of rows.rows) found.set(`${type}:${r.id}`, { name: r.name, exists: !r.gone });
    }),
  );
  // Gone for good (hosts, images, roles are removed): the name the log last recorded for them.
  const missing = [...byType].flatMap(([type, ids]) => [...ids].filter((id) => !found.has(`${type}:${id}`)).map((id) => ({ type, id })));
  if (missing.length) {
    const rows = await sql<{ target_type: string; target_id: string; name: string }>`select distinct on (target_type, target_id) target_type, target_id, ${NAME_IN_DETAIL} as name
      from audit_log where target_id = any(${missing.map((m) => m.id)}::text[])
        and (target_type, target_id) in (select * from unnest(${missing.map((m) => m.type)}::text[], ${missing.map((m) => m.id)}::text[]))
        and ${NAME_IN_DETAIL} is not null
      order by target_type, target_id, at desc`.execute(db);
    for (const r of rows.rows) found.set(`${r.target_type}:${r.target_id}`, { name: r.name, exists: false });
  }
  return entries.map((e) => {
    if (!e.target_type || !e.target_id) return null;
    const hit = found.get(`${e.target_type}:${e.target_id}`);
    return { type: e.target_type, id: e.target_id, name: hit?.name ?? null, exists: hit?.exists ?? false };
  });
}
