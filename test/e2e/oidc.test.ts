// Single sign-on in a real Chromium against a real OpenID Provider (oidc-provider on 127.0.0.1):
// the sign-in page's provider button, the provider's own sign-in page, and back to Hangar's
// dashboard signed in as the user the provider's groups made; and an administrator adding a
// provider with its group mapping on the Single sign-on page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from 'otplib';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { connectTestProvider, signInWithProvider, type TestOpenIdProvider } from '../support/oidc-provider.ts';

describe('single sign-on in a real Chromium', { timeout: 5 * 60_000 }, () => {
  let t: TestHangar;
  let idp: TestOpenIdProvider;
  let providerId: string;
  let browser: Browser;
  let admin: string;
  const opened: SignedInPage[] = [];

  before(async () => {
    t = await startTestHangar('postgres', { HANGAR_OIDC_ALLOWED_NETWORKS: '127.0.0.0/8' });
    admin = await setupAdmin(t);
    ({ idp, providerId } = await connectTestProvider(t, admin, { ops: 'Operator' }));
    browser = await launchBrowser();
  });

  after(async () => {
    for (const p of opened) assert.deepEqual(p.errors, [], 'no script errors on the page');
    await browser?.close();
    await idp?.stop();
    await t?.stop();
  });

  test('the provider button on the sign-in page leads through the provider\'s sign-in to the dashboard, signed in', async () => {
    idp.accounts.set('dana', { email: 'dana@example.com', email_verified: true, name: 'Dana Scully', preferred_username: 'dana', groups: ['ops'] });
    const opened_ = await signedInPage(browser, t, 'none=none');
    opened.push(opened_);
    const { page } = opened_;
    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    // The provider's own page (oidc-provider's development sign-in form).
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByPlaceholder('Enter any login').fill('dana');
    await page.getByPlaceholder('and password').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    assert.equal(new URL(page.url()).origin, t.url);
    await page.getByText('Dana Scully').first().waitFor();
    // The Operator role from the ops group: Hosts is in the menu (Host.View), Users is not.
    await page.getByRole('link', { name: 'Hosts' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0);
  });

  test('a refused sign-in comes back to the sign-in page with the reason', async () => {
    idp.accounts.set('erin', { email: 'erin@example.com', email_verified: true, name: 'Erin' });
    const users = await t.hangar.db.selectFrom('users').select('id').where('email', '=', 'erin@example.com').execute();
    assert.equal(users.length, 0);
    // An administrator turned the provider's user creation off: Erin has no account.
    await t.hangar.db.updateTable('oidc_providers').set({ create_users: false, updated_at: new Date() }).execute();
    const opened_ = await signedInPage(browser, t, 'none=none');
    opened.push(opened_);
    const { page } = opened_;
    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.getByPlaceholder('Enter any login').fill('erin');
    await page.getByPlaceholder('and password').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('heading', { name: 'Sign in to Hangar' }).waitFor();
    await page.getByText('You have no Hangar account').waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the reason is taken out of the address');
    await t.hangar.db.updateTable('oidc_providers').set({ create_users: true, updated_at: new Date() }).execute();
  });

  test('a user with an authenticator app is asked for its code after the provider, then reaches the dashboard', async () => {
    idp.accounts.set('fox', { email: 'fox@example.com', email_verified: true, name: 'Fox Mulder', groups: ['ops'] });
    const first = await signInWithProvider(t.url, providerId, 'fox');
    assert.ok(first.session, first.error ?? first.location);
    const started = await t.gql('mutation { startTotpEnrolment { ... on TotpEnrolment { secret } } }', {}, { cookie: first.session! });
    const { secret } = started.data.startTotpEnrolment;
    if ((Date.now() / 1000) % 30 > 25) await sleep(6000);
    const confirmed = await t.gql('mutation($code: String!) { confirmTotpEnrolment(code: $code) { __typename } }', { code: await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 30 }) }, { cookie: first.session! });
    assert.equal(confirmed.data.confirmTotpEnrolment.__typename, 'SecondFactorEnrolled');

    const opened_ = await signedInPage(browser, t, 'none=none');
    opened.push(opened_);
    const { page } = opened_;
    await page.goto(`${t.url}/`);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await page.getByPlaceholder('Enter any login').fill('fox');
    await page.getByPlaceholder('and password').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('heading', { name: 'Second factor' }).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the pending sign-in is taken out of the address');
    await page.getByLabel('Code from your authenticator app').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByText('Fox Mulder').first().waitFor();
  });

  test('an administrator adds a provider with a group mapping on the Single sign-on page', async () => {
    const opened_ = await signedInPage(browser, t, admin);
    opened.push(opened_);
    const { page } = opened_;
    await openPage(page, t, '/settings/sso', 'Single sign-on');
    await page.getByRole('article', { name: 'Test IdP' }).getByText(`${t.url}/auth/oidc/`).waitFor();
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByLabel('Name (on the sign-in button)').fill('Company SSO');
    await page.getByLabel('Issuer URL').fill('https://sso.example.com/realms/staff');
    await page.getByLabel('Client id').fill('hangar-web');
    await page.getByLabel('Client secret').fill('s3cret');
    await page.getByRole('button', { name: 'Add a group' }).click();
    await page.getByLabel('Group', { exact: true }).fill('platform-admins');
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Administrator' });
    await page.getByRole('button', { name: 'Add provider' }).last().click();
    const card = page.getByRole('article', { name: 'Company SSO' });
    await card.getByText('platform-admins → Administrator').waitFor();
    const row = await t.hangar.db.selectFrom('oidc_providers').select(['issuer', 'client_id', 'client_secret']).where('name', '=', 'Company SSO').executeTakeFirstOrThrow();
    assert.deepEqual(row, { issuer: 'https://sso.example.com/realms/staff', client_id: 'hangar-web', client_secret: 's3cret' });
    // The secret is never sent back to the page.
    assert.equal(await page.getByText('s3cret').count(), 0);
  });
});
