// Login CSRF: a page on another site can POST a form (urlencoded, multipart or text/plain) to
// /graphql and, if that worked, sign its visitor into the attacker's account or claim a fresh
// installation. Every form-compatible POST without x-hangar-csrf is refused, cookie or not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADMIN, setupAdmin, useTestHangar, type TestHangar } from '../support/hangar.ts';

const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { __typename } }';
const SETUP = 'mutation($input: SetupAdministratorInput!) { setupAdministrator(input: $input) { __typename } }';

/** The bodies a cross-site <form> (or a no-cors fetch) can send without a preflight. */
function formShapes(query: string, variables: Record<string, unknown>): Array<[string, () => { body: BodyInit; headers: Record<string, string> }]> {
  const json = JSON.stringify({ query, variables });
  return [
    ['text/plain', () => ({ body: json, headers: { 'content-type': 'text/plain' } })],
    ['application/x-www-form-urlencoded', () => ({ body: new URLSearchParams({ query, variables: JSON.stringify(variables) }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
    [
      'multipart/form-data',
      () => {
        const form = new FormData();
        form.append('operations', json);
        form.append('map', '{}');
        return { body: form, headers: {} };
      },
    ],
  ];
}

async function post(t: TestHangar, shape: { body: BodyInit; headers: Record<string, string> }, extra: Record<string, string> = {}) {
  const response = await fetch(`${t.url}/graphql`, { method: 'POST', body: shape.body, headers: { origin: 'http://attacker.example', ...shape.headers, ...extra } });
  return { status: response.status, cookie: response.headers.get('set-cookie'), body: await response.text() };
}

/** What came back, in a form that prints well when it is not a refusal. */
function outcome(shape: string, result: { status: number; cookie: string | null; body: string }) {
  let code: unknown = null;
  try {
    code = JSON.parse(result.body).errors?.[0]?.extensions?.code ?? null;
  } catch {}
  return { shape, status: result.status, code, setCookie: result.cookie !== null };
}
const refused = (shape: string) => ({ shape, status: 403, code: 'CSRF', setCookie: false });

const count = async (t: TestHangar, table: 'sessions' | 'users') => Number((await t.hangar.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('cross-site form posts to a fresh installation', () => {
  const hangar = useTestHangar('postgres');

  test('a fresh installation cannot be claimed by a cross-site form', async () => {
    const t = hangar();
    const attacker = { email: 'attacker@example.com', name: 'Mallory', password: 'a long enough password' };
    const outcomes = [];
    for (const [name, shape] of formShapes(SETUP, { input: attacker })) outcomes.push(outcome(name, await post(t, shape())));
    assert.deepEqual(outcomes, formShapes(SETUP, {}).map(([name]) => refused(name)));
    assert.equal(await count(t, 'users'), 0);
    assert.equal((await t.gql('{ setupRequired }')).data.setupRequired, true);
  });
});

describe('cross-site form posts without a session', () => {
  const hangar = useTestHangar('postgres');

  test('a cross-site form cannot sign the visitor into the attacker\u2019s account', async () => {
    const t = hangar();
    await setupAdmin(t);
    const sessions = await count(t, 'sessions');
    const outcomes = [];
    for (const [name, shape] of formShapes(LOGIN, { input: { email: ADMIN.email, password: ADMIN.password } })) outcomes.push(outcome(name, await post(t, shape())));
    assert.deepEqual(outcomes, formShapes(LOGIN, {}).map(([name]) => refused(name)));
    assert.equal(await count(t, 'sessions'), sessions, 'no session was created');
    const audit = await t.hangar.db.selectFrom('audit_log').select('id').where('action', '=', 'login').where('result', '=', 'ok').execute();
    assert.equal(audit.length, 1, 'only the test\u2019s own sign-in ran');
  });

  test('the page\u2019s own requests still sign in: JSON, or a form shape with x-hangar-csrf; a Bearer token needs no header', async () => {
    const t = hangar();
    const variables = { input: { email: ADMIN.email, password: ADMIN.password } };
    const json = await post(t, { body: JSON.stringify({ query: LOGIN, variables }), headers: { 'content-type': 'application/json' } });
    assert.equal(json.status, 200, json.body);
    assert.match(json.cookie ?? '', /^hangar/i);
    const [, urlencoded] = formShapes(LOGIN, variables)[1];
    const marked = await post(t, urlencoded(), { 'x-hangar-csrf': '1' });
    assert.equal(marked.status, 200, marked.body);
    assert.equal(JSON.parse(marked.body).data.login.__typename, 'LoginSuccess');
    assert.ok(marked.cookie);
    // No browser attaches an Authorization header by itself: an invalid token is judged as a token.
    const [, bearer] = formShapes('{ setupRequired }', {})[1];
    const withToken = await post(t, bearer(), { authorization: 'Bearer not-a-token' });
    assert.equal(withToken.status, 401, withToken.body);
  });
});
