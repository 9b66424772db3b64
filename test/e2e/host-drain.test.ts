// A host's drain from its page, in a real Chromium against a real Hangar and two real libvirtd (this
// machine's and the second host of scripts/test-host): Start maintenance offers to move the VMs,
// the Drain card follows the parent task live, one step per VM, until every VM has moved, and the
// page's VM list empties, without a reload.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, virsh, vmMutation, waitFor, waitForTask } from '../support/libvirt.ts';
import { holdSecondHost, SECOND_HOST, startSecondHost, virsh2 } from '../support/second-host.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

describe('a host drained from its page in a real Chromium', { timeout: 10 * 60_000 }, () => {
  let t: TestHangar;
  let browser: Browser;
  let s: SignedInPage;
  let admin: string;
  let hv2 = '';
  const made: string[] = [];
  let release: (() => void) | undefined;

  before(async () => {
    release = await holdSecondHost('shared');
    await startSecondHost();
    t = await startTestHangar('postgres', { HANGAR_LOCAL_NETWORK: 'none', HANGAR_RECONCILE_SECONDS: '2' }, { processes: ['api', 'worker'], registerLocalHost: true });
    browser = await launchBrowser();
    admin = await adminSession(t);
    const local = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
    await t.gql(`mutation($id: ID!) { updateHost(id: $id, input: { settings: { migrationAddress: "${SECOND_HOST.localAddress}" } }) { __typename } }`, { id: local }, { cookie: admin });
    const added = await t.gql(`mutation($input: AddHostInput!) { addHost(input: $input) { __typename ... on Host { id } ... on Error { message } } }`, { input: { name: 'hv2', uri: SECOND_HOST.uri, settings: { vncListen: SECOND_HOST.address } } }, { cookie: admin });
    assert.equal(added.data.addHost.__typename, 'Host', JSON.stringify(added));
    hv2 = added.data.addHost.id;
    s = await signedInPage(browser, t, admin);
  });

  after(async () => {
    await browser?.close();
    for (const id of made) {
      await virsh2('destroy', id).catch(() => {});
      await virsh2('undefine', id).catch(() => {});
      await virsh2('vol-delete', '--pool', 'hangar-disks', `${id}.qcow2`).catch(() => {});
    }
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    release?.();
  });

  test('Start maintenance with “move its VMs”: the Drain card shows each VM’s move live, and the host ends empty', { timeout: 8 * 60_000 }, async () => {
    for (const name of ['ui-drain-a', 'ui-drain-b']) {
      const created = await vmMutation(t, admin, CREATE, { i: { name, vcpus: 1, memoryMb: 128, diskGb: 1, hostId: hv2 } });
      assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
      made.push(rawId(created.vmId));
    }
    const { page, errors } = s;
    await openPage(page, t, `/hosts/${encodeURIComponent(hv2)}`, 'hv2');
    await page.getByRole('link', { name: 'ui-drain-a' }).waitFor();
    await page.getByRole('button', { name: 'Start maintenance' }).click();
    const dialog = page.getByRole('dialog', { name: 'Start maintenance of hv2' });
    assert.equal(await dialog.getByLabel('Move its VMs to other hosts (2)').isChecked(), true, 'moving the VMs is offered, and chosen');
    await dialog.getByRole('button', { name: 'Start maintenance and move VMs' }).click();

    const drain = page.getByRole('region', { name: 'Drain' });
    await drain.getByText('Move ui-drain-a to local').waitFor({ timeout: 30_000 });
    await drain.getByText('Move ui-drain-b to local').waitFor();
    // The drain's own record first (its outcome said in full if it failed), then the card, live, with no reload.
    const drainId = await waitFor('the drain', async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { lastDrain { id } } } }`, { id: hv2 }, { cookie: admin })).data.node.lastDrain?.id, 20_000, 200);
    const task = await waitForTask(t, admin, drainId, 5 * 60_000);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    await drain.locator('[data-task-status="SUCCEEDED"]').waitFor({ timeout: 20_000 });
    assert.equal(await drain.locator('[data-step-state="DONE"]').count(), 2);
    await page.getByText('No VMs on this host.').waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'End maintenance' }).waitFor();
    for (const id of made) assert.equal((await virsh('domstate', id)).trim(), 'running');
    assert.deepEqual(errors, []);
  });
});
