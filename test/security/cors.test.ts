// CORS from a real browser: a page on another origin of the same site (another port of
// 127.0.0.1, so the SameSite=Lax session cookie rides along) that a signed-in user visits must
// not be able to act or read as them, unless an administrator listed its origin (HANGAR_CORS_ORIGINS).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { ADMIN, adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';

const FORGED_ROLE = 'Made cross-origin';
const CREATE_ROLE = `mutation { createRole(input: { name: "${FORGED_ROLE}", privileges: [] }) { __typename } }`;

interface Attempt {
  error?: string;
  status?: number;
  body?: string;
}

/** What the page at `origin` gets when it calls Hangar the way a partner app would. */
async function crossOriginCall(page: Page, hangarUrl: string, body: { query: string }, method = 'POST'): Promise<Attempt> {
  return page.evaluate(
    async ({ url, body, method }) => {
      try {
        const response = await fetch(method === 'GET' ? `${url}/graphql?query=${encodeURIComponent(body.query)}` : `${url}/graphql`, {
          method,
          credentials: 'include',
          headers: method === 'GET' ? { 'x-hangar-csrf': '1' } : { 'content-type': 'application/json', 'x-hangar-csrf': '1' },
          body: method === 'GET' ? undefined : JSON.stringify(body),
        });
        return { status: response.status, body: await response.text() };
      } catch (error) {
        return { error: String(error) };
      }
    },
    { url: hangarUrl, body, method },
  );
}

/** A form-shaped request the page may send without asking (no-cors): the browser drops x-hangar-csrf. */
async function noCorsPost(page: Page, hangarUrl: string, query: string): Promise<void> {
  await page.evaluate(
    async ({ url, query }) => {
      await fetch(`${url}/graphql`, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain', 'x-hangar-csrf': '1' }, body: JSON.stringify({ query }) });
    },
    { url: hangarUrl, query },
  );
}

describe('cross-origin requests from a real browser', { timeout: 5 * 60_000 }, () => {
  let site: Server;
  let origin: string;
  let plain: TestHangar;
  let partner: TestHangar;
  let browser: Browser;

  before(async () => {
    // The "other app": any page on another port of the same host.
    site = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Another app</title><p>hello</p>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    [plain, partner] = await Promise.all([startTestHangar('postgres'), startTestHangar('postgres', { HANGAR_CORS_ORIGINS: `https://partner.example.com,${origin}` })]);
    await Promise.all([adminSession(plain), adminSession(partner)]);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    await Promise.all([plain?.stop(), partner?.stop()]);
    site?.close();
  });

  /** A browser profile signed in to `t` (through its own page, as the client does). */
  async function signedInPage(t: TestHangar): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${t.url}/healthz`);
    const login = await page.evaluate(async (admin) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hangar-csrf': '1' },
        body: JSON.stringify({ query: 'mutation($input: LoginInput!) { login(input: $input) { __typename } }', variables: { input: { email: admin.email, password: admin.password } } }),
      });
      return (await response.json()).data.login.__typename;
    }, ADMIN);
    assert.equal(login, 'LoginSuccess');
    assert.equal((await context.cookies(t.url)).length, 1);
    await page.goto(`${origin}/`);
    return page;
  }

  const forgedRoles = (t: TestHangar) => t.hangar.db.selectFrom('roles').select('id').where('name', '=', FORGED_ROLE).execute();
  const roleAudit = (t: TestHangar) => t.hangar.db.selectFrom('audit_log').select('id').where('action', '=', 'createRole').execute();

  test('by default another origin can neither act nor read as the signed-in user', async () => {
    const page = await signedInPage(plain);
    const mutation = await crossOriginCall(page, plain.url, { query: CREATE_ROLE });
    assert.match(mutation.error ?? '', /Failed to fetch/, `the mutation was let through: ${JSON.stringify(mutation)}`);
    const read = await crossOriginCall(page, plain.url, { query: '{ me { email } }' });
    assert.match(read.error ?? '', /Failed to fetch/, `the page read the answer: ${JSON.stringify(read)}`);
    const readByGet = await crossOriginCall(page, plain.url, { query: '{ me { email } }' }, 'GET');
    assert.match(readByGet.error ?? '', /Failed to fetch/, `the page read the answer: ${JSON.stringify(readByGet)}`);
    // A request the browser sends without asking carries no x-hangar-csrf: refused by the CSRF rule.
    await noCorsPost(page, plain.url, CREATE_ROLE);
    // Nothing ran on the server.
    assert.deepEqual(await forgedRoles(plain), []);
    assert.deepEqual(await roleAudit(plain), []);
    await page.context().close();
  });

  test('preflights from a foreign origin are refused and no response carries Access-Control headers', async () => {
    const preflight = await fetch(`${plain.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-hangar-csrf' },
    });
    assert.equal(preflight.status, 403);
    assert.deepEqual([...preflight.headers.keys()].filter((h) => h.startsWith('access-control-')), []);
    const get = await fetch(`${plain.url}/graphql?query=${encodeURIComponent('{ setupRequired }')}`, { headers: { origin } });
    assert.equal(get.status, 200);
    assert.deepEqual([...get.headers.keys()].filter((h) => h.startsWith('access-control-')), []);
    // A listed origin on another installation does not open this one to a different origin.
    const other = await fetch(`${partner.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST' } });
    assert.equal(other.status, 403);
    assert.deepEqual([...other.headers.keys()].filter((h) => h.startsWith('access-control-')), []);
  });

  test('an origin listed in HANGAR_CORS_ORIGINS may call the API with the user\u2019s cookie', async () => {
    const page = await signedInPage(partner);
    const read = await crossOriginCall(page, partner.url, { query: '{ me { email } }' });
    assert.equal(read.status, 200, JSON.stringify(read));
    assert.equal(JSON.parse(read.body!).data.me.email, ADMIN.email);
    const mutation = await crossOriginCall(page, partner.url, { query: CREATE_ROLE });
    assert.equal(mutation.status, 200, JSON.stringify(mutation));
    assert.equal(JSON.parse(mutation.body!).data.createRole.__typename, 'Role');
    assert.equal((await forgedRoles(partner)).length, 1);
    await page.context().close();
  });
});

test('HANGAR_CORS_ORIGINS takes exact origins only', () => {
  assert.deepEqual(loadConfig({}).corsOrigins, []);
  assert.deepEqual(loadConfig({ HANGAR_CORS_ORIGINS: 'https://partner.example.com, http://127.0.0.1:3000' }).corsOrigins, ['https://partner.example.com', 'http://127.0.0.1:3000']);
  for (const wrong of ['*', 'https://partner.example.com/', 'https://partner.example.com/app', 'partner.example.com', 'https://*.example.com', 'ftp://partner.example.com', 'https://Partner.example.com', 'https://partner.example.com:443']) {
    assert.throws(() => loadConfig({ HANGAR_CORS_ORIGINS: wrong }), ConfigError, wrong);
  }
});
