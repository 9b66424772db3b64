// auditLog pages by keyset: a cursor names the (at, id) of a page's last entry, the next page
// starts right after it, and no cursor can make the database read the rows before a page.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database } from '../../db/types.ts';
import { decodeAuditCursor, encodeAuditCursor, queryAudit } from '../../server/services/audit.ts';
import { adminSession, useTestHangar, type TestHangar } from '../support/hangar.ts';

const PAGE = `query($first: Int, $after: String, $filter: AuditFilter) {
  auditLog(first: $first, after: $after, filter: $filter) { edges { cursor node { id requestId } } pageInfo { hasNextPage endCursor } }
}`;
const SEEDED = 5000;

/** Entries in the future (newest), three to a microsecond, so ties and microseconds both matter. */
async function seed(t: TestHangar): Promise<void> {
  await sql`insert into audit_log (at, action, request_id, result)
    select timestamptz '2090-01-01 00:00:00+00' + ((i / 3) * interval '1 microsecond'), 'seeded', 'req-seed-' || i, 'ok'
    from generate_series(1, ${SEEDED}) i`.execute(t.hangar.db);
  await sql`analyze audit_log`.execute(t.hangar.db);
}

describe('auditLog keyset cursors', () => {
  const hangar = useTestHangar('postgres');

  test('paging with endCursor returns every entry exactly once, in order', async () => {
    const t = hangar();
    const admin = await adminSession(t);
    await seed(t);
    const expected = (await t.hangar.db.selectFrom('audit_log').select('request_id').where('action', '=', 'seeded').orderBy('at', 'desc').orderBy('id', 'desc').limit(300).execute()).map((r) => r.request_id);
    const seen: string[] = [];
    let after: string | null = null;
    while (seen.length < 300) {
      const page: any = await t.gql(PAGE, { first: 7, after }, { cookie: admin });
      assert.equal(page.errors, undefined, JSON.stringify(page.errors));
      const edges = page.data.auditLog.edges;
      assert.equal(edges.length, 7);
      assert.equal(page.data.auditLog.pageInfo.endCursor, edges.at(-1).cursor);
      assert.equal(page.data.auditLog.pageInfo.hasNextPage, true);
      seen.push(...edges.map((e: any) => e.node.requestId));
      after = page.data.auditLog.pageInfo.endCursor;
    }
    assert.deepEqual(seen.slice(0, 300), expected);

    // The last page says so.
    const all = await t.gql(PAGE, { first: 500, filter: { action: 'seeded' } }, { cookie: admin });
    const last = all.data.auditLog.edges.at(-1).cursor;
    const tail: any = await t.gql(PAGE, { first: 500, after: last, filter: { action: 'seeded' } }, { cookie: admin });
    const count = (await t.hangar.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'seeded').executeTakeFirstOrThrow()).n;
    assert.equal(Number(count), SEEDED);
    assert.equal(tail.data.auditLog.edges.length, Math.min(500, SEEDED - 500));
  });

  test('an offset cursor, a forged cursor and backward paging are refused', async () => {
    const t = hangar();
    const admin = await adminSession(t);
    const forged = [
      Buffer.from('OffsetConnection:100000000').toString('base64'),
      Buffer.from('OffsetConnection:4999').toString('base64'),
      Buffer.from('2090-01-01T00:00:00.000000Z|1 or 1=1').toString('base64url'),
      'not a cursor',
      'x'.repeat(10_000),
    ];
    for (const after of forged) {
      const result = await t.gql(PAGE, { first: 10, after }, { cookie: admin });
      assert.equal(result.data?.auditLog ?? null, null, `${after.slice(0, 40)} was honoured`);
      assert.equal(result.errors?.[0].extensions?.code, 'BAD_USER_INPUT', JSON.stringify(result.errors));
      assert.match(result.errors![0].message, /not a cursor of the audit log/);
    }
    const backward = await t.gql('{ auditLog(last: 10) { edges { cursor } } }', {}, { cookie: admin });
    assert.equal(backward.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.throws(() => decodeAuditCursor(encodeAuditCursor({ at: '2090-01-01T00:00:00.000000Z', id: '1' }).slice(1)));
  });

  test('a page deep in the log reads only that page: no OFFSET, a bounded index scan', async () => {
    const t = hangar();
    const queries: CompiledQuery[] = [];
    const pool = new pg.Pool({ connectionString: t.env.DATABASE_URL, max: 1 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: (event) => void (event.level === 'query' && queries.push(event.query)) });
    try {
      // A cursor near the end of the seeded entries: 4,900 entries lie before it.
      const deep = await t.hangar.db.selectFrom('audit_log').select(['id', sql<string>`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('at')]).where('action', '=', 'seeded').orderBy('at', 'desc').orderBy('id', 'desc').offset(4900).limit(1).executeTakeFirstOrThrow();
      const page = await queryAudit(db, {}, { limit: 20, after: { at: deep.at, id: String(deep.id) } });
      assert.equal(page.entries.length, 20);
      assert.equal(queries.length, 1);
      const [query] = queries;
      assert.doesNotMatch(query.sql, /\boffset\b/i);
      assert.ok(query.parameters.includes(21), `limit ${JSON.stringify(query.parameters)}`);
      const plan = (await pool.query(`explain (analyze, format json) ${query.sql}`, query.parameters as unknown[])).rows[0]['QUERY PLAN'][0].Plan;
      const scanned = rowsScanned(plan);
      assert.ok(scanned <= 40, `the page read ${scanned} rows: ${JSON.stringify(plan)}`);
    } finally {
      await db.destroy();
    }
  });
});

/** Rows that scans of audit_log returned, over the whole plan. */
function rowsScanned(plan: any): number {
  const own = /Scan/.test(plan['Node Type']) && plan['Relation Name'] === 'audit_log' ? plan['Actual Rows'] * plan['Actual Loops'] + (plan['Rows Removed by Filter'] ?? 0) : 0;
  return own + (plan.Plans ?? []).reduce((sum: number, p: any) => sum + rowsScanned(p), 0);
}
