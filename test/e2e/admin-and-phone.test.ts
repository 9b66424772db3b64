// The client in a real Chromium, as an administrator managing users and as someone on a phone
// (390 × 844): editing a user and resetting their password (and the server's refusal when the
// acting manager holds less than the target), a VM page whose actions fold into a menu, tabs that
// show they scroll, a console that fits the screen, the serial console beside VNC, and image
// cards. The VM is a boot sector that answers on its serial port (no operating system to boot).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { login, roleId, setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, VM_FIELDS, vmMutation, waitFor } from '../support/libvirt.ts';
import { makeSerialEchoIso } from '../support/poweroff-iso.ts';

const SCREENSHOTS = new URL('../../test-artifacts/screenshots/', import.meta.url).pathname;
const PHONE = { width: 390, height: 844 };
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { ${VM_FIELDS} } task { id } } ... on Error { message } } }`;
const DELETE = `mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

/** The page scrolls sideways nowhere: nothing is wider than the screen. */
async function assertNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: window.innerWidth }));
  assert.ok(widths.page <= widths.screen, `${what}: the page is ${widths.page} px wide on a ${widths.screen} px screen`);
}

describe('administrators and phones in a real Chromium', { timeout: 10 * 60_000 }, () => {
  let t: TestHangar;
  let browser: Browser;
  let admin: string;
  let vmId = '';
  const opened: SignedInPage[] = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestHangar('postgres', {}, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    const iso = await makeSerialEchoIso('/var/lib/libvirt/images/hangar-test');
    const created = await vmMutation(t, admin, CREATE, { i: { name: 'wtd-phone', vcpus: 1, memoryMb: 128, diskGb: 1, isoPath: iso } });
    assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
    vmId = created.vmId;
    // Images with long names, as a catalogue has them (rows only: no file is needed to lay them out).
    const me = await t.gql('{ me { id } }', {}, { cookie: admin });
    for (const name of ['debian-12-generic-amd64-with-a-rather-long-name', 'alpine']) {
      await t.hangar.db
        .insertInto('images')
        .values({ name, os_family: 'linux', os_version: '12', format: 'qcow2', virtual_size_bytes: 2 * 1024 ** 3, file_size_bytes: 400 * 1024 ** 2, owner_id: rawId(me.data.me.id), visibility: 'public', status: 'ready', cloud_init: true })
        .execute();
    }
    browser = await launchBrowser();
  });

  after(async () => {
    for (const p of opened) assert.deepEqual(p.errors, [], 'no script errors on the page');
    await browser?.close();
    if (t && vmId) await vmMutation(t, admin, DELETE, { id: vmId }).catch(() => {});
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  });

  async function pageFor(cookie: string, size?: { width: number; height: number }): Promise<Page> {
    const p = await signedInPage(browser, t, cookie, size);
    opened.push(p);
    return p.page;
  }

  test('an administrator edits a user\u2019s name and email and resets their password', async () => {
    const someone = await userWithRole(t, admin, 'User');
    const page = await pageFor(admin);
    await openPage(page, t, '/users', 'Users');
    await page.getByRole('button', { name: 'Edit User', exact: true }).first().waitFor();
    const row = page.getByRole('row').filter({ hasText: someone.email });
    await row.getByRole('button', { name: /^Edit / }).click();
    const edit = page.getByRole('dialog');
    await edit.getByLabel('Name').fill('Katherine Johnson');
    const email = `katherine-${Date.now()}@example.com`;
    await edit.getByLabel('Email').fill(email);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    // The row changes by usersUpdated, as it would on another administrator's page.
    const renamed = page.getByRole('row').filter({ hasText: email });
    await renamed.getByText('Katherine Johnson').waitFor();

    await renamed.getByRole('button', { name: 'Reset the password of Katherine Johnson' }).click();
    const reset = page.getByRole('dialog');
    await reset.getByLabel('New password').fill('a brand new password');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await reset.waitFor({ state: 'detached' });
    // Their old session ended; the new password signs in.
    const old = await t.gql('{ me { id } }', {}, { cookie: someone.cookie });
    assert.equal(old.data?.me ?? null, null);
    assert.ok(await login(t, email, 'a brand new password'));
  });

  test('a user manager who holds less than an administrator is told so when resetting the administrator\u2019s password', async () => {
    const created = await t.gql('mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on Role { id } } }', { input: { name: 'User managers', privileges: ['User_Manage', 'User_View'] } }, { cookie: admin });
    const email = `manager-${Date.now()}@example.com`;
    await t.gql('mutation($input: CreateUserInput!) { createUser(input: $input) { __typename } }', { input: { email, name: 'Manager', password: 'a long enough password', roleIds: [created.data.createRole.id] } }, { cookie: admin });
    const manager = await login(t, email, 'a long enough password');
    const page = await pageFor(manager);
    await openPage(page, t, '/users', 'Users');
    const adminRow = page.getByRole('row').filter({ hasText: 'admin@example.com' });
    await adminRow.getByRole('button', { name: /^Reset the password of / }).click();
    const reset = page.getByRole('dialog');
    await reset.getByLabel('New password').fill('the manager\u2019s choice');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await reset.getByText(/may not act on a user who holds privileges you do not/).waitFor();
    await reset.getByRole('button', { name: 'Cancel' }).click();
    assert.ok(await login(t, 'admin@example.com', 'correct horse battery'), 'the administrator\u2019s password is unchanged');
    assert.ok(await roleId(t, admin, 'User managers'));
  });

  test('at 390 px the VM page folds its actions into a menu and its tabs show they scroll', async () => {
    const page = await pageFor(admin, PHONE);
    await openPage(page, t, `/vms/${encodeURIComponent(vmId)}`, 'wtd-phone');
    const bar = page.getByRole('toolbar', { name: 'VM actions' });
    const toggle = bar.getByRole('button', { name: 'Actions ▾' });
    await toggle.waitFor();
    // The likeliest next action stays in the bar; the others wait in the menu.
    await bar.getByRole('button', { name: 'Shut down', exact: true }).waitFor();
    assert.equal(await bar.getByRole('button', { name: 'Reboot', exact: true }).isVisible(), false);
    await assertNoSidewaysScroll(page, 'the VM page');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const reboot = bar.getByRole('button', { name: 'Reboot', exact: true });
    await reboot.waitFor();
    const box = (await page.locator('#vm-actions-menu').boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, `the menu is on the screen (${JSON.stringify(box)})`);
    assert.ok(await bar.getByRole('button', { name: 'Delete', exact: true }).isVisible());
    await page.screenshot({ path: `${SCREENSHOTS}phone-vm-actions-menu.png` });
    // Escape closes it, and focus goes back to the toggle.
    await page.keyboard.press('Escape');
    await reboot.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Actions ▾');

    // The tabs scroll sideways and say so: shades at an edge with more tabs beyond it.
    const tabs = page.getByRole('tablist', { name: 'VM sections' });
    const style = await tabs.evaluate((el) => ({ overflow: getComputedStyle(el).overflowX, background: getComputedStyle(el).backgroundImage, wraps: getComputedStyle(el).flexWrap }));
    assert.equal(style.overflow, 'auto');
    assert.equal(style.wraps, 'nowrap');
    assert.equal((style.background.match(/gradient/g) ?? []).length, 4, style.background);
    const tabsBox = (await tabs.boundingBox())!;
    assert.ok(tabsBox.x + tabsBox.width <= PHONE.width, 'the tab strip fits the screen; its tabs scroll inside it');
  });

  test('at 390 px the console fits the screen, and the serial console beside it takes text and pasting', async () => {
    const page = await pageFor(admin, PHONE);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    await openPage(page, t, `/vms/${encodeURIComponent(vmId)}?tab=console`, 'wtd-phone');
    await page.locator('[data-console-status="connected"]').waitFor({ timeout: 20_000 });
    const canvas = page.getByTestId('console-screen').locator('canvas');
    await canvas.waitFor();
    const fits = await waitFor('the screen to be scaled to the phone', async () => {
      const b = await canvas.boundingBox();
      return b && b.width > 100 && b.x >= 0 && b.x + b.width <= PHONE.width ? b : null;
    }, 10_000);
    assert.ok(fits.height <= PHONE.height * 0.7 + 1, `the screen is at most 70 % of the phone's height (${fits.height} px)`);
    await assertNoSidewaysScroll(page, 'the console');
    await page.screenshot({ path: `${SCREENSHOTS}phone-vm-console.png` });

    await page.getByRole('group', { name: 'Console type' }).getByRole('button', { name: 'Serial' }).click();
    const serial = page.getByTestId('serial-screen');
    await page.locator('[data-console-status="connected"]').waitFor({ timeout: 20_000 });
    // The guest answers each byte with its case flipped: what comes back is the guest's.
    await serial.click();
    await waitFor('the guest\u2019s answer to typing', async () => {
      await page.keyboard.type('hello');
      return (await serial.innerText()).includes('HELLO');
    }, 20_000, 500);
    await page.evaluate(() => navigator.clipboard.writeText('pastedWords'));
    await page.getByRole('button', { name: 'Paste' }).click();
    await waitFor('the pasted text\u2019s answer', async () => (await serial.innerText()).includes('PASTEDwORDS'), 10_000);
    // What the guest printed can be copied out.
    await serial.locator('.xterm-screen').dblclick({ position: { x: 10, y: 8 } });
    await page.getByRole('button', { name: 'Copy' }).click();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /HELLO|PASTED/);
    const box = (await serial.boundingBox())!;
    assert.ok(box.x + box.width <= PHONE.width, 'the terminal fits the screen');
    await assertNoSidewaysScroll(page, 'the serial console');
    await page.screenshot({ path: `${SCREENSHOTS}phone-vm-serial.png` });
  });

  test('at 390 px image cards keep their fields and buttons on the screen', async () => {
    const page = await pageFor(admin, PHONE);
    await openPage(page, t, '/images', 'Images');
    const rows = page.locator('tr[data-image-id]');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 2);
    for (let i = 0; i < 2; i++) {
      const row = rows.nth(i);
      for (const cell of await row.locator('td').all()) {
        const b = await cell.boundingBox();
        if (b) assert.ok(b.x >= 0 && b.x + b.width <= PHONE.width + 0.5, `a cell fits the screen (${JSON.stringify(b)})`);
      }
      // The buttons are one line under the fields, starting at the card's left edge.
      const buttons = row.locator('td.row-actions').locator('a, button');
      const first = (await buttons.first().boundingBox())!;
      const last = (await buttons.last().boundingBox())!;
      assert.ok(Math.abs(first.y - last.y) < 2, 'Deploy, Share and Delete sit on one line');
      const name = (await row.locator('td[data-label="Name"]').boundingBox())!;
      // A value's second line stays under the value, not under the label.
      const value = (await row.locator('td[data-label="Name"] strong').boundingBox())!;
      const detail = (await row.locator('td[data-label="Name"] .muted').boundingBox())!;
      assert.ok(Math.abs(value.x - detail.x) < 2, `the name's details line up with the name (${value.x} vs ${detail.x})`);
      assert.ok(first.x <= name.x + 16, 'the buttons start where the card\u2019s fields do');
    }
    await assertNoSidewaysScroll(page, 'the images page');
    await page.screenshot({ path: `${SCREENSHOTS}phone-images.png`, fullPage: true });
  });
});
