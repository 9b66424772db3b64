// The Snapshots tab of a VM's page in a real Chromium, on a tiny running guest (firmware only):
// a snapshot taken through the dialog (a duplicate name refused under its field), the tree with
// the current one, a revert and a delete, each task's steps shown live, and libvirt checked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, virsh, vmMutation, waitFor } from '../support/libvirt.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

describe('the Snapshots tab in a real Chromium', { timeout: 8 * 60_000 }, () => {
  let t: TestHangar;
  let browser: Browser;
  let s: SignedInPage;
  let admin: string;

  before(async () => {
    t = await startTestHangar('postgres', { HANGAR_LOCAL_NETWORK: 'none' }, { processes: ['api', 'worker'], registerLocalHost: true });
    browser = await launchBrowser();
    admin = await adminSession(t);
    s = await signedInPage(browser, t, admin);
  });

  after(async () => {
    await browser?.close();
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  });

  test('take, revert to and delete snapshots from the tab; the tree and libvirt agree', { timeout: 6 * 60_000 }, async () => {
    const { vmId, task } = await vmMutation(t, admin, CREATE, { i: { name: 'snap-ui', vcpus: 1, memoryMb: 128, diskGb: 1, start: true } });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    const domain = rawId(vmId);
    const { page, errors } = s;
    await openPage(page, t, `/vms/${encodeURIComponent(vmId)}?tab=snapshots`, 'snap-ui');
    const tab = page.getByTestId('snapshots');
    await tab.getByText('No snapshots yet.').waitFor();
    const row = (name: string) => tab.locator(`[data-testid="snapshot"][data-name="${name}"]`);
    const libvirtSnapshots = async () => (await virsh('snapshot-list', domain, '--name')).split('\n').map((l) => l.trim()).filter(Boolean);

    const take = async (name: string) => {
      await tab.getByRole('button', { name: 'Take a snapshot' }).click();
      const dialog = page.getByRole('dialog', { name: 'Snapshot of snap-ui' });
      await dialog.getByLabel('Name').fill(name);
      assert.equal(await dialog.getByLabel('Include the memory').isChecked(), true, 'a running VM\u2019s snapshot holds its memory');
      await dialog.getByRole('button', { name: 'Take the snapshot' }).click();
      return dialog;
    };

    await take('first');
    // The task's steps show as it runs, and the tree has the snapshot, current, once it ends.
    const card = tab.locator('details.task[data-operation="vm.snapshot-create"]').first();
    await card.locator('.step .step-name', { hasText: 'Take the snapshot' }).waitFor();
    await row('first').getByText('current').waitFor({ timeout: 120_000 });
    // Its card ends with every step done or skipped (no agent in this guest: nothing frozen).
    await tab.locator('details.task[data-task-status="SUCCEEDED"][data-operation="vm.snapshot-create"]').first().waitFor({ timeout: 60_000 });
    assert.deepEqual(await card.locator('.step').evaluateAll((steps) => steps.map((s) => s.getAttribute('data-step-state'))), ['SKIPPED', 'DONE', 'SKIPPED', 'DONE']);
    await row('first').getByText('disk and memory').waitFor();
    assert.equal((await libvirtSnapshots()).length, 1);

    const duplicate = await take('first');
    await duplicate.getByText('This VM already has a snapshot called first').waitFor();
    await duplicate.getByRole('button', { name: 'Cancel' }).click();

    await take('second');
    await row('first').locator('[data-testid="snapshot"][data-name="second"]').getByText('current').waitFor({ timeout: 120_000 });
    assert.equal((await libvirtSnapshots()).length, 2);

    // Revert to the first: it is current again.
    await row('first').getByRole('button', { name: 'Revert' }).first().click();
    await page.getByRole('dialog', { name: 'Revert snap-ui to first?' }).getByRole('button', { name: 'Revert' }).click();
    await waitFor('the first current again', async () => (await row('first').locator('.snapshot-row').first().getByText('current').count()) === 1, 120_000, 200);
    await tab.locator('details.task[data-task-status="SUCCEEDED"][data-operation="vm.snapshot-revert"]').waitFor({ timeout: 60_000 });
    const listed = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { snapshots { id name } } } }`, { id: vmId }, { cookie: admin })).data.node.snapshots;
    assert.equal(await virsh('snapshot-current', domain, '--name'), rawId(listed.find((x: any) => x.name === 'first').id));

    // Delete the second in the running VM.
    await row('second').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete the snapshot second?' }).getByRole('button', { name: 'Delete snapshot' }).click();
    await waitFor('the second gone from the tree', async () => (await row('second').count()) === 0, 120_000, 200);
    assert.equal((await libvirtSnapshots()).length, 1);
    assert.equal(await virsh('domstate', domain), 'running');
    assert.deepEqual(errors, []);
  });
});
