// A VM's Disks tab in a real Chromium, on a stopped blank VM: a disk attached through the dialog
// with a read limit, grown, then detached with its volume; each step's result read back from libvirt.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, virsh, vmMutation, waitFor } from '../support/libvirt.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

describe('the Disks tab of a VM in a real Chromium', { timeout: 5 * 60_000 }, () => {
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

  test('attach with a read limit, grow, and detach a disk from the VM page', async () => {
    const { vmId, task } = await vmMutation(t, admin, CREATE, { i: { name: 'disks-ui', vcpus: 1, memoryMb: 128, diskGb: 1, start: false } });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    const id = rawId(vmId);
    const { page, errors } = s;
    await openPage(page, t, `/vms/${encodeURIComponent(vmId)}?tab=disks`, 'disks-ui');
    const table = page.getByTestId('vm-disks');
    await table.getByRole('cell', { name: 'vda (boot #1)' }).waitFor();

    await table.getByRole('button', { name: 'Attach a disk' }).click();
    const attach = page.getByRole('dialog', { name: 'Attach a disk to disks-ui' });
    await attach.getByLabel('Size (GiB)').fill('2');
    await attach.getByLabel('Read MiB/s').fill('5');
    await attach.getByRole('button', { name: 'Attach' }).click();
    const row = table.getByRole('row').filter({ has: page.getByRole('cell', { name: 'vdb', exact: true }) });
    await row.getByRole('cell', { name: 'read 5 MiB/s' }).waitFor({ timeout: 60_000 });
    await row.getByRole('cell', { name: '2 GiB', exact: true }).waitFor();
    assert.match(await virsh('dumpxml', '--inactive', id), /<read_bytes_sec>5242880<\/read_bytes_sec>/);

    await row.getByRole('button', { name: 'Grow' }).click();
    const grow = page.getByRole('dialog', { name: 'Grow vdb' });
    await grow.getByLabel('New size (GiB)').fill('3');
    await grow.getByRole('button', { name: 'Grow' }).click();
    await row.getByRole('cell', { name: '3 GiB', exact: true }).waitFor({ timeout: 60_000 });

    await row.getByRole('button', { name: 'Detach' }).click();
    const detach = page.getByRole('dialog', { name: 'Detach vdb' });
    await detach.getByLabel(/Delete its volume/).check();
    await detach.getByRole('button', { name: 'Detach' }).click();
    await waitFor('vdb gone from the tab', async () => (await table.getByRole('cell', { name: 'vdb', exact: true }).count()) === 0, 60_000, 200);
    assert.doesNotMatch(await virsh('dumpxml', '--inactive', id), /vdb/);
    assert.deepEqual(errors, []);
  });
});
