// Every list pages by keyset: a cursor is the sort key and id of a page's last row, never an
// offset, so no cursor can make the database read the rows before a page. For each connection:
// paging with endCursor returns every row exactly once in the list's order (ties included), and an
// offset cursor, another list's cursor, a tampered cursor and backward paging are refused.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { adminSession, useTestHangar, type TestHangar } from '../support/hangar.ts';

interface List {
  field: string;
  args?: string;
  /** Raw ids of the rows the list shows, in the order it promises. */
  expected: (t: TestHangar) => Promise<string[]>;
}

const ids = async (t: TestHangar, query: ReturnType<typeof sql<{ id: string }>>) => (await query.execute(t.hangar.db)).rows.map((r) => String(r.id));

const LISTS: List[] = [
  { field: 'vms', expected: (t) => ids(t, sql`select id from vms where deleted_at is null order by created_at, id`) },
  { field: 'users', expected: (t) => ids(t, sql`select id from users order by created_at, id`) },
  { field: 'images', expected: (t) => ids(t, sql`select id from images order by name, id`) },
  { field: 'tasks', expected: (t) => ids(t, sql`select id from tasks order by created_at desc, id`) },
  { field: 'roles', expected: (t) => ids(t, sql`select id from roles order by built_in desc, name, id`) },
  { field: 'auditLog', args: 'filter: { action: "seeded-list" }', expected: (t) => ids(t, sql`select id from audit_log where action = 'seeded-list' order by at desc, id desc`) },
];

const page = (list: List, selection = 'edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor }') =>
  `query($first: Int, $after: String, $last: Int) { ${list.field}(first: $first, after: $after, last: $last${list.args ? `, ${list.args}` : ''}) { ${selection} } }`;
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];
const base64 = (s: string) => Buffer.from(s).toString('base64');
const base64url = (s: string) => Buffer.from(s).toString('base64url');

/** Rows with ties on every sort key, several to a microsecond, so both the tie-break and the microseconds matter. */
async function seed(t: TestHangar): Promise<void> {
  const db = t.hangar.db;
  const admin = (await db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  const stamp = sql`timestamptz '2030-01-01 00:00:00+00' + ((i / 3) * interval '1 microsecond')`;
  await sql`insert into users (email, name, password_hash, created_at, updated_at)
    select 'seed' || i || '@example.com', 'Seed ' || i, 'x', ${stamp}, now() from generate_series(1, 23) i`.execute(db);
  await sql`insert into vms (name, owner_id, vcpus, memory_mb, disk_gb, state, created_at, updated_at)
    select 'seed-' || i, ${admin}, 1, 64, 1, 'stopped', ${stamp}, now() from generate_series(1, 23) i`.execute(db);
  await sql`insert into images (name, owner_id, status, created_at, updated_at)
    select 'img-' || (i % 5), ${admin}, 'ready', now(), now() from generate_series(1, 23) i`.execute(db);
  await sql`insert into tasks (operation, user_id, status, params, created_at)
    select 'vm.start', ${admin}, 'succeeded', '{}', ${stamp} from generate_series(1, 23) i`.execute(db);
  await sql`insert into roles (name, description, created_at)
    select n, 'seeded', now() from unnest(array['zeta', 'Alpha', 'beta', 'Beta 2', 'Éclair', 'a|b', 'gamma', '"quoted"', 'delta', 'Omega', 'x']) n`.execute(db);
  await sql`insert into audit_log (at, action, request_id, result)
    select ${stamp}, 'seeded-list', 'req-seed-' || i, 'ok' from generate_series(1, 23) i`.execute(db);
}

describe('every list pages by keyset cursors only', () => {
  const hangar = useTestHangar('postgres');
  let admin: string;
  before(async () => {
    const t = hangar();
    admin = await adminSession(t);
    await seed(t);
  });

  for (const list of LISTS) {
    test(`${list.field}: paging with endCursor returns every row exactly once, in order`, async () => {
      const t = hangar();
      const expected = await list.expected(t);
      assert.ok(expected.length >= 11, `${list.field}: only ${expected.length} rows seeded`);
      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; ; pages++) {
        assert.ok(pages <= expected.length, `${list.field}: paging does not end`);
        const r: any = await t.gql(page(list), { first: 4, after }, { cookie: admin });
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        const { edges, pageInfo } = r.data[list.field];
        seen.push(...edges.map((e: any) => rawId(e.node.id)));
        assert.equal(pageInfo.hasPreviousPage, after !== null);
        if (edges.length) assert.equal(pageInfo.endCursor, edges.at(-1).cursor);
        if (!pageInfo.hasNextPage) break;
        assert.equal(edges.length, 4);
        after = pageInfo.endCursor;
      }
      assert.deepEqual(seen, expected);
    });
  }

  /** Asks `list` for a page after `after` and expects a BAD_USER_INPUT refusal, not a page. */
  async function refused(t: TestHangar, list: List, after: string): Promise<void> {
    const r = await t.gql(page(list), { first: 4, after }, { cookie: admin });
    assert.equal(r.data?.[list.field as never] ?? null, null, `${list.field}: ${after.slice(0, 60)} was honoured: ${JSON.stringify(r.data)}`);
    assert.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT', `${list.field}: ${JSON.stringify(r.errors)}`);
    assert.match(r.errors![0].message, /^after is not a cursor of the /);
  }

  test('offset cursors and backward paging are refused by every list', async () => {
    const t = hangar();
    for (const list of LISTS) {
      for (const offset of ['OffsetConnection:100000000', 'OffsetConnection:4']) {
        await refused(t, list, base64(offset));
        await refused(t, list, base64url(offset));
      }
      const backward = await t.gql(page(list), { last: 2 }, { cookie: admin });
      assert.equal(backward.errors?.[0].extensions?.code, 'BAD_USER_INPUT', `${list.field} pages backward: ${JSON.stringify(backward)}`);
      assert.match(backward.errors![0].message, /pages forward only/);
    }
  });

  test('another list\'s cursor and tampered cursors are refused; the list\'s own cursor is taken', async () => {
    const t = hangar();
    // A real cursor of each list, to hand to the others.
    const cursors = new Map<string, string>();
    for (const list of LISTS) {
      const r: any = await t.gql(page(list), { first: 2 }, { cookie: admin });
      cursors.set(list.field, r.data[list.field].pageInfo.endCursor);
    }
    for (const list of LISTS) {
      const own = cursors.get(list.field)!;
      const [name, ...key] = JSON.parse(Buffer.from(own, 'base64url').toString());
      const forged = [
        ...LISTS.filter((other) => other !== list).map((other) => cursors.get(other.field)!),
        base64url(JSON.stringify([name, ...key.slice(0, -1), "0' or '1'='1"])),
        base64url(JSON.stringify([name, ...key, '1'])),
        base64url(JSON.stringify([name, ...key.map(() => 100000000)])),
        base64url(JSON.stringify([name, ...key.map(() => '\u0000')])),
        own.slice(1),
        'not a cursor',
        'x'.repeat(10_000),
      ];
      for (const after of forged) await refused(t, list, after);
      const ok: any = await t.gql(page(list), { first: 4, after: own }, { cookie: admin });
      assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
      assert.equal(ok.data[list.field].edges.length, 4);
    }
  });
});
