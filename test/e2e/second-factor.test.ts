// Second factors in a real Chromium. Passkeys through Chromium's virtual authenticator (DevTools
// protocol WebAuthn.*): enrolled on the Profile page, used to sign in, and refused when it is a
// copy whose signature counter went back or a key with the same id and another private key. The
// authenticator app with its QR code, verified once, then asked for at sign-in. WebAuthn needs a
// secure context and a domain as the RP ID (never an IP address): the pages are opened on
// http://localhost:<port>, and the server takes the RP ID from the Host header.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { generate } from 'otplib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

const PASSWORD = 'a long enough password';

/** As WebAuthn.getCredentials gives it (binary fields in base64). */
interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/** A virtual USB security key on the page (presence and verification answered at once). */
async function virtualAuthenticator(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    credentials: async (): Promise<VirtualCredential[]> => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
    add: (credential: VirtualCredential) => cdp.send('WebAuthn.addCredential', { authenticatorId, credential }),
  };
}

describe('second factors in a real Chromium', { timeout: 5 * 60_000 }, () => {
  let t: TestHangar;
  /** The same server by name: WebAuthn refuses an IP address as the relying party. */
  let local: TestHangar;
  let browser: Browser;
  let admin: string;
  const opened: SignedInPage[] = [];

  before(async () => {
    t = await startTestHangar('postgres');
    local = { ...t, url: t.url.replace('127.0.0.1', 'localhost') };
    admin = await setupAdmin(t);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const p of opened) assert.deepEqual(p.errors, [], 'no script errors on the page');
    await browser?.close();
    await t?.stop();
  });

  /** A page on localhost; signed in with `cookie` when given. */
  async function pageAt(cookie?: string): Promise<SignedInPage> {
    const opened_ = await signedInPage(browser, local, cookie ?? 'none=none');
    opened.push(opened_);
    return opened_;
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(local.url + '/');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Second factor' }).waitFor();
  }

  test('a passkey enrolled on the Profile page signs in; a copy with a lower counter and a key with another private key are refused', async () => {
    const user = await userWithRole(t, admin, 'User');
    const enrolling = await pageAt(user.cookie);
    const key = await virtualAuthenticator(enrolling.context, enrolling.page);
    await openPage(enrolling.page, local, '/profile', 'Profile');
    await enrolling.page.getByLabel('Name for a new passkey').fill('Desk key');
    await enrolling.page.getByRole('button', { name: 'Add passkey or security key' }).click();
    const codes = enrolling.page.getByTestId('recovery-codes').getByRole('listitem');
    await codes.first().waitFor();
    assert.equal(await codes.count(), 10, 'ten recovery codes, shown once');
    await enrolling.page.getByTestId('passkeys').getByText('Desk key').waitFor();
    const [credential] = await key.credentials();
    assert.ok(credential?.privateKey, 'the virtual key holds the credential');
    const stored = () => t.hangar.db.selectFrom('webauthn_credentials').select(['counter', 'name']).execute();
    assert.deepEqual((await stored()).map((r) => r.name), ['Desk key']);

    // The same key (its credential moved to a fresh browser) signs in.
    const signingIn = await pageAt();
    const sameKey = await virtualAuthenticator(signingIn.context, signingIn.page);
    await sameKey.add((await key.credentials())[0]);
    await signIn(signingIn.page, user.email);
    await signingIn.page.getByRole('button', { name: 'Use a passkey or security key' }).click();
    await signingIn.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    const counter = Number((await stored())[0].counter);
    assert.ok(counter > 0, `the counter moved forward: ${counter}`);

    // A clone: the same private key whose counter is behind the one the server saw.
    const cloned = await pageAt();
    const clone = await virtualAuthenticator(cloned.context, cloned.page);
    await clone.add({ ...credential, signCount: 0 });
    await signIn(cloned.page, user.email);
    await cloned.page.getByRole('button', { name: 'Use a passkey or security key' }).click();
    await cloned.page.getByRole('alert').filter({ hasText: 'signature counter went back' }).waitFor();
    assert.equal(await cloned.page.getByRole('heading', { name: 'Dashboard' }).count(), 0);
    assert.equal(Number((await stored())[0].counter), counter, 'a refused clone leaves the counter');

    // The same credential id with another private key: its signature is wrong.
    const forged = await pageAt();
    const forgery = await virtualAuthenticator(forged.context, forged.page);
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    await forgery.add({ ...credential, privateKey: otherKey, signCount: counter + 100 });
    await signIn(forged.page, user.email);
    await forged.page.getByRole('button', { name: 'Use a passkey or security key' }).click();
    await forged.page.getByRole('alert').filter({ hasText: 'was not accepted' }).waitFor();
    assert.equal(await forged.page.getByRole('heading', { name: 'Dashboard' }).count(), 0);

    // The key that signed in (its counter where the server saw it last) still works after both.
    const again = await pageAt();
    const original = await virtualAuthenticator(again.context, again.page);
    const [used] = await sameKey.credentials();
    assert.equal(used.signCount, counter);
    await original.add(used);
    await signIn(again.page, user.email);
    await again.page.getByRole('button', { name: 'Use a passkey or security key' }).click();
    await again.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  });

  test('an authenticator app is on once a code from its QR code is verified, and sign-in then asks for a code', async () => {
    const user = await userWithRole(t, admin, 'User');
    const { page } = await pageAt(user.cookie);
    await openPage(page, local, '/profile', 'Profile');
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    await qr.waitFor();
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('Code from the app').fill('000000' === (await generate({ secret })) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await page.getByText('That code is not right').waitFor();
    await page.getByLabel('Code from the app').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 30 }));
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    const recovery = (await page.getByTestId('recovery-codes').getByRole('listitem').allTextContents()).map((c) => c.trim());
    assert.equal(recovery.length, 10);

    const next = await pageAt();
    await signIn(next.page, user.email);
    assert.equal(await next.page.getByRole('button', { name: 'Use a passkey or security key' }).count(), 0, 'no passkey offered to a user without one');
    await next.page.getByLabel('Code from your authenticator app').fill(await generate({ secret }));
    await next.page.getByRole('button', { name: 'Verify' }).click();
    await next.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    // A recovery code, once.
    const third = await pageAt();
    await signIn(third.page, user.email);
    await third.page.getByRole('button', { name: 'Use a recovery code' }).click();
    await third.page.getByLabel('Recovery code').fill(recovery[0]);
    await third.page.getByRole('button', { name: 'Verify' }).click();
    await third.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    // The user lost their phone: an administrator clears their factors on the Users page (asked twice).
    const users = await pageAt(admin);
    await openPage(users.page, local, '/users', 'Users');
    const row = users.page.getByRole('row').filter({ hasText: user.email });
    await row.getByTestId('second-factor').getByText('app').waitFor();
    await row.getByRole('button', { name: /^Clear the second factors of / }).click();
    await row.getByRole('button', { name: /^Confirm: clear the second factors of / }).click();
    await row.getByTestId('second-factor').waitFor({ state: 'detached' });
    const fourth = await pageAt();
    await fourth.page.goto(local.url + '/');
    await fourth.page.getByLabel('Email').fill(user.email);
    await fourth.page.getByLabel('Password').fill(PASSWORD);
    await fourth.page.getByRole('button', { name: 'Sign in' }).click();
    await fourth.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  });

  test('a role that requires a second factor shows its user only enrolment until they enrol', async () => {
    const user = await userWithRole(t, admin, 'User');
    const roles = await t.gql('{ roles { edges { node { id name } } } }', {}, { cookie: admin });
    const userRole = roles.data.roles.edges.find((e: any) => e.node.name === 'User').node.id;
    const required = await pageAt(admin);
    await openPage(required.page, local, '/roles', 'Roles');
    await required.page.locator('article', { has: required.page.getByRole('heading', { name: 'User', exact: true }) }).getByLabel('Requires second factor').check();
    const requiresNow = async () => (await t.gql('query($id: ID!) { node(id: $id) { ... on Role { requiresSecondFactor } } }', { id: userRole }, { cookie: admin })).data.node.requiresSecondFactor;
    try {
      for (let i = 0; i < 50 && !(await requiresNow()); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await requiresNow(), true);

      const { page } = await pageAt(user.cookie);
      await page.goto(local.url + '/vms');
      await page.getByRole('heading', { level: 1, name: 'Set up a second factor' }).waitFor();
      await page.getByText('Your role requires a second factor').waitFor();
      await page.getByRole('button', { name: 'Set up authenticator app' }).click();
      const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
      await page.getByLabel('Code from the app').fill(await generate({ secret }));
      await page.getByRole('button', { name: 'Verify and turn on' }).click();
      await page.getByTestId('recovery-codes').waitFor();
      await page.getByRole('button', { name: 'I saved them' }).click();
      await page.getByRole('heading', { level: 1, name: 'Virtual machines' }).waitFor();
    } finally {
      await t.gql('mutation($id: ID!) { setRoleRequiresSecondFactor(id: $id, required: false) { __typename } }', { id: userRole }, { cookie: admin });
    }
  });
});
