// A VM's name, tags and owner changed and a VM cloned from its page in a real Chromium: the Rename / details dialog
// (a bad tag shown under its field, then saved), the tags on the page and in the list filtered by
// one, and the Transfer dialog (a recipient over quota refused with what is over, then another).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { adminSession, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, vmMutation } from '../support/libvirt.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

describe('a VM renamed, tagged and transferred from its page in a real Chromium', { timeout: 5 * 60_000 }, () => {
  let t: TestHangar;
  let browser: Browser;
  let s: SignedInPage;
  let admin: string;

  before(async () => {
    t = await startTestHangar('postgres', {}, { processes: ['api', 'worker'], registerLocalHost: true });
    browser = await launchBrowser();
    admin = await adminSession(t);
    s = await signedInPage(browser, t, admin);
  });

  after(async () => {
    await browser?.close();
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  });

  async function makeVm(name: string): Promise<string> {
    const { vmId, task } = await vmMutation(t, admin, CREATE, { i: { name, vcpus: 1, memoryMb: 128, diskGb: 1, start: false } });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return vmId;
  }

  test('rename and tag on the VM page; the list shows the tags and filters by one; a transfer through the dialog', async () => {
    const vm = await makeVm('tr-ui');
    await makeVm('tr-ui-untagged');
    const { page, errors } = s;
    await openPage(page, t, `/vms/${encodeURIComponent(vm)}`, 'tr-ui');

    await page.getByRole('button', { name: 'Rename / details' }).click();
    const details = page.getByRole('dialog', { name: 'Rename / details of tr-ui' });
    await details.getByLabel('Name').fill('tr-ui-renamed');
    await details.getByLabel('Tags').fill('web, Prod');
    await details.getByRole('button', { name: 'Save' }).click();
    await details.getByText('A tag is lowercase letters and digits').waitFor();
    assert.equal((await t.hangar.db.selectFrom('vms').select('name').where('id', '=', rawId(vm)).executeTakeFirstOrThrow()).name, 'tr-ui', 'a refused save changes nothing');
    await details.getByLabel('Tags').fill('web, prod-eu');
    await details.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { level: 1, name: 'tr-ui-renamed' }).waitFor();
    assert.equal(await details.count(), 0, 'the dialog closed');
    assert.deepEqual(await page.getByTestId('vm-tags').getByRole('link').allTextContents(), ['web', 'prod-eu']);

    const tagFilter = page.getByRole('searchbox', { name: 'Tag', exact: true });
    // A tag on the page opens the list filtered by it: this VM, not the untagged one.
    await page.getByTestId('vm-tags').getByRole('link', { name: 'prod-eu' }).click();
    await page.getByRole('heading', { level: 1, name: 'Virtual machines' }).waitFor();
    await page.getByRole('link', { name: 'tr-ui-renamed' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'tr-ui-untagged' }).count(), 0);
    assert.equal(await tagFilter.inputValue(), 'prod-eu');
    assert.deepEqual(await page.locator(`tr[data-vm-id="${vm}"]`).getByTestId('vm-row-tags').getByRole('link').allTextContents(), ['web', 'prod-eu']);
    // Cleared, the filter shows both; another tag, neither.
    await tagFilter.fill('');
    await tagFilter.press('Enter');
    await page.getByRole('link', { name: 'tr-ui-untagged' }).waitFor();
    await tagFilter.fill('nothing-here');
    await tagFilter.press('Enter');
    await page.getByText('No VM matches these filters.').waitFor();

    // Transfer: a recipient with no room is refused with what is over, then one with room gets it.
    const full = await userWithRole(t, admin, 'User');
    const quota = await t.gql('mutation($u: ID!) { setQuota(userId: $u, input: { maxVms: 0 }) { __typename } }', { u: full.id }, { cookie: admin });
    assert.equal(quota.data.setQuota.__typename, 'Quota');
    const bob = await userWithRole(t, admin, 'User');
    await openPage(page, t, `/vms/${encodeURIComponent(vm)}`, 'tr-ui-renamed');
    await page.getByRole('button', { name: 'Transfer' }).click();
    const transfer = page.getByRole('dialog', { name: 'Transfer tr-ui-renamed' });
    await transfer.getByLabel('New owner').selectOption(full.id);
    await transfer.getByRole('button', { name: 'Transfer' }).click();
    await transfer.getByText(`Over the quota of ${full.email}: VMs: 0 of 0 in use`).waitFor();
    const ownerOf = async () => (await t.hangar.db.selectFrom('vms').select('owner_id').where('id', '=', rawId(vm)).executeTakeFirstOrThrow()).owner_id;
    assert.notEqual(await ownerOf(), rawId(full.id));
    await transfer.getByLabel('New owner').selectOption(bob.id);
    await transfer.getByRole('button', { name: 'Transfer' }).click();
    await page.getByText('Transferred to User.').waitFor();
    assert.equal(await ownerOf(), rawId(bob.id));
    assert.deepEqual(errors, []);
  });

  test('a clone through its dialog opens the new VM, whose task shows its steps until it is made', async () => {
    const vm = await makeVm('cl-ui');
    const { page, errors } = s;
    await openPage(page, t, `/vms/${encodeURIComponent(vm)}`, 'cl-ui');
    await page.getByRole('button', { name: 'Clone', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Clone cl-ui' });
    await dialog.getByLabel('Name').fill('');
    await dialog.getByRole('button', { name: 'Clone' }).click();
    await dialog.getByText('The clone needs a name').waitFor();
    await dialog.getByLabel('Name').fill('cl-ui-copy');
    await dialog.getByLabel('Start the clone when it is made').uncheck();
    await dialog.getByRole('button', { name: 'Clone' }).click();
    await page.getByRole('heading', { level: 1, name: 'cl-ui-copy' }).waitFor();
    const copy = await t.hangar.db.selectFrom('vms').select(['id', 'owner_id']).where('name', '=', 'cl-ui-copy').executeTakeFirstOrThrow();
    assert.equal(rawId(decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!)), copy.id);
    // Its clone task, step by step, then the VM stopped as asked.
    await page.getByText('Copy the disk').first().waitFor();
    await page.getByText('Stopped', { exact: true }).first().waitFor({ timeout: 60_000 });
    const task = await t.hangar.db.selectFrom('tasks').select(['status', 'operation']).where('vm_id', '=', copy.id).executeTakeFirstOrThrow();
    assert.deepEqual(task, { status: 'succeeded', operation: 'vm.clone' });
    assert.deepEqual(errors, []);
  });
});
