// Lists and charts in a real Chromium (issue 18, item 5): chart axes fit their labels, a host's
// memory axis ends at its memory, the 1-hour chart follows the collector's interval, the dashboard
// charts the cluster and agrees with the host page on vCPU capacity, the VM list has row menus and
// CPU and memory columns, and the audit log names its targets and offers its actions.
// Guests are blank-disk VMs (SeaBIOS finding nothing to boot): quick, and they still use CPU.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, signedInPage, type SignedInPage } from '../support/browser.ts';
import { adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, vmMutation, waitFor } from '../support/libvirt.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;
const INTERVAL_S = 2;

describe('lists and charts in a real Chromium', { timeout: 10 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let browser: Browser;
  let signed: SignedInPage;
  let page: Page;
  let hostId = '';
  let vmId = '';

  before(async () => {
    t = await startTestHangar('postgres', { HANGAR_METRICS_INTERVAL_SECONDS: String(INTERVAL_S) }, { processes: ['api', 'worker', 'collector'], registerLocalHost: true });
    admin = await adminSession(t);
    browser = await launchBrowser();
    signed = await signedInPage(browser, t, admin);
    page = signed.page;
    hostId = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
    const created = await vmMutation(t, admin, CREATE, { i: { name: 'wtc-list-one', vcpus: 1, memoryMb: 128, diskGb: 1, start: true } });
    assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
    vmId = created.vmId;
  }, { timeout: 5 * 60_000 });

  after(async () => {
    await browser?.close();
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  }, { timeout: 2 * 60_000 });

  /** A chart's figure on the page, by its title. */
  const chart = (title: string) => page.locator(`figure.chart[aria-label="${title}"]`);
  const points = async (title: string) => Number(await chart(title).first().getAttribute('data-points'));

  test('the dashboard and the host page say the same vCPU capacity: CPUs × overcommit', async () => {
    const { capacity } = (await t.gql('query($id: ID!) { node(id: $id) { ... on Host { capacity { cpus cpuOvercommit vcpus } } } }', { id: hostId }, { cookie: admin })).data.node;
    assert.equal(capacity.vcpus, Math.floor(capacity.cpus * capacity.cpuOvercommit));
    const wording = new RegExp(`1 of ${capacity.vcpus} vCPUs \\(${capacity.cpus} CPUs? × ${capacity.cpuOvercommit} overcommit\\)`);
    await openPage(page, t, '/', 'Dashboard');
    await page.getByText(wording).first().waitFor({ timeout: 15_000 });
    await openPage(page, t, `/hosts/${encodeURIComponent(hostId)}`, 'local');
    await page.getByText(wording).first().waitFor({ timeout: 15_000 });
    await openPage(page, t, '/hosts', 'Hosts');
    await page.getByText(wording).first().waitFor({ timeout: 15_000 });
    assert.deepEqual(signed.errors, []);
  });

  test('the dashboard charts the cluster\u2019s CPU and memory, fed live at the collector\u2019s interval', async () => {
    await openPage(page, t, '/', 'Dashboard');
    const card = page.getByRole('heading', { name: 'Cluster CPU and memory' });
    await card.waitFor();
    await chart('CPU').waitFor();
    await chart('Memory').waitFor();
    await waitFor('cluster samples on the chart', async () => (await points('CPU')) >= 2, 20_000, 200);
    const before = await points('CPU');
    await page.waitForTimeout(3 * INTERVAL_S * 1000 + 500);
    assert.ok((await points('CPU')) >= before + 2, `the chart grew from ${before} to ${await points('CPU')} points in ${3 * INTERVAL_S} s`);
    assert.deepEqual(signed.errors, []);
  });

  test('host charts: the last hour keeps every sample, axes fit their widest label, memory ends at the host\u2019s memory', async () => {
    // Four minutes of samples before now, one per interval, with a disk rate whose label is long
    // (976.6 KiB/s): with minute rollups the hour showed 4 points, with a 70 px axis the label lost its head.
    const now = Date.now();
    const total = 8 * 1024 ** 3;
    const rows = [];
    for (let at = now - 4 * 60_000; at < now - 30_000; at += INTERVAL_S * 1000) {
      rows.push({ host_id: rawId(hostId), at: new Date(at), cpu_percent: 5, memory_used_bytes: 2 * 1024 ** 3, memory_total_bytes: total, vms_running: 1, disk_read_bytes_per_second: 1_000_000, disk_write_bytes_per_second: 0, net_rx_bytes_per_second: 0, net_tx_bytes_per_second: 0 });
    }
    await t.hangar.db.insertInto('host_metric_samples').values(rows).onConflict((oc) => oc.doNothing()).execute();

    await openPage(page, t, `/hosts/${encodeURIComponent(hostId)}`, 'local');
    await chart('Disk').waitFor();
    await waitFor('the hour\u2019s samples on the chart', async () => (await points('Disk')) >= rows.length, 20_000, 200);
    const before = await points('Disk');
    await page.waitForTimeout(3 * INTERVAL_S * 1000 + 500);
    assert.ok((await points('Disk')) >= before + 2, `live points every ${INTERVAL_S} s: ${before} → ${await points('Disk')}`);

    // Each y axis is as wide as its widest label, with room for the ticks: nothing cut.
    for (const title of ['CPU', 'Memory', 'Disk', 'Network']) {
      const fit = await chart(title).evaluate((figure) => {
        const root = figure.querySelector<HTMLElement>('.uplot')!;
        const labels = (root.dataset.yLabels ?? '').split('|').filter(Boolean);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = root.dataset.yFont ?? '';
        const widest = Math.max(0, ...labels.map((l) => ctx.measureText(l).width / devicePixelRatio));
        const plotLeft = figure.querySelector<HTMLElement>('.u-over')!.offsetLeft;
        return { labels, widest, plotLeft };
      });
      assert.ok(fit.labels.length > 0, `${title}: the axis has labels`);
      assert.ok(fit.widest + 10 <= fit.plotLeft, `${title}: widest label ${fit.widest.toFixed(1)} px (+ 10 px of ticks) fits the axis of ${fit.plotLeft} px: ${fit.labels.join(', ')}`);
    }
    const diskLabels = (await chart('Disk').locator('.uplot').getAttribute('data-y-labels'))!;
    assert.match(diskLabels, /KiB\/s/);

    // Memory: the axis ends at the host's memory (the live samples' figure), not a tenth above it.
    const live = await t.gql('query($id: ID!, $from: DateTime!) { node(id: $id) { ... on Host { metrics(from: $from) { times series { name avg } } } } }', { id: hostId, from: new Date(Date.now() - 20_000).toISOString() }, { cookie: admin });
    const totals = live.data.node.metrics.series.find((s: any) => s.name === 'memoryTotalBytes').avg.filter((v: number | null) => v != null);
    const yMax = Number(await chart('Memory').locator('.uplot').getAttribute('data-y-max'));
    assert.equal(yMax, totals.at(-1));
    assert.deepEqual(signed.errors, []);
  });

  test('the VM list: CPU and memory columns, and a row menu with only the actions the VM allows', async () => {
    await openPage(page, t, '/vms', 'Virtual machines');
    const row = page.locator(`tr[data-vm-id="${vmId}"]`);
    await row.waitFor();
    // CPU in use once the collector has two readings (the list reads them again every 10 s); memory as allocated (no balloon driver).
    await row.getByTestId('vm-cpu').getByText(/%/).waitFor({ timeout: 30_000 });
    assert.match(await row.getByTestId('vm-cpu').innerText(), /% of 1 vCPU/);
    assert.match(await row.getByTestId('vm-memory').innerText(), /^128(\.0)? MiB allocated$/);

    const menu = row.locator('details.row-menu');
    await row.getByLabel('Actions for wtc-list-one').click();
    const offered = await menu.getByRole('menuitem').allInnerTexts();
    assert.ok(offered.includes('Power off') && offered.includes('Reboot'), offered.join(', '));
    assert.ok(!offered.includes('Start') && !offered.includes('Resume'), `a running VM is not offered Start: ${offered.join(', ')}`);
    await menu.getByRole('menuitem', { name: 'Power off' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Power off' }).click();
    await row.getByText('Stopped').waitFor({ timeout: 60_000 });
    await row.getByLabel('Actions for wtc-list-one').click();
    await menu.getByRole('menuitem', { name: 'Start' }).waitFor();
    const now = await menu.getByRole('menuitem').allInnerTexts();
    assert.ok(!now.includes('Power off') && now.includes('Delete'), now.join(', '));
    assert.match(await row.getByTestId('vm-cpu').innerText(), /1 vCPU allocated/);
    assert.deepEqual(signed.errors, []);
  });

  test('the audit log names its targets with a link, deleted ones too, and its filter lists the actions', async () => {
    // An entry about the VM whatever the test before did to it (refused or not, it names its target).
    await t.gql('mutation($id: ID!) { stopVm(id: $id) { __typename } }', { id: vmId }, { cookie: admin });
    const role = await t.gql('mutation { createRole(input: { name: "wtc-watchers", privileges: [] }) { ... on Role { id } } }', {}, { cookie: admin });
    await t.gql('mutation($id: ID!) { deleteRole(id: $id) { __typename } }', { id: role.data.createRole.id }, { cookie: admin });

    await openPage(page, t, '/audit', 'Audit log');
    const action = page.getByLabel('Action');
    assert.equal(await action.evaluate((el) => el.tagName), 'SELECT');
    await action.locator('option[value="stopVm"]').waitFor({ state: 'attached' });
    await action.selectOption('stopVm');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const table = page.getByRole('table', { name: 'Audit entries' });
    const link = table.getByRole('link', { name: 'wtc-list-one' }).first();
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `/vms/${encodeURIComponent(vmId)}`);
    assert.ok((await table.locator('tbody tr').count()) >= 1);
    for (const text of await table.locator('tbody tr td[data-label="Action"] summary').allInnerTexts()) assert.equal(text, 'stopVm');

    // A VM made through the API names it too (the payload's VM).
    await action.selectOption('createVm');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await table.getByRole('link', { name: 'wtc-list-one' }).first().waitFor();

    await action.selectOption('deleteRole');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await table.getByText('wtc-watchers (deleted)').waitFor();
    assert.equal(await table.getByRole('link', { name: 'wtc-watchers' }).count(), 0);
    assert.deepEqual(signed.errors, []);
  });
});
