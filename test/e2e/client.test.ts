// The web client in a real Chromium against a real Hangar (Postgres, Redis, libvirtd): sign-in,
// a VM deployed from the test image with its steps advancing live, its console and charts, power
// and delete, what an ordinary user sees, and screenshots of the main screens (light and dark, at
// 1280 px and at phone width) for CI's artifacts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { networkAndImage, prepareDeploys, removeNetwork } from '../support/deploy.ts';
import { uploadImage } from '../support/images.ts';
import { domState, rawId, removeLeftoverVms, waitFor } from '../support/libvirt.ts';

// CI keeps these as artifacts; the README names the folder.
export const SCREENSHOTS = new URL('../../test-artifacts/screenshots/', import.meta.url).pathname;

// Addresses by DHCP (libvirt's dnsmasq), as on a fresh install's NAT network: the VM page shows the lease.
const NET = { name: 'hangar-web', bridge: 'virbr-web', subnet: '10.231.9', dhcp: true };
const ADMIN = { email: 'admin@example.com', name: 'Grace Hopper', password: 'a long enough password' };
const DEPLOY_TIMEOUT_MS = 10 * 60_000;

const run = promisify(execFile);

describe('the web client in a real Chromium', { timeout: 25 * 60_000 }, () => {
  let hangar: TestHangar;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let imagePath: string;
  let vmUrl = '';
  let vmId = '';
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [imagePath, hangar] = await Promise.all([
      networkAndImage(NET),
      startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '5', HANGAR_METRICS_INTERVAL_SECONDS: '2' }, { processes: ['api', 'worker', 'collector'], registerLocalHost: true }),
    ]);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, { timeout: 20 * 60_000 });

  after(async () => {
    await browser?.close();
    if (hangar) await removeLeftoverVms(hangar);
    await hangar?.stop();
    await removeNetwork(NET);
  }, { timeout: 5 * 60_000 });

  async function shoot(name: string, options: { fullPage?: boolean } = {}): Promise<void> {
    // Sticky bars would be drawn where the page was scrolled to.
    if (options.fullPage ?? true) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: options.fullPage ?? true });
  }

  /** Both themes of the current screen: light as the system asks, then dark. */
  async function shootBoth(name: string, options: { fullPage?: boolean } = {}): Promise<void> {
    await page.emulateMedia({ colorScheme: 'light' });
    await shoot(`${name}-light`, options);
    await page.emulateMedia({ colorScheme: 'dark' });
    await shoot(`${name}-dark`, options);
    await page.emulateMedia({ colorScheme: 'light' });
  }

  async function go(path: string, heading: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: heading, exact: true }).click().catch(async () => {
      await page.goto(hangar.url + path);
    });
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }

  test('first run: the administrator is created and signed in', async () => {
    await page.goto(hangar.url);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Name').fill(ADMIN.name);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.locator('#password-error').getByText('at least 10 characters').waitFor();
    await shoot('setup-error');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    // An administrator sees every screen.
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const item of ['Dashboard', 'Virtual machines', 'Images', 'Hosts', 'Users', 'Roles', 'Audit log']) await nav.getByRole('link', { name: item, exact: true }).waitFor();
    await page.getByRole('banner').getByRole('link', { name: ADMIN.name }).click();
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    assert.match((await page.getByTestId('privileges').textContent()) ?? '', /User_Manage/);
  });

  test('log out, a wrong password shows the error, the right one signs in', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The email or password is wrong').waitFor();
    await shoot('login-error');
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signed in again, the page is the one it was on.
    await page.getByRole('heading', { level: 1, name: 'Profile' }).waitFor();
    // The session lives in an httpOnly cookie the page's scripts cannot read.
    assert.equal(await page.evaluate(() => document.cookie), '');
  });

  test('an image uploaded in the browser shows its progress and lands in the catalog', { timeout: 5 * 60_000 }, async () => {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    // The deploy's network, IP pool and the Debian test image, through the API.
    await prepareDeploys(hangar, cookie, NET, imagePath);
    const dir = await mkdtemp(join(tmpdir(), 'hangar-web-image-'));
    const blank = join(dir, 'blank.qcow2');
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', 'preallocation=full', blank, '48M']);
    await go('/images', 'Images');
    await page.getByRole('cell', { name: /Debian 12 \(test\)/ }).waitFor();
    // A slow uplink (16 MiB/s) so the progress can be watched.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 16 * 1024 * 1024 });
    await page.getByRole('button', { name: 'Upload' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upload an image' });
    await dialog.getByLabel('Disk image (qcow2 or raw)').setInputFiles(blank);
    await dialog.getByLabel('Name', { exact: true }).fill('Blank disk');
    await dialog.getByLabel('OS family').fill('none');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    const percents = new Set<number>();
    const done = page.getByText('Blank disk was uploaded and checked.');
    const deadline = Date.now() + 60_000;
    while (!(await done.isVisible()) && Date.now() < deadline) {
      const text = await page.getByTestId('upload-progress').textContent({ timeout: 200 }).catch(() => null);
      const percent = /\((\d+) %\)/.exec(text ?? '')?.[1];
      if (percent !== undefined) {
        if (percents.size === 2) await shoot('images-upload-progress', { fullPage: false });
        percents.add(Number(percent));
      }
      await page.waitForTimeout(100);
    }
    await done.waitFor({ timeout: 1000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    assert.ok([...percents].filter((p) => p > 0 && p < 100).length >= 3, `the progress bar advanced: ${[...percents].join(', ')} %`);
    await page.getByRole('cell', { name: /Blank disk/ }).waitFor();
    // Added and deleted elsewhere (the API) while the catalog is open: it follows with no reload.
    const other = await uploadImage(hangar, cookie, blank, { name: 'Uploaded elsewhere' });
    await page.getByRole('cell', { name: /Uploaded elsewhere/ }).waitFor({ timeout: 10_000 });
    await hangar.gql('mutation($id: ID!) { deleteImage(id: $id) { __typename } }', { id: other.id }, { cookie });
    await page.getByRole('cell', { name: /Uploaded elsewhere/ }).waitFor({ state: 'detached', timeout: 10_000 });
    await rm(dir, { recursive: true, force: true });
  });

  test('the create form keeps the image an image\u2019s Deploy chose, and a blank disk once chosen', async () => {
    await go('/images', 'Images');
    await page.locator('tr', { has: page.getByRole('cell', { name: /Blank disk/ }) }).getByRole('link', { name: 'Deploy' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create a virtual machine' }).waitFor();
    const select = page.getByLabel('Image', { exact: true });
    // The image list arrives after the form: the drop-down shows the image the form uses.
    await page.waitForFunction(() => (document.querySelector('#vm-image') as HTMLSelectElement | null)?.options.length! > 2);
    const shown = () => select.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent?.trim() ?? '');
    assert.match(await shown(), /^Blank disk/);
    assert.notEqual(await select.inputValue(), '');
    // A blank disk stays chosen (it used to snap back to the first image).
    await select.selectOption({ label: 'No image (blank disk)' });
    await page.getByText('A blank disk: install an OS yourself').waitFor();
    await page.waitForTimeout(500);
    assert.equal(await select.inputValue(), '');
    assert.equal(await shown(), 'No image (blank disk)');
  });

  test('a VM created in the browser shows its deployment steps advancing live until it is ready', { timeout: DEPLOY_TIMEOUT_MS + 60_000 }, async () => {
    await go('/vms', 'Virtual machines');
    await page.getByRole('link', { name: 'Create VM' }).click();
    await page.getByRole('heading', { level: 1, name: 'Create a virtual machine' }).waitFor();
    await page.getByLabel('Image', { exact: true }).selectOption({ label: 'Debian 12 (test) (debian 12)' });
    await page.getByText('Tiny', { exact: true }).click();
    // A hostname that is not an RFC 1123 label: the server's message stands under the field.
    await page.getByLabel('Name', { exact: true }).fill('web one');
    await page.getByLabel('Password').fill('correct-Horse-7');
    await page.getByLabel('Hostname').fill('not_a_hostname!');
    await page.getByRole('button', { name: 'Create VM' }).click();
    await page.locator('#vm-hostname-error').waitFor();
    await shootBoth('create-vm-error');
    await page.getByLabel('Hostname').fill('web-one');
    await page.getByLabel('Time zone').fill('Europe/Paris');
    await shootBoth('create-vm');
    await page.getByRole('button', { name: 'Create VM' }).click();
    await page.getByRole('heading', { name: /Deploying web one/ }).waitFor();

    // The steps advance while we watch: record every state each step shows.
    const seen = new Set<string>();
    const steps = page.getByRole('list', { name: 'Steps' }).locator('li');
    await steps.first().waitFor();
    const deadline = Date.now() + DEPLOY_TIMEOUT_MS;
    let shot = false;
    while (Date.now() < deadline) {
      for (const state of await steps.evaluateAll((items) => items.map((li) => li.getAttribute('data-step-state') ?? ''))) seen.add(state);
      if (!shot && seen.has('RUNNING')) {
        await shootBoth('create-vm-deploying');
        shot = true;
      }
      if (await page.getByText('web one is ready.').isVisible()) break;
      const status = await page.locator('[data-task-status]').first().getAttribute('data-task-status');
      assert.notEqual(status, 'FAILED', `the deploy failed: ${await page.locator('.task').first().textContent()}`);
      await page.waitForTimeout(100);
    }
    await page.getByText('web one is ready.').waitFor({ timeout: 1000 });
    assert.ok(seen.has('RUNNING'), `a step was seen running (${[...seen].join(', ')})`);
    assert.ok(seen.has('PENDING'), `a step was seen waiting its turn (${[...seen].join(', ')})`);
    const final = await steps.evaluateAll((items) => items.map((li) => li.getAttribute('data-step-state')));
    assert.ok(final.every((s) => s === 'DONE' || s === 'SKIPPED'), `every step is done: ${final.join(', ')}`);

    await page.getByRole('link', { name: 'Open web one' }).click();
    await page.getByRole('heading', { level: 1, name: 'web one' }).waitFor();
    vmUrl = page.url();
    vmId = decodeURIComponent(new URL(vmUrl).pathname.split('/').pop()!);
    await page.locator('.page-header [data-state="RUNNING"]').waitFor();
    assert.equal(await domState(rawId(vmId)), 'running');
    // What the VM really has: its NIC on the network, and the address the guest got by DHCP.
    assert.match((await page.getByTestId('vm-network').textContent()) ?? '', /Network hangar-web · MAC 52:54:00(:[0-9a-f]{2}){3}/);
    await page.getByTestId('vm-address').getByText(/^10\.231\.9\.(1\d\d|200)$/).waitFor({ timeout: 60_000 });
    assert.match((await page.getByTestId('vm-address').textContent()) ?? '', /by DHCP/);
  });

  test('the VM list shows the VM live; search and state filters narrow it', async () => {
    await go('/vms', 'Virtual machines');
    const row = page.locator('tr', { has: page.getByRole('link', { name: 'web one' }) });
    await row.locator('[data-state="RUNNING"]').waitFor();
    await page.getByLabel('Search').fill('nothing-like-this');
    await page.getByText('No VM matches these filters.').waitFor();
    await page.getByLabel('Search').fill('web');
    await row.waitFor();
    await page.getByLabel('State').selectOption('STOPPED');
    await page.getByText('No VM matches these filters.').waitFor();
    await page.getByLabel('State').selectOption('');
    await row.waitFor();
  });

  test('the console draws the guest’s screen', { timeout: 4 * 60_000 }, async () => {
    await page.goto(`${vmUrl}?tab=console`);
    const screen = page.getByTestId('console-screen');
    await page.locator('[data-console-status="connected"]').waitFor({ timeout: 60_000 });
    const canvas = screen.locator('canvas');
    await canvas.waitFor();
    // The guest's screen (boot text on black) is not one colour.
    await waitFor(
      'the console canvas to show more than one colour',
      async () =>
        canvas.evaluate((c: HTMLCanvasElement) => {
          const ctx = c.getContext('2d');
          if (!ctx || !c.width || !c.height) return false;
          const data = ctx.getImageData(0, 0, c.width, c.height).data;
          for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
          return false;
        }),
      60_000,
      500,
    );
    await shootBoth('vm-console', { fullPage: false });
  });

  test('a chart receives points', { timeout: 4 * 60_000 }, async () => {
    await page.goto(`${vmUrl}?tab=metrics`);
    const cpu = page.locator('figure.chart[aria-label="CPU"]');
    const points = async () => Number(await cpu.getAttribute('data-points'));
    await waitFor('the CPU chart to receive points', async () => (await points()) > 0, 120_000, 500);
    // And more keep coming, live (the collector samples every 2 s here).
    const first = await points();
    await waitFor('a live point to be added', async () => (await points()) > first, 60_000, 250);
    await shootBoth('vm-charts');
  });

  test('screenshots of the main screens, light and dark, at 1280 px and phone width', { timeout: 5 * 60_000 }, async () => {
    await page.goto(hangar.url + '/');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByTestId('vm-total').getByText('1').waitFor();
    await shootBoth('dashboard');
    await go('/vms', 'Virtual machines');
    await page.getByRole('link', { name: 'web one' }).waitFor();
    await shootBoth('vm-list');
    await page.goto(vmUrl);
    await page.getByRole('heading', { level: 1, name: 'web one' }).waitFor();
    await shootBoth('vm-detail');
    await page.getByRole('tab', { name: /Tasks/ }).click();
    await page.locator('[data-operation="vm.deploy"]').first().waitFor();
    await shootBoth('vm-tasks');
    await go('/images', 'Images');
    await page.getByRole('cell', { name: /Debian 12 \(test\)/ }).waitFor();
    await shootBoth('images');
    await go('/hosts', 'Hosts');
    await page.getByRole('link', { name: 'local' }).waitFor();
    await shootBoth('hosts');
    await page.getByRole('link', { name: 'local' }).click();
    await page.getByRole('heading', { level: 2, name: 'VMs on local' }).waitFor();
    await shootBoth('host-detail');
    await go('/users', 'Users');
    await page.getByText(ADMIN.email).waitFor();
    await shootBoth('users');
    await go('/audit', 'Audit log');
    await page.locator('summary', { hasText: /^createVm$/ }).first().waitFor();
    await shootBoth('audit');
    // The theme toggle overrides the system's choice.
    await page.getByRole('button', { name: 'Use dark theme' }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.getByRole('button', { name: 'Use light theme' }).click();
    // The profile hands the choice back to the system.
    await page.getByRole('banner').getByRole('link', { name: ADMIN.name }).click();
    await page.getByLabel('Theme', { exact: true }).selectOption('system');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), undefined);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(hangar.url + '/');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await shootBoth('dashboard-phone');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Virtual machines' }).click();
    await page.getByRole('link', { name: 'web one' }).waitFor();
    await shootBoth('vm-list-phone');
    await page.goto(vmUrl);
    await page.getByRole('heading', { level: 1, name: 'web one' }).waitFor();
    await shootBoth('vm-detail-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('an ordinary user sees neither the administrator’s VM nor the admin screens', async () => {
    const admin = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const user = await userWithRole(hangar, admin, 'User');
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await other.newPage();
      await p.goto(hangar.url);
      await p.getByLabel('Email').fill(user.email);
      await p.getByLabel('Password').fill('a long enough password');
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      const nav = p.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Virtual machines' }).click();
      await p.getByText('No virtual machines yet.').waitFor();
      assert.equal(await p.getByRole('link', { name: 'web one' }).count(), 0);
      for (const item of ['Hosts', 'Users', 'Roles', 'Audit log']) assert.equal(await nav.getByRole('link', { name: item, exact: true }).count(), 0, `${item} is not offered`);
      await p.goto(vmUrl);
      await p.getByText('This VM does not exist or you may not see it.').waitFor();
      await p.goto(hangar.url + '/hosts');
      await p.getByRole('heading', { name: 'Not available' }).waitFor();
      await p.screenshot({ path: `${SCREENSHOTS}user-not-available.png` });
    } finally {
      await other.close();
    }
  });

  test('power off asks first, then the VM stops; delete asks for its name, then it is gone', { timeout: 5 * 60_000 }, async () => {
    await page.goto(vmUrl);
    await page.getByRole('heading', { level: 1, name: 'web one' }).waitFor();
    await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Power off' }).click();
    const confirm = page.getByRole('dialog', { name: 'Power off web one?' });
    await confirm.getByText('pulling the plug').waitFor();
    await confirm.getByRole('button', { name: 'Power off' }).click();
    await page.locator('.page-header [data-state="STOPPED"]').waitFor({ timeout: 120_000 });
    assert.equal(await domState(rawId(vmId)), 'shut off');

    await page.getByRole('toolbar', { name: 'VM actions' }).getByRole('button', { name: 'Delete' }).click();
    const del = page.getByRole('dialog', { name: 'Delete web one?' });
    const button = del.getByRole('button', { name: 'Delete VM' });
    assert.ok(await button.isDisabled(), 'delete waits for the name');
    await del.getByLabel("Type the VM's name to confirm").fill('web one');
    await button.click();
    await page.getByRole('heading', { level: 1, name: 'Virtual machines' }).waitFor({ timeout: 30_000 });
    await page.getByText('No virtual machines yet.').waitFor({ timeout: 120_000 });
    await waitFor('the domain to be gone', async () => (await domState(rawId(vmId))) === null, 60_000, 500);
  });

  test('the live connection comes back after it drops, and what changed meanwhile is shown', { timeout: 3 * 60_000 }, async () => {
    // Every socket of the page to /graphql passes through here, so the test can cut it and refuse new ones.
    let refusing = false;
    const open: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      if (refusing) return ws.close({ code: 1012, reason: 'test: the API restarts' });
      ws.connectToServer();
      open.push(ws);
    });
    await page.goto(hangar.url + '/vms');
    await page.getByRole('heading', { level: 1, name: 'Virtual machines' }).waitFor();
    await page.locator('.live.connected').waitFor();
    refusing = true;
    for (const ws of open.splice(0)) await ws.close({ code: 1012, reason: 'test: the API restarts' });
    await page.getByText('Reconnecting…').waitFor();
    // While the page cannot hear anything, the user's name changes.
    const admin = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const me = await hangar.gql(`{ me { id } }`, {}, { cookie: admin });
    const renamed = await hangar.gql(
      `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { __typename } }`,
      { id: me.data.me.id, input: { name: 'Grace B. Hopper' } },
      { cookie: admin },
    );
    assert.equal(renamed.data.updateUser.__typename, 'User');
    await page.waitForTimeout(1500);
    refusing = false;
    // Back with backoff, subscribed again, and what may have changed is read again.
    await page.locator('.live.connected').waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Grace B. Hopper' }).waitFor({ timeout: 30_000 });
    await page.unrouteAll();
  });

  test('no script error happened on any page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
