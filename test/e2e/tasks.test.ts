// Tasks in a real Chromium (issue 18): a shutdown that ended in a forced power-off reads as a
// warning with its log line, a VM shows its transitional state at once, and a queued task's Cancel
// button cancels it and gives the VM its state back. Firmware-only guests (a blank disk: they boot
// at once and ignore ACPI); a step is held with HANGAR_TEST_STEP_HOLD_DIR. Needs `npm run build`.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { removeLeftoverVms, vmMutation, waitFor, waitForTask } from '../support/libvirt.ts';

// CI keeps these as artifacts (as client.test.ts's).
const SCREENSHOTS = new URL('../../test-artifacts/screenshots/', import.meta.url).pathname;

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id name state } task { id } } ... on Error { message } } }`;
const action = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { __typename ... on VmTaskPayload { vm { id state } task { id status } } ... on Error { message } } }`;

describe('tasks in a real Chromium', { timeout: 5 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let browser: Browser;
  let tab: SignedInPage;
  let holdDir: string;

  before(async () => {
    holdDir = await mkdtemp(join(tmpdir(), 'wtb-step-hold-'));
    [t, browser] = await Promise.all([startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '1', HANGAR_TEST_STEP_HOLD_DIR: holdDir }, { processes: ['api', 'worker'], registerLocalHost: true }), launchBrowser()]);
    admin = await setupAdmin(t);
    tab = await signedInPage(browser, t, admin);
  });
  after(async () => {
    await browser?.close();
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await rm(holdDir, { recursive: true, force: true });
  });

  const createdVm = async (name: string) => {
    const made = await vmMutation(t, admin, CREATE, { i: { name, vcpus: 1, memoryMb: 128, diskGb: 1 } });
    assert.equal(made.task.status, 'SUCCEEDED', JSON.stringify(made.task));
    return made.vmId;
  };

  test('a shutdown that ended in a forced power-off reads as a warning, with its log line', async () => {
    const vmId = await createdVm('wtb-web-forced-off');
    const asked = (await t.gql(`mutation($id: ID!) { shutdownVm(id: $id, timeoutSeconds: 2) { ... on VmTaskPayload { task { id } } } }`, { id: vmId }, { cookie: admin })).data.shutdownVm;
    assert.equal((await waitForTask(t, admin, asked.task.id)).status, 'SUCCEEDED');
    const { page, errors } = tab;
    await openPage(page, t, '/tasks', 'Tasks');
    const card = page.locator('details.task[data-operation="vm.shutdown"]').first();
    await card.waitFor();
    assert.equal(await card.getAttribute('data-outcome'), 'WARNING');
    assert.equal((await card.locator('.badge').textContent())?.trim(), 'Succeeded with a warning');
    await card.locator('summary').first().click();
    const warnings = card.getByRole('list', { name: 'Warnings' });
    assert.match((await warnings.textContent()) ?? '', /did not shut down within 2 s: it was powered off/);
    await card.locator('details.task-log > summary').click();
    const warned = card.getByRole('list', { name: 'Log' }).locator('li[data-warning="true"]');
    await warned.first().waitFor();
    assert.equal(await warned.count(), 1);
    assert.match((await warned.textContent()) ?? '', /did not shut down within 2 s/);
    await mkdir(SCREENSHOTS, { recursive: true });
    await card.screenshot({ path: `${SCREENSHOTS}task-warning.png` });
    // The list's status filter offers cancelled tasks too.
    assert.ok((await page.locator('#task-status option').allTextContents()).includes('Cancelled'));
    assert.deepEqual(errors, []);
  });

  test('a VM shows its transitional state at once, and a queued task cancelled with its button gives the state back', async () => {
    const vmId = await createdVm('wtb-web-cancel');
    const hold = join(holdDir, 'vm.reboot.1');
    await writeFile(hold, '');
    try {
      const { page, errors } = tab;
      await openPage(page, t, `/vms/${encodeURIComponent(vmId)}`, 'wtb-web-cancel');
      const badge = page.locator('header.page-header .badge').first();
      await waitFor('Running', async () => (await badge.textContent())?.trim() === 'Running', 15_000);
      const reboot = (await t.gql(action('rebootVm'), { id: vmId }, { cookie: admin })).data.rebootVm;
      assert.equal(reboot.vm.state, 'REBOOTING');
      await waitFor('Rebooting on the page', async () => (await badge.textContent())?.trim() === 'Rebooting', 10_000);
      // A power-off asked meanwhile waits behind the reboot; the VM shows Stopping.
      const stop = (await t.gql(action('stopVm'), { id: vmId }, { cookie: admin })).data.stopVm;
      assert.equal(stop.vm.state, 'STOPPING');
      await waitFor('Stopping on the page', async () => (await badge.textContent())?.trim() === 'Stopping', 10_000);

      const queued = page.locator('details.task[data-operation="vm.stop"][data-task-status="QUEUED"]').first();
      await queued.waitFor({ timeout: 10_000 });
      // The started reboot finishes: it offers no Cancel.
      const running = page.locator('details.task[data-operation="vm.reboot"][data-task-status="RUNNING"]').first();
      await running.waitFor({ timeout: 10_000 });
      assert.equal(await running.getByRole('button', { name: /^Cancel/ }).count(), 0);
      await queued.getByRole('button', { name: 'Cancel task' }).click();
      await waitFor('the task cancelled', async () => (await page.locator('details.task[data-operation="vm.stop"][data-task-status="CANCELLED"]').count()) > 0 || (await taskStatus(stop.task.id)) === 'CANCELLED', 10_000);
      assert.equal(await taskStatus(stop.task.id), 'CANCELLED');
      await waitFor('Rebooting again on the page', async () => (await badge.textContent())?.trim() === 'Rebooting', 10_000);

      await unlink(hold);
      assert.equal((await waitForTask(t, admin, reboot.task.id)).status, 'SUCCEEDED');
      await waitFor('Running after the reboot', async () => (await badge.textContent())?.trim() === 'Running', 10_000);
      assert.deepEqual(errors, []);
    } finally {
      await unlink(hold).catch(() => {});
    }
    await vmMutation(t, admin, action('deleteVm'), { id: vmId });
  });

  async function taskStatus(id: string): Promise<string> {
    return (await t.gql(`query($id: ID!) { node(id: $id) { ... on Task { status } } }`, { id }, { cookie: admin })).data.node.status;
  }
});
