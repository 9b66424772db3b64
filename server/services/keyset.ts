import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { ValidationError } from '../errors.ts';

/**
 * Keyset paging for every list: a page is "the next `limit` rows after this row's sort key",
 * so however deep a page is, the database reads only that page (an offset would read every row
 * before it). Sort keys must be NOT NULL and end with a unique column (the id), so the order is total.
 */

/** How a key's value is written in a cursor and cast back in SQL. */
export type KeyKind = 'timestamp' | 'uuid' | 'bigint' | 'text' | 'boolean';

export interface SortKey {
  /** A column reference, e.g. 't.created_at'. */
  column: string;
  kind: KeyKind;
  desc?: boolean;
}

export interface KeysetOrder {
  /** Names the list inside its cursors, so one list's cursor is not taken by another. */
  list: string;
  /** For errors: "after is not a cursor of <label>". */
  label: string;
  keys: readonly SortKey[];
}

/** The sort key of a row, one string per SortKey (timestamps as UTC text to the microsecond). */
export type KeyValues = readonly string[];

export interface KeysetPageArgs {
  limit: number;
  after: KeyValues | null;
}

export interface KeysetPage<R> {
  rows: Array<{ row: R; key: string[] }>;
  hasNextPage: boolean;
}

export function keysetOrder(list: string, label: string, keys: readonly SortKey[]): KeysetOrder {
  return { list, label, keys };
}

/** What a cursor may hold for each kind of key; anything else is refused before SQL sees it. */
const VALUE: Record<KeyKind, (v: string) => boolean> = {
  timestamp: (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  bigint: (v) => /^\d{1,18}$/.test(v),
  text: (v) => v.length <= 1000 && !v.includes('\u0000'),
  boolean: (v) => v === 'true' || v === 'false',
};

// Long enough for a 1,000-character text key in any script, short enough to refuse junk unread.
const MAX_CURSOR = 8192;

/** A cursor is the list's name and the sort key of a page's last row, as base64url JSON. */
export function encodeCursor(order: KeysetOrder, key: KeyValues): string {
  return Buffer.from(JSON.stringify([order.list, ...key])).toString('base64url');
}

/** Only cursors this list handed out are taken: no offsets, no other list's cursors, nothing else. */
export function decodeCursor(order: KeysetOrder, raw: string, field = 'after'): KeyValues {
  let parsed: unknown = null;
  if (raw.length <= MAX_CURSOR && /^[A-Za-z0-9_-]*$/.test(raw)) {
    try {
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      parsed = null;
    }
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === order.keys.length + 1 &&
    parsed[0] === order.list &&
    order.keys.every((key, i) => typeof parsed[i + 1] === 'string' && VALUE[key.kind](parsed[i + 1]));
  if (!valid) throw ValidationError.forField(field, `${field} is not a cursor of ${order.label} (use a page's endCursor)`);
  return (parsed as string[]).slice(1);
}

const CAST: Record<KeyKind, string> = { timestamp: 'timestamptz', uuid: 'uuid', bigint: 'bigint', text: 'text', boolean: 'boolean' };

// A JavaScript Date would lose the microseconds Postgres keeps, and rows differing only there would be skipped.
function keyText(key: SortKey): RawBuilder<string> {
  const ref = sql.ref(key.column);
  return key.kind === 'timestamp' ? sql<string>`to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : sql<string>`${ref}::text`;
}

function keyValue(key: SortKey, value: string): RawBuilder<unknown> {
  return sql`${value}::${sql.raw(CAST[key.kind])}`;
}

/** Rows strictly after `after` in `order`: (k1 > v1) or (k1 = v1 and k2 > v2) or …, each in its own direction. */
function afterCondition(order: KeysetOrder, after: KeyValues): RawBuilder<boolean> {
  const { keys } = order;
  const cmp = (key: SortKey) => sql.raw(key.desc ? '<' : '>');
  const disjuncts = keys.map((key, i) => {
    const equal = keys.slice(0, i).map((k, j) => sql`${sql.ref(k.column)} = ${keyValue(k, after[j])}`);
    return sql.join([...equal, sql`${sql.ref(key.column)} ${cmp(key)} ${keyValue(key, after[i])}`], sql` and `);
  });
  // The leading bound on the first key alone lets an index on it start at the cursor.
  const first = keys[0];
  return sql<boolean>`(${sql.ref(first.column)} ${cmp(first)}= ${keyValue(first, after[0])} and (${sql.join(disjuncts.map((d) => sql`(${d})`), sql` or `)}))`;
}

/** Orders `query` by `order`, starts after `page.after` and reads one row past the page to tell whether more follow. */
export async function pageByKeyset<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, order: KeysetOrder, page: KeysetPageArgs): Promise<KeysetPage<O>> {
  let q = query as unknown as SelectQueryBuilder<any, any, any>;
  order.keys.forEach((key, i) => {
    q = q.select(keyText(key).as(`keyset_${i}`));
  });
  if (page.after) q = q.where(afterCondition(order, page.after));
  for (const key of order.keys) q = q.orderBy(sql.ref(key.column), key.desc ? 'desc' : 'asc');
  const rows: Array<Record<string, unknown>> = await q.limit(page.limit + 1).execute();
  return {
    rows: rows.slice(0, page.limit).map((raw) => {
      const row = { ...raw };
      const key = order.keys.map((_, i) => {
        const value = String(row[`keyset_${i}`]);
        delete row[`keyset_${i}`];
        return value;
      });
      return { row: row as O, key };
    }),
    hasNextPage: rows.length > page.limit,
  };
}
